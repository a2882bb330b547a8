"""Issue 11, CSV: the corpus of tests/data/hostile/csv/ (scripts/corpus/csv.py), one promise each.

A row is a physical record after the header: lines split on CR, LF or CRLF only, and a quoted
field spans lines only when its quote closes. lines + rejected equals those rows, always, and
every row keeps the line number a text editor shows. A file that cannot be read stops with one
line naming it (exit 2), in a child process (tests/child.py).
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest
from child import run_cbam
from conftest import REPO

from cbam_calc.compute.calculate import calculate
from cbam_calc.core.errors import InputFileError
from cbam_calc.inputs.readers import read_table

CORPUS = REPO / "tests" / "data" / "hostile" / "csv"


def accounted(name: str | Path, lines: int, rejected: int = 0) -> object:
    """Compute the file; assert lines + rejected == rows read == the expected figures."""
    r = calculate(CORPUS / name if isinstance(name, str) else name, raise_if_empty=False)
    s = r.summary
    assert (s.lines, s.rejected, s.rows_read) == (lines, rejected, lines + rejected)
    return r


@pytest.mark.parametrize(
    "name",
    [
        "title_vt.csv",
        "title_ff.csv",
        "title_fs.csv",
        "title_nel.csv",
        "title_u2028.csv",
        "title_vt_crlf.csv",
        "title_vt_cr.csv",
        "title_vt_utf16.csv",
    ],
)
def test_line_break_like_character_in_title_keeps_every_row(name):
    accounted(name, lines=2)
    raw = read_table(CORPUS / name)
    assert raw.header_row == 2
    assert list(raw.rows) == [3, 4]


@pytest.mark.parametrize(
    "name", ["unclosed_quote.csv", "unclosed_quote_crlf.csv", "unclosed_quote_utf16.csv"]
)
def test_unclosed_quote_rejects_its_line_and_reading_resumes(name):
    r = accounted(name, lines=99, rejected=1)
    rej = r.rejected
    assert list(rej["row"]) == [2]
    assert list(rej["code"]) == ["R_QUOTE_NOT_CLOSED"]
    assert list(read_table(CORPUS / name).rows) == list(range(3, 102))


def test_unclosed_quote_on_the_last_line():
    r = accounted("unclosed_quote_last.csv", lines=4, rejected=1)
    assert list(r.rejected["row"]) == [6]


def test_quoted_two_line_title_is_not_a_shipment():
    accounted("quoted_title.csv", lines=2)
    raw = read_table(CORPUS / "quoted_title.csv")
    assert raw.header_row == 3
    assert list(raw.rows) == [4, 5]


def test_closed_multiline_note_is_one_row_and_later_rows_keep_their_line_numbers():
    accounted("multiline_note.csv", lines=3)
    raw = read_table(CORPUS / "multiline_note.csv")
    assert list(raw.rows) == [2, 4, 5]
    assert raw.frame["note"].astype(object).tolist()[0] == "first line\nsecond line"


def test_duplicate_known_header_is_refused_naming_both_columns(tmp_path):
    line = run_cbam(["calc", CORPUS / "duplicate_header.csv"], tmp_path).one_line_error(
        "duplicate_header.csv"
    )
    assert "net_mass_t" in line and "C" in line and "D" in line, line


def test_duplicate_unknown_header_is_still_read(tmp_path):
    p = tmp_path / "notes.csv"
    p.write_text("cn_code,country,net_mass_t,import_date,note,note\n7208 39 00,CN,100,2026-02-10,a,b\n")
    accounted(p, lines=1)


@pytest.mark.parametrize("name", ["sep_line.csv", "sep_line_crlf_bom.csv"])
def test_excel_sep_line_sets_the_delimiter(name):
    accounted(name, lines=2)
    raw = read_table(CORPUS / name)
    assert raw.header_row == 2 and list(raw.rows) == [3, 4]
    assert list(raw.frame.columns) == ["cn_code", "country", "net_mass_t", "import_date"]


@pytest.mark.parametrize(
    "name,lines", [("trailing_delimiter.csv", 3), ("trailing_delimiter_semicolon.csv", 2)]
)
def test_trailing_delimiter_on_every_line_adds_no_column_and_rejects_nothing(name, lines):
    accounted(name, lines=lines)
    assert list(read_table(CORPUS / name).frame.columns) == [
        "cn_code",
        "country",
        "net_mass_t",
        "import_date",
    ]


def test_trailing_delimiter_does_not_hide_an_extra_value(tmp_path):
    p = tmp_path / "shifted.csv"
    good = "7208 39 00,CN,100,2026-02-10,\n" * 30
    p.write_text(
        "cn_code,country,net_mass_t,import_date\n"
        + good
        + "7208 39 00,CN,100,5,2026-02-10,\n"  # a decimal comma and the trailing delimiter
        + "7208 39 00,CN,100,5,2026-02-10\n"  # a decimal comma, no trailing delimiter
        + "7208 39 00,CN,100,2026-02-10\n"  # no trailing delimiter: still 4 values
    )
    r = accounted(p, lines=31, rejected=2)
    assert list(r.rejected["row"]) == [32, 33]
    assert list(r.rejected["code"]) == ["R_LINE_TOO_MANY_VALUES"] * 2


def test_blank_lines_are_not_rows_and_others_keep_their_numbers():
    accounted("blank_lines.csv", lines=2)
    assert list(read_table(CORPUS / "blank_lines.csv").rows) == [3, 6]


@pytest.mark.parametrize("name", ["empty.csv", "bom_only.csv", "header_only.csv"])
def test_empty_files_give_one_line(tmp_path, name):
    run_cbam(["calc", CORPUS / name], tmp_path).one_line_error(name)


def test_cell_over_128_kib_is_read(tmp_path):
    p = tmp_path / "big_cell.csv"
    big = "x" * (200 * 1024)
    p.write_text(
        f"{big}\n{'cn_code,country,net_mass_t,import_date,note'}\n"
        f"7208 39 00,CN,100,2026-02-10,{big}\n7208 39 00,CN,100,2026-02-10\n"
    )
    r = run_cbam(["calc", p, "--format", "json"], tmp_path)
    assert r.code == 0, r.stderr
    assert '"rows_read": 2' in r.stdout and '"lines": 2' in r.stdout


@pytest.mark.slow
@pytest.mark.parametrize("quoted", [False, True])
def test_cell_over_the_reader_limit_gives_one_line(tmp_path, quoted):
    p = tmp_path / "huge_cell.csv"
    cell = "y" * (20 << 20)  # pyarrow's block is 8 MiB: it gives up, and so does the exact reader
    cell = f'"{cell}"' if quoted else cell
    p.write_text(f"cn_code,country,net_mass_t,import_date,note\n7208 39 00,CN,100,2026-02-10,{cell}\n")
    r = run_cbam(["calc", p], tmp_path)
    line = r.one_line_error("huge_cell.csv")
    assert "row 2" in line, line
    r.bounded()


def test_fifo_is_refused_in_one_line(tmp_path):
    fifo = tmp_path / "shipments.csv"
    os.mkfifo(fifo)
    # a writer, so that a reader that opens the FIFO does not block forever (it would read it)
    t = threading.Thread(target=lambda: _feed(fifo), daemon=True)
    t.start()
    line = run_cbam(["calc", fifo], tmp_path, timeout=60).one_line_error("shipments.csv")
    assert "save" in line, line


def _feed(fifo: Path) -> None:
    try:
        fd = os.open(fifo, os.O_WRONLY)
        os.write(fd, b"cn_code,country,net_mass_t,import_date\n7208 39 00,CN,100,2026-02-10\n")
        os.close(fd)
    except OSError:
        pass


def test_stdin_pipe_is_refused_in_one_line(tmp_path):
    body = b"cn_code,country,net_mass_t,import_date\n7208 39 00,CN,100,2026-02-10\n"
    line = run_cbam(["calc", "/dev/stdin"], tmp_path, stdin=body).one_line_error("/dev/stdin")
    assert "save" in line, line


def test_dev_null_is_refused_in_one_line(tmp_path):
    line = run_cbam(["calc", "/dev/null"], tmp_path).one_line_error("/dev/null")
    assert "save" in line, line


def test_read_table_refuses_a_character_device():
    with pytest.raises(InputFileError, match="not a regular file"):
        read_table("/dev/null")


def test_unclosed_quote_at_any_block_boundary_is_seen(tmp_path, monkeypatch):
    """pyarrow reads in blocks: a quote opened on a block's last line must not end with the block
    unseen. Small blocks put every line of the file at a boundary once."""
    from cbam_calc.inputs import csv_arrow

    monkeypatch.setattr(csv_arrow, "BLOCK_SIZE", 1000)
    body = [f"7208 39 00,CN,{100 + i},2026-02-10,ok" for i in range(120)]
    for k in range(0, 120, 3):
        lines = list(body)
        lines[k] = lines[k].replace(",ok", ',"open')
        p = tmp_path / f"k{k}.csv"
        p.write_text("cn_code,country,net_mass_t,import_date,note\n" + "\n".join(lines) + "\n")
        raw = read_table(p)
        assert [r for r, _, _ in raw.bad_rows] == [k + 2], k
        assert len(raw.frame) == 119, k
