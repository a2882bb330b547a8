"""CN-code reasons (issue 12): a code under a heading Annex I covers as a whole that CN 2026 does not
have is told so, with the CBAM codes under it; "not a CBAM good" is kept for codes Annex I does not
cover, and a code CN 2026 split keeps its own message."""

from __future__ import annotations

from conftest import steel

import cbam_calc.inputs.validate as validate_module


def reasons(r) -> dict[int, tuple[str, str]]:
    return {
        int(row): (code, reason)
        for row, code, reason in zip(r.rejected["row"], r.rejected["code"], r.rejected["reason"])
    }


def test_an_outdated_code_under_a_cbam_heading_lists_the_cn_2026_codes(run):
    r = run([steel(cn_code="7601 10 00"), steel()])
    assert reasons(r) == {
        2: (
            "R_NOT_CN2026_CODE",
            "CN 7601 10 00 is not a CN 2026 code (it falls under 7601, which Annex I covers); "
            "the CBAM codes under 7601 10 are 7601 10 10, 7601 10 90",
        )
    }
    assert len(r.lines) + len(r.rejected) == 2


def test_a_heading_with_many_codes_shows_eight_and_counts_the_rest(run):
    # no CBAM code under 7208 99: the codes of heading 7208, 20 of them, 8 shown and 12 more
    r = run([steel(cn_code="7208 99 90")])
    assert reasons(r)[2] == (
        "R_NOT_CN2026_CODE_MORE",
        "CN 7208 99 90 is not a CN 2026 code (it falls under chapter 72, which Annex I covers); the "
        "CBAM codes under 7208 are 7208 10 00, 7208 25 00, 7208 26 00, 7208 27 00, 7208 36 00, "
        "7208 37 00, 7208 38 00, 7208 39 00 and 12 more",
    )


def test_codes_annex_i_does_not_cover_stay_not_a_cbam_good(run):
    rows = [
        steel(cn_code="7323 93 00"),  # stainless kitchenware: a CN 2026 code, no heading of Annex I
        steel(cn_code="7204 10 00"),  # ferrous scrap: carved out of chapter 72
        steel(cn_code="7202 99 80"),  # other ferro-alloys: carved out of chapter 72
        steel(cn_code="3105 60 00"),  # P+K fertilisers: carved out of 3105
    ]
    got = reasons(run(rows))
    assert got == {
        2: (
            "R_NOT_CBAM_GOOD",
            "CN 7323 93 00 is not a CBAM good (not in Annex I of Regulation (EU) 2023/956)",
        ),
        3: (
            "R_NOT_CBAM_GOOD",
            "CN 7204 10 00 is not a CBAM good (not in Annex I of Regulation (EU) 2023/956)",
        ),
        4: (
            "R_NOT_CBAM_GOOD",
            "CN 7202 99 80 is not a CBAM good (not in Annex I of Regulation (EU) 2023/956)",
        ),
        5: (
            "R_NOT_CBAM_GOOD",
            "CN 3105 60 00 is not a CBAM good (not in Annex I of Regulation (EU) 2023/956)",
        ),
    }


def test_a_code_cn_2026_split_keeps_its_message(run):
    urea = {"country": "EG", "net_mass_t": "500", "import_date": "2026-03-02"}
    r = run([{"cn_code": "3102 10 10", **urea}, {"cn_code": "3102 10 00", **urea}])
    assert reasons(r) == {
        2: (
            "R_CN_SPLIT",
            "CN 3102 10 10 was split in CN 2026 into 3102 10 12, 3102 10 15, 3102 10 19: give the new code",
        ),
        # the split code is not offered among the CBAM codes under 3102 10
        3: (
            "R_NOT_CN2026_CODE",
            "CN 3102 10 00 is not a CN 2026 code (it falls under 3102, which Annex I covers); "
            "the CBAM codes under 3102 10 are 3102 10 12, 3102 10 15, 3102 10 19, 3102 10 90",
        ),
    }


def test_the_reason_is_decided_once_per_distinct_code(run, monkeypatch):
    calls: list[str] = []
    real = validate_module.unknown_code_reason

    def counted(code, known, scope):
        calls.append(code)
        return real(code, known, scope)

    monkeypatch.setattr(validate_module, "unknown_code_reason", counted)
    r = run(
        [steel(cn_code="7601 10 00") for _ in range(50)] + [steel(cn_code="7323 93 00") for _ in range(50)]
    )
    assert sorted(calls) == ["73239300", "76011000"]
    assert r.rejected["code"].value_counts().to_dict() == {"R_NOT_CN2026_CODE": 50, "R_NOT_CBAM_GOOD": 50}
