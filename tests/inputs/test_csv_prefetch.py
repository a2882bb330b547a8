"""The command line's CSV prefetch: the file read in one background thread and hashed (for the run
record) in a second one beside it; the read's outcome is the prefetch's, the hash is handed on."""

import hashlib

import pytest

from cbam_calc.core.errors import InputFileError
from cbam_calc.inputs import csv_arrow

BODY = "cn_code,country_of_origin,net_mass_t,import_date\n72081000,CN,12.5,2026-03-02\n"


def _csv(tmp_path, text=BODY, data=None):
    path = tmp_path / "shipments.csv"
    path.write_bytes(data if data is not None else text.encode("utf-8"))
    return path


def test_prefetch_hands_on_the_table_and_the_hash_it_made_beside_the_read(tmp_path, monkeypatch):
    path = _csv(tmp_path)
    csv_arrow.prefetch(path)
    got = csv_arrow.read(path, str(path))
    assert got.table.column("net_mass_t").to_pylist() == [12.5]

    def boom(p):
        raise AssertionError("hashed a second time")

    monkeypatch.setattr(csv_arrow, "sha256_of_file", boom)  # the prefetch's hash is used
    assert csv_arrow.sha256(path) == hashlib.sha256(BODY.encode("utf-8")).hexdigest()
    csv_arrow.settle()


def test_a_hash_that_fails_in_the_prefetch_leaves_the_read_alone_and_is_made_again(tmp_path, monkeypatch):
    path = _csv(tmp_path)
    real = csv_arrow.sha256_of_file

    def unreadable(p):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(csv_arrow, "sha256_of_file", unreadable)
    csv_arrow.prefetch(path)
    got = csv_arrow.read(path, str(path))  # the read succeeded: its table, no error
    assert got.table.num_rows == 1
    monkeypatch.setattr(csv_arrow, "sha256_of_file", real)
    assert csv_arrow.sha256(path) == hashlib.sha256(BODY.encode("utf-8")).hexdigest()
    csv_arrow.settle()


def test_a_read_that_fails_in_the_prefetch_raises_its_error_in_the_reader(tmp_path):
    path = _csv(tmp_path, data=b"\xff\xfe\x00\x01 not a table")  # no header row in it
    csv_arrow.prefetch(path)
    with pytest.raises(InputFileError):
        csv_arrow.read(path, str(path))
    assert not csv_arrow._PREFETCHED
    csv_arrow.settle()


def test_a_read_still_running_is_in_flight_and_a_finished_one_is_not(tmp_path, monkeypatch):
    import threading

    path = _csv(tmp_path)
    release = threading.Event()
    real = csv_arrow.read_now

    def held(*args):
        release.wait(10)
        return real(*args)

    monkeypatch.setattr(csv_arrow, "read_now", held)
    assert not csv_arrow.in_flight(path)  # no prefetch at all
    csv_arrow.prefetch(path)
    assert csv_arrow.in_flight(path)
    release.set()
    csv_arrow.read(path, str(path))  # the reader waits for it, then takes it
    assert not csv_arrow.in_flight(path)
    csv_arrow.settle()
