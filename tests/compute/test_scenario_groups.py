"""The defaults-vs-actual table and the crossover years, vectorised over installations (issue 13),
give the scenario JSON the per-installation loop gave, to the bit.

The reference implementations below are main's code before the change (a groupby iterated in
Python, one ``Series.sum()`` per group), kept here as the oracle. The realistic-shape file has the
proportions of what associations send (26 origins written three ways, Chinese headers, thousands of
installations with long names, 45 % actual data, three date styles), at 5,000 lines.
"""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from cbam_calc.compute import scenarios as sc
from cbam_calc.compute.scenarios import default_scenarios, group_sums, run_scenarios
from cbam_calc.core.model import CalcOptions
from cbam_calc.inputs.readers import read_table
from cbam_calc.inputs.validate import validate
from cbam_calc.law.reference import reference_data
from cbam_calc.outputs import scenario_report
from cbam_calc.outputs.scenario_report import records_json, scenario_json

ORIGINS = ["CN"] * 14 + ["IN", "TR", "VN", "EG", "RU", "KR", "UA", "BR", "ZA", "AE", "SA", "MY", "ID"]
ORIGINS += ["TH", "JP", "TW", "US", "GB", "PK", "KZ", "MX", "CA", "AR", "MA", "DZ"]
SECTORS = ("iron_steel", "aluminium", "cement", "fertilisers")


# ---------------------------------------------------------------------------- main's code, the oracle
def old_default_vs_actual(sset, baseline, base, validated) -> pd.DataFrame:
    has_actual = ~np.isnan(validated.lines["see_direct"].to_numpy(dtype=float))
    if not has_actual.any():
        return pd.DataFrame(columns=sc.DEFAULT_VS_ACTUAL_COLUMNS)
    rows = []
    zero_gap = np.zeros(len(validated.lines))
    intensity = np.zeros(len(validated.lines))
    for year in sset.years:
        levies = {}
        for em in ("declared", "default"):
            b = base(year, em, baseline.eua, baseline.cbam_factor)
            o = sc.evaluate(b, baseline.model_copy(update={"recognition": False}), intensity, zero_gap)
            mask = has_actual[b.keep]
            levies[em] = pd.DataFrame(
                {"installation": b.installation[mask], "levy": o.levy_eur[mask], "pos": b.keep[mask]}
            )
        both = levies["declared"].merge(levies["default"], on="pos", suffixes=("_a", "_d"))
        both["installation"] = both["installation_a"].replace("", "(all lines)")
        for inst, g in both.groupby("installation", sort=True):
            diff = float(g["levy_d"].sum() - g["levy_a"].sum())
            rows.append(
                {
                    "installation": inst,
                    "year": year,
                    "levy_actual_eur": float(g["levy_a"].sum()),
                    "levy_default_eur": float(g["levy_d"].sum()),
                    "default_minus_actual_eur": diff,
                    "verification_cost_eur": sset.verification_cost_eur,
                    "defaults_cost_more": diff > sset.verification_cost_eur,
                }
            )
    return pd.DataFrame(rows)


def old_crossover_years(dva: pd.DataFrame) -> dict:
    out = {}
    for inst, g in dva.groupby("installation", sort=True):
        hit = g[g["defaults_cost_more"]]
        out[inst] = int(hit["year"].min()) if len(hit) else None
    return out


def old_scenario_json(result) -> str:
    """main's scenario_json: the whole document through json.dumps(indent=2)."""
    from cbam_calc.core.messages import message_fields

    warnings, codes, params = message_fields(result.warnings)
    doc = {
        "rule_status": result.rule_status,
        "baseline": result.baseline,
        "scenarios": result.records(),
        "break_even": result.break_even.to_dict("records"),
        "default_vs_actual": result.default_vs_actual.to_dict("records"),
        "defaults_cost_more_from": old_crossover_years(result.default_vs_actual)
        if len(result.default_vs_actual)
        else {},
        "assumptions": result.assumptions,
        "warnings": warnings,
        "warning_codes": codes,
        "warning_params": params,
    }
    return json.dumps(scenario_report._plain(doc), ensure_ascii=False, indent=2)


