"""Blank importer cells (issue 12): when the input has an importer column, lines with a blank cell
are one unnamed importer for de minimis, named "(no importer)" and warned about with their rows;
"(all lines)" and W_NO_IMPORTER are kept for an input without an importer column."""

from __future__ import annotations

from conftest import line, steel

from cbam_calc.outputs.text import summary_text


def warning(r, code: str) -> str:
    hits = [w for w, c in zip(r.summary.warnings, r.summary.warning_codes) if c == code]
    assert len(hits) == 1, r.summary.warning_codes
    return hits[0]


def test_blank_importer_cells_are_one_unnamed_importer_named_with_their_rows(run):
    rows = [
        steel(importer="Big BV", net_mass_t="100"),  # row 2
        steel(importer="", net_mass_t="30"),  # row 3
        steel(importer="Big BV", net_mass_t="1"),  # row 4
        steel(importer="  ", net_mass_t="10"),  # row 5: blank once trimmed
    ]
    r = run(rows)
    assert warning(r, "W_BLANK_IMPORTER") == (
        "2 line(s) have no importer (row 3, 5); they are treated as one unnamed importer for the "
        "de minimis threshold"
    )
    assert "W_NO_IMPORTER" not in r.summary.warning_codes
    outcome = {(d.importer, d.annex_i_mass_t, d.exempt) for d in r.summary.de_minimis}
    # 30 t + 10 t = 40 t <= 50 t: the unnamed importer is exempt; Big BV's 101 t is not
    assert outcome == {("(no importer)", 40.0, True), ("Big BV", 101.0, False)}
    assert line(r, 3)["de_minimis_exempt"] and line(r, 3)["certificates"] == 0.0
    assert line(r, 5)["de_minimis_exempt"] and line(r, 5)["certificates"] == 0.0
    assert not line(r, 2)["de_minimis_exempt"] and line(r, 2)["certificates"] > 0
    assert "(no importer): exempt if this importer's imports of CBAM goods in 2026" in summary_text(r)
    assert "(this file: 40.0 t)" in summary_text(r)


def test_blank_importer_rows_named_up_to_ten_then_dots(run):
    rows = [steel(importer="", net_mass_t="1") for _ in range(12)] + [steel(importer="Big BV")]
    r = run(rows)
    assert warning(r, "W_BLANK_IMPORTER") == (
        "12 line(s) have no importer (row 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, ...); they are treated as "
        "one unnamed importer for the de minimis threshold"
    )
    (unnamed,) = [d for d in r.summary.de_minimis if d.importer == "(no importer)"]
    assert unnamed.annex_i_mass_t == 12.0 and unnamed.exempt


def test_no_importer_column_keeps_all_lines(run):
    r = run([steel(net_mass_t="30"), steel(net_mass_t="30")])
    assert warning(r, "W_NO_IMPORTER") == (
        "no importer column: all lines are treated as one importer for the de minimis threshold"
    )
    assert "W_BLANK_IMPORTER" not in r.summary.warning_codes
    outcome = {(d.importer, d.annex_i_mass_t, d.exempt) for d in r.summary.de_minimis}
    assert outcome == {("(all lines)", 60.0, False)}


def test_every_importer_given_warns_nothing(run):
    r = run([steel(importer="Big BV"), steel(importer="Small SA", net_mass_t="5")])
    assert not {"W_BLANK_IMPORTER", "W_NO_IMPORTER"} & set(r.summary.warning_codes)
