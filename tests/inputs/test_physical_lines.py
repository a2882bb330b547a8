"""csv_arrow._physical_lines counts with NumPy: the same counts as bytes.count (the oracle kept
here), over CR, LF and CRLF, chunk boundaries inside a CRLF, and a last line without a break."""

import random

import pytest

from cbam_calc.inputs import csv_arrow


def _oracle(data: bytes, offset: int, chunk_size: int) -> int:
    n, prev_cr, chunk = 0, False, b""
    for pos in range(offset, len(data), chunk_size):
        chunk = data[pos : pos + chunk_size]
        n += chunk.count(b"\n")
        if b"\r" in chunk:
            n += chunk.count(b"\r") - chunk.count(b"\r\n")
        if prev_cr and chunk.startswith(b"\n"):
            n -= 1
        prev_cr = chunk.endswith(b"\r")
    if chunk and not chunk.endswith((b"\n", b"\r")):
        n += 1
    return n


@pytest.mark.parametrize("chunk_size", [1, 2, 3, 7, 64])
def test_same_count_as_bytes_count(monkeypatch, chunk_size):
    monkeypatch.setattr(csv_arrow, "COUNT_CHUNK", chunk_size)
    rng = random.Random(chunk_size)
    for _ in range(500):
        data = bytearray(rng.choice(b'ab\r\n,"') for _ in range(rng.randint(0, 40)))
        offset = rng.randint(0, len(data))
        assert csv_arrow._physical_lines(data, offset) == _oracle(bytes(data), offset, chunk_size)


def test_lf_only_crlf_and_cr():
    assert csv_arrow._physical_lines(bytearray(b"a\nb\nc"), 0) == 3
    assert csv_arrow._physical_lines(bytearray(b"a\r\nb\r\n"), 0) == 2
    assert csv_arrow._physical_lines(bytearray(b"a\rb\rc\r"), 0) == 3
    assert csv_arrow._physical_lines(bytearray(b"h\na\nb\n"), 2) == 2
