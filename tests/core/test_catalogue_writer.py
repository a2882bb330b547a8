"""scripts/update_catalogue.py writes the catalogues so that a second run changes nothing: the
committed template and Chinese catalogue come back byte for byte, and a run that adds a code
changes that code's entry only, whatever the wrapping of the others (a Chinese text wrapped by
hand at its display width was rewrapped by every run that wrote the file, a change nobody made)."""

from __future__ import annotations

import importlib.util
import shutil

import pytest
from conftest import REPO

from cbam_calc.core import messages

# M_DISPLAY_RATE_NOTE's Chinese as Babel wraps it (at 100 characters, between words: a Chinese
# text has few places to break) and as it was first written (commit 027b1a5), wrapped by hand at
# about 100 columns of display width.
BABEL_WRAPPED = (
    '"{currency} 金额按展示汇率折算：欧洲央行欧元参考汇率在每行证书价格期间内的均值（2026年为季度，'
    '2027年起为适用周周二所在的月份）；数据截至 "\n'
    '"{data_to}，其后的期间沿用最后一个完整期间的均值，标为预测。'
    "它不是第9条（Art 9）所用的汇率（已付碳价按年度"
    '平均汇率折算）；所有 CBAM 数字均以欧元计算"\n'
)
HAND_WRAPPED = (
    '"{currency} 金额按展示汇率折算：欧洲央行欧元参考汇率在每行证书价格期间内的均值（'
    '2026年为季度，2027年起为"\n'
    '"适用周周二所在的月份）；数据截至 {data_to}，其后的期间沿用最后一个完整期间的均值，'
    '标为预测。它不是第9条"\n'
    '"（Art 9）所用的汇率（已付碳价按年度平均汇率折算）；所有 CBAM 数字均以欧元计算"\n'
)


@pytest.fixture
def script():
    spec = importlib.util.spec_from_file_location(
        "update_catalogue", REPO / "scripts" / "update_catalogue.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def locale(tmp_path, script, monkeypatch):
    """A copy of cbam_calc/locale that the script writes, and the path of its Chinese catalogue."""
    copied = shutil.copytree(messages.LOCALE_DIR, tmp_path / "locale")
    monkeypatch.setattr(script, "LOCALE_DIR", copied)
    monkeypatch.setattr(script, "ROOT", tmp_path)
    return copied, copied / "zh_CN" / "LC_MESSAGES" / "cbam_calc.po"


def test_the_whole_catalogue_round_trips_through_the_writer_byte_for_byte(script):
    files = script.catalogues(messages.LOCALE_DIR)
    assert set(files) == {messages.LOCALE_DIR / "cbam_calc.pot", messages.catalogue_path("zh")}
    for path, data in files.items():
        assert data == path.read_bytes(), path
    # and the entries are those of MESSAGES, each once, in its order (none kept from the file alone)
    assert [
        script._said(e)[0][0] for e in script._entries(files[messages.catalogue_path("zh")])[1:-1]
    ] == list(messages.MESSAGES)


def test_a_run_that_adds_a_code_writes_its_entry_only_and_the_next_run_nothing(script, locale, monkeypatch):
    folder, po = locale
    text = po.read_text(encoding="utf-8")
    assert BABEL_WRAPPED in text  # the layout Babel writes
    po.write_text(text.replace(BABEL_WRAPPED, HAND_WRAPPED), encoding="utf-8")
    before = po.read_bytes()
    assert script.main(["--check"]) == 0  # the same content: nothing to do
    monkeypatch.setitem(messages.MESSAGES, "M_ZZ_CATALOGUE_TEST", "a new code of {n} lines")
    assert script.main([]) == 0
    after = po.read_bytes()
    old, new = before.decode().splitlines(keepends=True), after.decode().splitlines(keepends=True)
    assert HAND_WRAPPED in after.decode()  # the hand-wrapped entry is as it was
    at = new.index('msgctxt "M_ZZ_CATALOGUE_TEST"\n')
    added = new[at - 2 : at + 4]
    assert added == [
        "#. keep the placeholders: {n}\n",
        "#, python-brace-format\n",
        'msgctxt "M_ZZ_CATALOGUE_TEST"\n',
        'msgid "a new code of {n} lines"\n',
        'msgstr ""\n',
        "\n",
    ]
    assert new[: at - 2] + new[at + 4 :] == old  # nothing else changed
    assert script.main([]) == 0 and po.read_bytes() == after  # a second run: no change
    assert (folder / "cbam_calc.pot").read_bytes() == script.catalogues(folder)[folder / "cbam_calc.pot"]
    assert script.main(["--check"]) == 0  # current (its Chinese is still to write: listed by a run)
