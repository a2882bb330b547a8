"""The Dask path: a real distributed cluster of 2 workers on loopback gives the pandas results."""

from __future__ import annotations

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from conftest import SAMPLES

from cbam_calc.cli import main
from cbam_calc.compute.calculate import calculate
from cbam_calc.core.errors import OptionError
from cbam_calc.core.labels import label

distributed = pytest.importorskip("distributed", reason="dask is an optional extra: pip install .[dask]")
from cbam_calc.compute.distributed import calculate_dask  # noqa: E402

pytestmark = pytest.mark.slow  # starts a Dask cluster of two worker processes


@pytest.fixture(scope="module")
def cluster():
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1", dashboard_address=None
    ) as c:
        yield c.scheduler_address


@pytest.fixture(scope="module")
def parquet_files(tmp_path_factory):
    d = tmp_path_factory.mktemp("pq")
    steel = pd.read_excel(SAMPLES / "shipments_cn_steel.xlsx", dtype=str, engine="calamine")
    cement = pd.read_csv(SAMPLES / "shipments_cement.csv", dtype=str)
    a, b = d / "steel.parquet", d / "cement.parquet"
    pq.write_table(pa.Table.from_pandas(pd.concat([steel] * 20, ignore_index=True)), a, row_group_size=64)
    pq.write_table(pa.Table.from_pandas(pd.concat([cement] * 30, ignore_index=True)), b, row_group_size=50)
    return a, b


def _same(x, y):
    fx, fy = x.summary.model_dump(), y.summary.model_dump()
    for k in (
        "lines",
        "rejected",
        "rows_read",
        "embedded_tco2e",
        "free_allocation_tco2e",
        "art9_reduction_tco2e",
        "certificates",
        "cost_eur",
        "by_sector",
        "by_cn_code",
        "de_minimis",
        "assumptions",
    ):
        assert fx[k] == fy[k], k


def test_dask_cluster_gives_the_pandas_results(cluster, parquet_files, tmp_path):
    steel, _ = parquet_files
    assert pq.ParquetFile(steel).metadata.num_row_groups > 3  # several partitions, several workers
    out = tmp_path / "lines.parquet"
    got = calculate_dask([str(steel)], scheduler=cluster, lines_out=out)
    want = calculate(steel)
    _same(got, want)
    lines = pd.read_parquet(out).sort_values("row").reset_index(drop=True)
    assert lines["row"].tolist() == want.lines["row"].tolist()
    assert lines["cost_eur"].round(2).tolist() == want.lines["cost_eur"].round(2).tolist()
    assert lines["de_minimis_exempt"].tolist() == want.lines["de_minimis_exempt"].tolist()


def test_dask_several_files_sum_to_the_files_computed_apart(cluster, parquet_files):
    a, b = parquet_files
    got = calculate_dask([str(a), str(b)], scheduler=cluster)
    ra, rb = calculate(a), calculate(b)
    assert got.summary.lines == ra.summary.lines + rb.summary.lines
    assert got.summary.cost_eur == pytest.approx(ra.summary.cost_eur + rb.summary.cost_eur, abs=0.02)
    assert [f.file for f in got.summary.inputs] == [str(a), str(b)]


def test_dask_engine_from_the_command_line(cluster, parquet_files, capsys):
    a, b = parquet_files
    assert main(["calc", str(a), str(b), "--engine", "dask", "--scheduler", cluster, "--format", "json"]) == 0
    assert '"lines": ' in capsys.readouterr().out


def test_dask_needs_parquet():
    with pytest.raises(OptionError, match="the dask engine reads parquet files"):
        calculate_dask([str(SAMPLES / "shipments_cement.csv")])
    assert main(["calc", str(SAMPLES / "shipments_cement.csv"), str(SAMPLES / "shipments_cement.csv")]) == 2


def test_dask_report_workbook_has_the_grouping_sheets(cluster, parquet_files, tmp_path):
    import openpyxl

    steel, _ = parquet_files
    out = tmp_path / "dask.xlsx"
    assert main(["calc", str(steel), "--engine", "dask", "--scheduler", cluster, "-o", str(out)]) == 0
    wb = openpyxl.load_workbook(out)
    assert {"By sector", "By CN code", "By country", "By importer"} <= set(wb.sheetnames)
    want = calculate(steel)
    by_cn = list(wb["By CN code"].values)
    column = by_cn[0].index(label("cost_eur", "en"))
    cost = sum(r[column] for r in by_cn[1:])
    assert cost == pytest.approx(want.summary.cost_eur, abs=0.05)
