"""Issue 11: a scenario file cannot hurt (tests/data/hostile/scenarios/, scripts/corpus/scenarios.py).

Each hostile file runs ``cbam scenario --config FILE`` in a child process (tests/child.py): exit 2,
one line naming the file and what to do, no traceback, peak RSS under 500 MB. Ranges are checked
before they are expanded, nesting and aliases are bounded before the document is built, and
``--baseline`` is checked against the scenario names (with or without --config).
"""

from __future__ import annotations

import pytest
from child import run_cbam, run_python
from conftest import REPO

from cbam_calc.compute.scenario_set import load_config, scenario_set_from_options
from cbam_calc.core.errors import OptionError

CORPUS = REPO / "tests" / "data" / "hostile" / "scenarios"
INPUT = CORPUS / "members" / "alpha.csv"


def scenario(tmp_path, *args):
    return run_cbam(["scenario", INPUT, *map(str, args)], tmp_path)


@pytest.mark.parametrize(
    "name, needle",
    [
        ("years_huge.yaml", "900000000 is outside"),
        ("eua_list.yaml", "eua: expected a mapping"),
        ("deep_nesting.yaml", "nested more than"),
        ("billion_laughs.yaml", "aliases"),
        ("self_alias.yaml", "contains itself"),
        ("not_utf8.yaml", "is not UTF-8: save it as UTF-8"),
        ("scenario_not_mapping.yaml", "scenario 'low': expected a mapping"),
        ("scenarios_list_bad_eua.yaml", "scenarios[2].eua"),
        ("scenarios_empty.yaml", "give at least one scenario"),
        ("key_not_text.yaml", "must be names"),
    ],
)
def test_hostile_scenario_file_is_one_line_naming_it(tmp_path, name, needle):
    r = scenario(tmp_path, "--config", CORPUS / name)
    line = r.one_line_error(names=name)
    assert needle in line
    r.bounded()
    assert not list(tmp_path.iterdir())


# in a child with its address space capped (parse_years needs no pyarrow): a parse_years that
# expanded the range would fail there with MemoryError, not take the machine's memory
YEARS_CHILD = """
import resource
resource.setrlimit(resource.RLIMIT_AS, (4 << 30, 4 << 30))
from cbam_calc.compute.scenario_set import parse_years
from cbam_calc.law import proposals
allowed = proposals.scenario_years()
for text in ["2026-900000000", f"{allowed.stop - 1}-{allowed.start}"]:
    try:
        parse_years(text)
        print("accepted", text)
    except ValueError as e:
        print("refused:", e)
print(parse_years(f"{allowed.start}-{allowed.start + 2}") == [allowed.start + k for k in range(3)])
"""


def test_year_range_is_checked_before_it_is_expanded(tmp_path):
    r = run_python(["-c", YEARS_CHILD], tmp_path)
    assert r.code == 0, r.stderr
    refused_huge, refused_backwards, ok = r.stdout.splitlines()
    assert "900000000 is outside" in refused_huge
    assert "runs backwards" in refused_backwards
    assert ok == "True"
    r.bounded()


def test_years_option_range_is_refused_in_one_run(tmp_path):
    r = scenario(tmp_path, "--years", "2026-900000000")
    assert r.code == 2 and "900000000 is outside" in r.stderr
    r.bounded()


def test_gbk_scenario_file_is_read_as_a_gbk_csv_is():
    # csv_arrow reads a CSV that is not UTF-8 as GB18030 (Excel on Chinese Windows): so does this
    sset = load_config(CORPUS / "gbk.yaml")
    assert [s.name for s in sset.scenarios] == ["钢铁高碳价"]


def test_unknown_baseline_names_the_scenarios(tmp_path):
    r = scenario(tmp_path, "--baseline", "nosuch")
    line = r.one_line_error(names="nosuch")
    assert "internal error" not in line and "the scenarios are:" in line


def test_baseline_applies_with_config():
    sset = scenario_set_from_options(config=CORPUS / "ok.yaml", baseline="high")
    assert sset.baseline == "high"
    with pytest.raises(
        OptionError, match="'nosuch' is not a scenario name; the scenarios are: 'low'; 'high'"
    ):
        scenario_set_from_options(config=CORPUS / "ok.yaml", baseline="nosuch")
