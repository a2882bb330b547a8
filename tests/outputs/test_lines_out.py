"""Issue 13, ``--lines-out``: the per-line table written through pyarrow gives a reader what the
pandas writer gave (kept below as ``old_write_lines``, the reference): the same columns and
headers, the same text, formula-like text apostrophe-prefixed, blanks blank, UTF-8 with BOM,
the same parquet table. One deliberate change: a float is written as the shortest decimal that
reads back as exactly the same number, never in scientific notation (the pandas writer wrote 10
significant digits, ``%.10g``: a cost of 1,234,567,890.12 EUR lost its cents, and 0.00001 came out
as ``1e-05``); rounded to 10 significant digits it is the old text.
"""

from __future__ import annotations

import codecs
import csv
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import pytest
from conftest import REPO, SAMPLES

from cbam_calc.compute.calculate import calculate
from cbam_calc.outputs.lines_out import write_lines
from cbam_calc.outputs.writers import atomic_write, neutral_text, neutralise


# ---------------------------------------------------------------------------- the reference
def _old_risky(s: pd.Series) -> pd.Series:
    from cbam_calc.outputs.writers import FORMULA_START, ILLEGAL_XML_CHARS, PLAIN_NUMBER

    as_str = s.where(s.map(lambda v: isinstance(v, str)), None).astype(object)
    starts = as_str.str.startswith(FORMULA_START).fillna(False).astype(bool)
    if starts.any():
        starts &= ~as_str.str.fullmatch(PLAIN_NUMBER.pattern).fillna(False).astype(bool)
    return starts | as_str.str.contains(ILLEGAL_XML_CHARS).fillna(False).astype(bool)


def _old_neutralise_frame(df: pd.DataFrame) -> pd.DataFrame:
    out = df.copy()
    for c in out.columns:
        s = out[c]
        if isinstance(s.dtype, pd.CategoricalDtype):
            cats = pd.Index([neutralise(v) for v in s.cat.categories], dtype=object)
            if cats.is_unique:
                out[c] = pd.Categorical.from_codes(s.cat.codes.to_numpy(), categories=cats)
            else:
                out[c] = s.astype(object).map(neutralise)
        elif s.dtype == object or pd.api.types.is_string_dtype(s.dtype):
            risky = _old_risky(s)
            if risky.any():
                out[c] = s.where(~risky, s.map(neutralise))
    out.columns = [neutralise(str(c)) for c in out.columns]
    return out


def old_write_lines(df: pd.DataFrame, path: Path) -> Path:
    """writers.write_lines before issue 13 (pandas to_csv / to_parquet)."""
    if path.suffix.lower() != ".parquet":
        safe = _old_neutralise_frame(df)
        return atomic_write(
            path, lambda tmp: safe.to_csv(tmp, index=False, encoding="utf-8-sig", float_format="%.10g")
        )
    frame = df.copy()
    for c in frame.columns:
        if frame[c].dtype == object:
            frame[c] = frame[c].map(lambda v: None if v is None or v == "" else str(v))
    return atomic_write(path, lambda tmp: frame.to_parquet(tmp, index=False))


# ---------------------------------------------------------------------------- samples
def mixed_frame() -> pd.DataFrame:
    """Every kind of column the lines table has, with the texts that need care."""
    n = 9
    text = ["钢铁厂", '=HYPERLINK("h")', "+1+1", "-12.5", "", None, "@SUM(A1)", 'a,b "q"\nx', "\tTab\x01"]
    mixed = [1248.6, "x", "", 2, None, "=1", 0.1 + 0.2, pd.Timestamp("2026-01-19").date(), "-2+3"]
    floats = [0.1, 1 / 3, 1e-05, 1e-07, 12345678901.5, np.nan, -0.0, 2.0, 0.1 + 0.2]
    return pd.DataFrame(
        {
            "installation": pd.Categorical(text),
            "进口商": pd.Categorical(["宁波永新", "=cmd", "宁波永新", None, "A", "B", "C", "D", "-"]),
            "input: net_mass_t": pd.Series(mixed, dtype=object),
            "notes": pd.Series(text, dtype="str"),
            "obj_text": pd.Series(text, dtype=object),
            "row": np.arange(2, 2 + n, dtype=np.int64),
            "year": pd.array([2026, None, 2027, 2026, 2026, 2026, 2026, 2026, 2026], dtype="Int64"),
            "cost_eur": floats,
            "net_mass_t": [1234567890.12, 0.000123, 5e-7, 1e22, 100.0, np.nan, 3.25, -1.5, 7.0],
            "direct_only": [True, False, True, True, False, False, True, False, True],
            "import_date_used": pd.to_datetime(["2026-01-19", None, "2026-02-05", *["2026-03-11"] * 6]),
            "stamp": pd.to_datetime(["2026-01-19 12:30:00", *["2026-02-05 00:00:00"] * 8]),
            "int_cats": pd.Categorical([1, 2, None, 1, 2, 3, 1, 2, 3]),
            "=header": ["x"] * n,
            "blank_input": pd.Series(["", None] * 4 + [""], dtype=object),  # an empty input column
        }
    )


