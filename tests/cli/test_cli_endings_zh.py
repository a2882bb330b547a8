"""Issue 14, "Chinese, completely": the command line's last line in the run's language, also where
a run ends other than on an error of its input (a file written by cbam template or cbam emissions,
an interrupt, a bug)."""

from __future__ import annotations

from pathlib import Path

import pytest

from cbam_calc.cli import main

SAMPLES = Path(__file__).resolve().parents[2] / "samples"


@pytest.mark.parametrize(
    ("lang", "said"),
    [("zh", "模板已写入 {path}"), ("en", "template written to {path}")],
)
def test_cbam_template_says_what_it_wrote_in_the_run_language(tmp_path, capsys, lang, said):
    out = tmp_path / "模板.xlsx"
    assert main(["template", "-o", str(out), "--lang", lang]) == 0
    assert capsys.readouterr().err.strip() == said.format(path=out)
    assert out.is_file()


def test_cbam_emissions_says_what_it_wrote_in_chinese(tmp_path, capsys):
    out = tmp_path / "e.csv"
    assert (
        main(["emissions", str(SAMPLES / "templates"), "--format", "csv", "-o", str(out), "--lang", "zh"])
        == 0
    )
    assert capsys.readouterr().err.strip() == f"排放数据已写入 {out}"


def test_a_bug_is_one_line_in_chinese_naming_it(tmp_path, capsys, monkeypatch):
    monkeypatch.delenv("CBAM_DEBUG", raising=False)

    def broken(*args, **kwargs):
        raise ValueError("boom")

    monkeypatch.setattr("cbam_calc.outputs.input_template.write_template", broken)
    assert main(["template", "-o", str(tmp_path / "t.xlsx"), "--lang", "zh"]) == 70
    assert capsys.readouterr().err.strip() == (
        "内部错误：ValueError：boom（这是 cbam-calc 的缺陷；"
        "请设置 CBAM_DEBUG=1 重新运行以查看详情，并报告此问题）"
    )
    assert main(["template", "-o", str(tmp_path / "t.xlsx")]) == 70
    assert capsys.readouterr().err.startswith("internal error: ValueError: boom (this is a bug in cbam-calc;")


@pytest.mark.parametrize(("lang", "said"), [("zh", "已中止"), ("en", "aborted")])
def test_ctrl_c_is_said_in_the_run_language(tmp_path, capsys, monkeypatch, lang, said):
    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt  # click turns it into Abort

    monkeypatch.setattr("cbam_calc.outputs.input_template.write_template", interrupted)
    assert main(["template", "-o", str(tmp_path / "t.xlsx"), "--lang", lang]) == 130
    assert capsys.readouterr().err.strip() == said
