"""Every file of tests/data/bad/ gives exactly the message recorded in expected.yaml."""

from __future__ import annotations

import pytest
import yaml
from conftest import REPO

from cbam_calc.cli import main
from cbam_calc.compute.calculate import calculate
from cbam_calc.core.errors import CbamError

BAD = REPO / "tests" / "data" / "bad"
EXPECTED = yaml.safe_load((BAD / "expected.yaml").read_text(encoding="utf-8"))


def test_every_bad_file_has_an_expectation():
    files = {p.name for p in BAD.iterdir() if p.name != "expected.yaml"}
    assert files == set(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_bad_file_gives_its_exact_message(name, monkeypatch, capsys):
    monkeypatch.chdir(REPO)
    path = f"tests/data/bad/{name}"
    want = EXPECTED[name]
    if "error" in want:
        with pytest.raises(CbamError) as e:
            calculate(path)
        assert str(e.value) == want["error"]
        assert main(["calc", path]) == 2  # and the command says it in one line, no traceback
        err = capsys.readouterr().err
        assert err == f"error: {want['error']}\n"
    else:
        r = calculate(path, raise_if_empty=False)
        got = {int(x.row): [x.column, x.reason] for x in r.rejected.itertuples()}
        assert got == {int(k): v for k, v in want["rejected"].items()}
        assert r.summary.lines == want["lines"]
        assert r.summary.lines + r.summary.rejected == r.summary.rows_read
