"""The README's worked examples are real: every line they show is what the command prints."""

from __future__ import annotations

import re
import shlex

import pytest
from conftest import REPO

from cbam_calc.cli import main

BLOCK = re.compile(r"```\n\$ (cbam [^\n]+)\n(.*?)```", re.S)


def examples() -> list[tuple[str, list[str]]]:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    return [(cmd, body.splitlines()) for cmd, body in BLOCK.findall(text)]


def test_readme_has_worked_examples():
    assert len(examples()) >= 2


@pytest.mark.parametrize(("command", "shown"), examples(), ids=[c for c, _ in examples()])
def test_readme_example_output_is_current(command, shown, capsys, monkeypatch):
    monkeypatch.chdir(REPO)
    assert main(shlex.split(command)[1:]) == 0
    printed = capsys.readouterr().out.splitlines()
    for line in shown:
        if line.strip() in ("", "..."):
            continue
        assert line in printed, f"README line not printed by `{command}`: {line!r}"


def test_readme_scenario_file_is_valid(tmp_path, monkeypatch, capsys):
    text = (REPO / "README.md").read_text(encoding="utf-8")
    config = re.search(r"```yaml\n(.*?)```", text, re.S).group(1)
    path = tmp_path / "my_scenarios.yaml"
    path.write_text(config, encoding="utf-8")
    monkeypatch.chdir(REPO)
    assert (
        main(
            [
                "scenario",
                "samples/shipments_cn_steel.xlsx",
                "--config",
                str(path),
                "--years",
                "2026,2030",
                "--format",
                "json",
            ]
        )
        == 0
    )
    assert '"baseline": "no domestic price"' in capsys.readouterr().out