def sample_lines() -> list[tuple[str, pd.DataFrame]]:
    """The lines of every sample input and of the hostile outputs corpus (real tables)."""
    out = []
    for p in [*sorted(SAMPLES.glob("shipments_*")), REPO / "tests/data/hostile/outputs/shipments.csv"]:
        out.append((p.name, calculate(p).lines))
    return out


# ---------------------------------------------------------------------------- comparing
def read_rows(path: Path) -> list[list[str]]:
    raw = path.read_bytes()
    assert raw.startswith(codecs.BOM_UTF8)  # Excel reads the Chinese text right
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.reader(fh))


def assert_same_csv(df: pd.DataFrame, old: Path, new: Path) -> None:
    """Field by field what the old file held; floats: the exact value, positional, and the old
    text once rounded to 10 significant digits."""
    o, n = read_rows(old), read_rows(new)
    assert len(o) == len(n) == len(df) + 1
    assert n[0] == o[0]
    for j, col in enumerate(df.columns):
        s = df.iloc[:, j]
        is_float = pd.api.types.is_float_dtype(s.dtype)
        for i in range(len(df)):
            a, b = o[i + 1][j], n[i + 1][j]
            if not is_float:
                assert b == a, (col, i, a, b)
                continue
            assert (a == "") == (b == ""), (col, i, a, b)
            if b:
                v = s.iloc[i]
                assert float(b) == v and math.copysign(1, float(b)) == math.copysign(1, v), (col, i, b, v)
                assert "e" not in b.lower() or b.lower().lstrip("-") == "inf", (col, i, b)
                assert f"{float(b):.10g}" == a, (col, i, a, b)


def assert_same_parquet(old: Path, new: Path) -> None:
    assert pq.read_schema(new).equals(pq.read_schema(old), check_metadata=True)
    assert pq.read_table(new).equals(pq.read_table(old))
    pd.testing.assert_frame_equal(pd.read_parquet(new), pd.read_parquet(old))


# ---------------------------------------------------------------------------- the tests
@pytest.mark.parametrize("suffix", [".csv", ".parquet"])
def test_mixed_sample_reads_as_the_old_writer_wrote_it(tmp_path, suffix):
    df = mixed_frame()
    old = old_write_lines(df, tmp_path / f"old{suffix}")
    new = write_lines(df, tmp_path / f"new{suffix}")
    if suffix == ".csv":
        assert_same_csv(df, old, new)
    else:
        assert_same_parquet(old, new)


@pytest.mark.parametrize("suffix", [".csv", ".parquet"])
def test_every_sample_reads_as_the_old_writer_wrote_it(tmp_path, suffix):
    for name, df in sample_lines():
        old = old_write_lines(df, tmp_path / f"old_{name}{suffix}")
        new = write_lines(df, tmp_path / f"new_{name}{suffix}")
        if suffix == ".csv":
            assert_same_csv(df, old, new)
        else:
            assert_same_parquet(old, new)


def test_empty_table_keeps_its_header(tmp_path):
    df = mixed_frame().iloc[:0]
    old = old_write_lines(df, tmp_path / "old.csv")
    new = write_lines(df, tmp_path / "new.csv")
    assert read_rows(new) == read_rows(old)