# ---------------------------------------------------------------------------- a realistic-shape file
def realistic_csv(path, n: int = 5_000, seed: int = 13) -> None:
    """``n`` lines of the realistic shape (deterministic). Codes are drawn from the in-force Annex I
    goods of four sectors; a line the engine cannot compute is simply rejected, as in real files."""
    ref = reference_data()
    goods = ref.goods
    goods = goods[(goods["status"] == "in_force") & goods["sector"].isin(SECTORS)]
    bm = ref.benchmarks
    route_a = (
        bm[bm["column"] == "A"]
        .groupby("cn_code")["route"]
        .agg(lambda s: min((r for r in s if r), default=""))
    )
    codes = goods["cn_code"].to_numpy(dtype=object)
    sector_of = dict(zip(goods["cn_code"], goods["sector"]))
    rng = np.random.default_rng(seed)
    n_inst = max(20, n // 5)  # ~20,000 installations for 100,000 lines
    inst_actual = rng.random(n_inst) < 0.45
    inst_names = np.array(
        [f"Installation {i:05d} Heavy Industry Group Co., Ltd. 第{i % 97}号工厂" for i in range(n_inst)],
        dtype=object,
    )
    inst = rng.integers(0, n_inst, n)
    inst_names[rng.integers(0, n_inst)] = ""  # lines of an unnamed installation: '(all lines)'
    cn = codes[rng.integers(0, len(codes), n)]
    actual = inst_actual[inst]
    countries = ref.countries
    iso = np.asarray(ORIGINS, dtype=object)[rng.integers(0, len(ORIGINS), n)]
    style = rng.integers(0, 3, n)
    country = np.where(
        style == 1,
        countries["name"].reindex(iso).to_numpy(dtype=object),
        np.where(style == 2, countries["name_zh"].reindex(iso).to_numpy(dtype=object), iso),
    )
    see_d = np.where(actual, np.round(rng.uniform(0.2, 3.0, n), 3), np.nan)
    see_i = np.where(actual, np.round(rng.uniform(0.0, 0.4, n), 3), np.nan)
    route = np.array(
        [route_a.get(c, "") if a else ("A" if sector_of[c] == "cement" else "") for c, a in zip(cn, actual)],
        dtype=object,
    )
    month, day = rng.integers(1, 13, n), rng.integers(1, 29, n)
    ds = rng.integers(0, 3, n)
    date = [
        (f"2026-{m:02d}-{d:02d}", f"2026/{m}/{d}", f"2026年{m}月{d}日")[k] for m, d, k in zip(month, day, ds)
    ]
    mass = np.round(np.exp(rng.uniform(0, np.log(5000), n)), 3)
    mass_text = [f"{m:,.3f}" if r < 0.01 else f"{m:.3f}" for m, r in zip(mass, rng.random(n))]
    priced = (iso == "CN") & (rng.random(n) < 1 / 3)
    importers = np.array([f"European Steel Trading Company No. {i:04d} GmbH" for i in range(max(5, n // 33))])
    pd.DataFrame(
        {
            "商品编码": cn,
            "原产国": country,
            "净重（吨）": mass_text,
            "进口日期": date,
            "直接排放": see_d,
            "间接排放": see_i,
            "生产路线": route,
            "生产设施": inst_names[inst],
            "进口商": importers[rng.integers(0, len(importers), n)],
            "已付碳价": np.where(priced, np.round(rng.uniform(60, 110, n), 2), np.nan),
            "碳价币种": np.where(priced, "CNY", ""),
            "碳价基础": np.where(priced, "per_tco2e", ""),
        }
    ).to_csv(path, index=False)


# ---------------------------------------------------------------------------- the cases
def test_group_sums_equal_a_series_sum_per_group():
    rng = np.random.default_rng(7)
    sizes = np.r_[rng.integers(1, 12, 1500), rng.integers(100, 400, 20)]  # small groups and a few large
    keys = np.repeat(np.array([f"inst {i}" for i in range(len(sizes))], dtype=object), sizes)
    n = len(keys)
    keys = keys[rng.permutation(n)]
    keys[rng.random(n) < 0.01] = None  # missing: dropped, as groupby(dropna=True)
    a = rng.normal(size=n) * rng.uniform(1, 1e6, n)
    b = np.where(rng.random(n) < 0.02, np.nan, rng.normal(size=n) * 1e4)
    names, sa, sb = group_sums(keys, a, b)
    frame = pd.DataFrame({"k": keys, "a": a, "b": b})
    expect = {k: (g["a"].sum(), g["b"].sum()) for k, g in frame.groupby("k", sort=True)}
    assert list(names) == list(expect)
    assert [x for x, _ in expect.values()] == sa.tolist()  # bit for bit, not approximately
    assert [y for _, y in expect.values()] == sb.tolist()


def test_crossover_years_as_a_loop_over_installations():
    dva = pd.DataFrame(
        {
            "installation": ["b", "a", "b", "a", "c", "c"],
            "year": [2026, 2026, 2027, 2027, 2026, 2027],
            "defaults_cost_more": [False, False, True, True, False, False],
        }
    )
    assert sc.crossover_years(dva) == old_crossover_years(dva) == {"a": 2027, "b": 2027, "c": None}


@pytest.mark.slow
def test_scenario_json_of_a_realistic_file_is_the_per_installation_loops(tmp_path, monkeypatch):
    """One scenario run over 2026-2034 (default set); the new table and the old one are built from
    the same engine results, and the whole --format json text is compared."""
    path = tmp_path / "realistic.csv"
    realistic_csv(path)
    ref = reference_data()
    validated = validate(read_table(path), ref)
    assert validated.lines["installation"].nunique() > 500
    assert 0.3 < validated.lines["see_direct"].notna().mean() < 0.6
    old = {}
    new_dva = sc.default_vs_actual

    def both(sset, baseline, base, v):
        old["dva"] = old_default_vs_actual(sset, baseline, base, v)
        return new_dva(sset, baseline, base, v)

    monkeypatch.setattr(sc, "default_vs_actual", both)
    sset = default_scenarios()
    result = run_scenarios(validated, sset, CalcOptions(), ref)
    assert len(result.default_vs_actual) > 2_000  # installation groups over the nine years
    assert result.default_vs_actual["defaults_cost_more"].any()
    pd.testing.assert_frame_equal(result.default_vs_actual, old["dva"], check_exact=True)
    new_json = scenario_json(result)
    result.default_vs_actual = old["dva"]
    assert old_scenario_json(result) == new_json


@pytest.mark.parametrize(
    "frame",
    [
        pd.DataFrame(),
        pd.DataFrame(columns=sc.DEFAULT_VS_ACTUAL_COLUMNS),
        pd.DataFrame(
            {
                "installation": ['Plant "A"\\x', "(all lines)", "江苏第1号工厂\u0000\n", "</script>"],
                "year": np.array([2026, 2027, 2028, 2034], dtype=np.int64),
                "levy": [0.1 + 0.2, np.nan, np.inf, -1e-300],
                "minus": [-0.0, 1e22, -np.inf, 12345678.000001],
                "more": [True, False, True, False],
                "note": ["", None, np.nan, "3 line(s) on default values keep their levy"],
                "mixed": [1, 2.5, "x", None],
            }
        ),
    ],
    ids=["no columns", "no rows", "every kind of value"],
)
def test_records_json_is_json_dumps_of_the_records(frame):
    expect = json.dumps({"t": scenario_report._plain(frame.to_dict("records"))}, ensure_ascii=False, indent=2)
    assert '{\n  "t": ' + records_json(frame, level=1) + "\n}" == expect