def test_floats_read_back_exactly_and_never_in_scientific_notation(tmp_path):
    values = [0.1, 0.1 + 0.2, 1 / 3, 1e-05, 1e-07, 1.2345e-09, 12345678901.5, 1e22, 1234567890.12, -0.0, 2.0]
    df = pd.DataFrame({"v": values})
    rows = read_rows(write_lines(df, tmp_path / "f.csv"))[1:]
    texts = [r[0] for r in rows]
    assert texts[:2] == ["0.1", "0.30000000000000004"]  # the shortest text of the exact value
    assert texts[3:5] == ["0.00001", "0.0000001"] and texts[7] == "10000000000000000000000"
    assert texts[8] == "1234567890.12"  # the cents %.10g lost
    assert [float(t) for t in texts] == values and all("e" not in t for t in texts)


def test_floats_of_every_magnitude_are_positional_at_arrows_exponent_edges(tmp_path):
    """float_text looks for an exponent only outside [1e-5, 1e9): Arrow's text has one below 1e-6
    and from 1e10 on (if a pyarrow release moved those edges into the margin, this fails)."""
    edges = [np.nextafter(1e-6, 0), 1e-6, 1e-5, np.nextafter(1e9, 0), 1e9, np.nextafter(1e10, 0), 1e10]
    values = [m * 10.0**e for e in range(-12, 23) for m in (1.0, 3.7, 9.99)] + edges
    values += [-v for v in values] + [0.0, np.inf, -np.inf]
    df = pd.DataFrame({"v": values})
    texts = [r[0] for r in read_rows(write_lines(df, tmp_path / "e.csv"))[1:]]
    assert [float(t) for t in texts] == values
    assert all("e" not in t for t in texts[:-2]) and texts[-2:] == ["inf", "-inf"]
    assert texts[values.index(1e10)] == "10000000000" and texts[values.index(1e-6)] == "0.000001"
    assert texts[values.index(np.nextafter(1e-6, 0))] == "0.0000009999999999999997"


def test_csv_neutralising_is_neutral_text_on_every_text_cell(tmp_path):
    texts = [
        "=1",
        "+3",
        "-12.5",
        "-",
        "-2+3",
        "@x",
        "\tT",
        "\rC",
        "a\x02b",
        "=\x03",
        "１２",
        "-１２",
        "ok",
        "",
    ]
    df = pd.DataFrame({"s": pd.Series(texts, dtype="str"), "c": pd.Categorical(texts), "o": texts})
    rows = read_rows(write_lines(df, tmp_path / "n.csv"))[1:]
    want = [neutralise(t) for t in texts]
    assert [r[0] for r in rows] == [r[1] for r in rows] == [r[2] for r in rows] == want
    assert (
        want[0] == "'=1" and want[2] == "-12.5" and want[8] == "ab" and neutral_text("=\x03") == ("=", True)
    )


def test_slices_written_while_the_next_is_made_give_the_file_of_one_slice(tmp_path, monkeypatch):
    """The floats of slice k+1 are made in a second thread while slice k is written: in order,
    one header, the same bytes as the whole table written at once."""
    import cbam_calc.outputs.lines_out as lines_out

    df = pd.concat([mixed_frame()] * 3, ignore_index=True)  # 27 rows
    whole = write_lines(df, tmp_path / "whole.csv").read_bytes()
    monkeypatch.setattr(lines_out, "CSV_SLICE_ROWS", 4)  # 7 slices, the last of 3 rows
    sliced = write_lines(df, tmp_path / "sliced.csv").read_bytes()
    assert (
        sliced == whole
        and whole.count(b"installation") == 1
        and len(read_rows(tmp_path / "sliced.csv")) == 28
    )


def test_a_write_failing_while_the_next_slice_is_made_leaves_no_file_and_no_thread(tmp_path, monkeypatch):
    import builtins
    import threading

    import cbam_calc.outputs.lines_out as lines_out
    from cbam_calc.core.errors import OutputError

    real_open, writes = builtins.open, []

    class Full:  # the disk fills up at the third write: the BOM, slice 1, then slice 2
        def __init__(self, f):
            self._f = f

        def write(self, data):
            writes.append(len(data))
            if len(writes) == 3:
                raise OSError(28, "No space left on device", self._f.name)
            return self._f.write(data)

        def __getattr__(self, name):
            return getattr(self._f, name)

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self._f.close()

    def full_open(file, mode="r", *a, **k):
        f = real_open(file, mode, *a, **k)
        return Full(f) if "w" in mode and str(file).endswith(".part") else f

    monkeypatch.setattr(lines_out, "CSV_SLICE_ROWS", 2)
    monkeypatch.setattr(builtins, "open", full_open)
    with pytest.raises(OutputError, match=r"l\.csv: cannot be written"):
        write_lines(pd.concat([mixed_frame()] * 3, ignore_index=True), tmp_path / "l.csv")
    assert len(writes) == 3 and list(tmp_path.iterdir()) == []
    assert not [t for t in threading.enumerate() if t.name.startswith("cbam-lines-out")]


# ---------------------------------------------------------------------------- failing writes
CORPUS = REPO / "tests" / "data" / "hostile" / "outputs"
SLOW_PART = """
import builtins, io, os, sys, time
sys.path.insert(0, {faults!r})
real_open = builtins.open

class Slow:
    def __init__(self, f): self._f = f
    def write(self, data):
        open(os.path.join(os.path.dirname(self._f.name), "writing"), "w").close()
        time.sleep(0.3)
        return self._f.write(data)
    def __getattr__(self, name): return getattr(self._f, name)
    def __enter__(self): return self
    def __exit__(self, *exc): self._f.close(); return False

def slow_open(file, mode="r", *a, **k):
    f = real_open(file, mode, *a, **k)
    return Slow(f) if "w" in mode and str(file).endswith(".part") else f

builtins.open = io.open = slow_open
from cbam_calc.cli import main
sys.exit(main({argv!r}))
"""


@pytest.fixture
def corpus(tmp_path) -> Path:
    import shutil

    folder = tmp_path / "corpus"
    shutil.copytree(CORPUS, folder)
    return folder


def _stray(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if p.name.endswith(".part") or p.name.startswith(".")]


@pytest.mark.parametrize("name", ["l.csv", "l.parquet"])
def test_a_full_disk_while_writing_the_lines_is_one_line_naming_them(corpus, name):
    from child import TRACEBACK, run_python

    argv = ["calc", "shipments.csv", "--lines-out", name]
    code = (
        f"import sys; sys.path.insert(0, {str(Path(__file__).parent)!r}); import faults; "
        f"faults.install('ENOSPC', 'part'); from cbam_calc.cli import main; sys.exit(main({argv!r}))"
    )
    r = run_python(["-c", code], corpus)
    assert "disk is full" in r.one_line_error(names=name)
    assert "Exception ignored" not in r.stderr and not TRACEBACK.search(r.stderr)
    assert not _stray(corpus) and not (corpus / name).exists()


@pytest.mark.slow
@pytest.mark.parametrize("name", ["l.csv", "l.parquet"])
def test_sigterm_while_writing_the_lines_leaves_no_part_file(corpus, name):
    """Each write to the .part file is slowed down, so SIGTERM lands inside pyarrow's writing."""
    import os
    import signal
    import subprocess
    import sys
    import time

    code = SLOW_PART.format(
        faults=str(Path(__file__).parent), argv=["calc", "shipments.csv", "--lines-out", name]
    )
    env = {**os.environ, "PYTHONUTF8": "1"}
    env.pop("CBAM_DEBUG", None)
    p = subprocess.Popen([sys.executable, "-c", code], cwd=corpus, env=env, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while not (corpus / "writing").exists() and p.poll() is None and time.monotonic() < deadline:
        time.sleep(0.01)
    assert (corpus / "writing").exists(), "the lines were never being written"
    p.send_signal(signal.SIGTERM)
    _, err = p.communicate(timeout=60)
    lines = [ln for ln in err.decode().splitlines() if ln.strip()]
    assert p.returncode == 143 and len(lines) == 1 and "terminated" in lines[0], (p.returncode, err)
    assert not _stray(corpus) and not (corpus / name).exists()
