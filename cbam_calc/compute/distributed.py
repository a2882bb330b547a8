"""The calculation past one machine: the same engine, mapped over partitions with Dask.

``compute_part`` is a pure function of a table of lines plus reference data, so it runs unchanged
inside a Dask worker. The input (one or many parquet files) becomes a ``dask.dataframe`` with one
partition per parquet row group; every partition is validated and computed where it lies and sends
back only its group sums and rejected rows; the driver reduces them with the same ``finish`` as the
in-memory path (de minimis needs every line of an importer's year, so it is applied to the reduced
groups). With ``lines_out``, a second pass writes each partition's lines, with the run's de minimis
outcome, as one parquet file of a dataset directory.

When to use it: inputs larger than memory, or many millions of lines across files on a cluster
(``--scheduler tcp://host:8786``). For a file that fits in memory the pandas engine is faster: it
has no scheduling or serialisation cost.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from cbam_calc.compute.calculate import CalcResult, check_arguments
from cbam_calc.compute.pipeline import PartSummary, compute_part, finish, part_lines
from cbam_calc.core import arguments
from cbam_calc.core.errors import InputFileError, NothingComputedError, OptionError, OutputError
from cbam_calc.core.messages import Message
from cbam_calc.core.model import CalcOptions, InputFile
from cbam_calc.core.paths import refuse_inputs
from cbam_calc.inputs.csv_arrow import sha256
from cbam_calc.inputs.readers import check_parquet_schema, parquet_table
from cbam_calc.inputs.validate import REJECTED_COLUMNS, validate
from cbam_calc.law import prices
from cbam_calc.law.reference import reference_data


@dataclass(frozen=True)
class Piece:
    """One partition: a row group of a parquet file, and the record number of its first row."""

    path: str
    row_group: int
    first_record: int


def pieces(paths: list[str]) -> list[Piece]:
    """Row groups of every file, in order; record numbers restart at 1 in each file."""
    import pyarrow.parquet as pq

    out = []
    for path in paths:
        p = Path(path)
        if p.suffix.lower() != ".parquet":
            raise OptionError(Message("E_DASK_PARQUET_ONLY", path=str(path)))
        try:
            pf = pq.ParquetFile(p)
            meta = pf.metadata
        except FileNotFoundError:
            raise InputFileError(Message("E_NO_SUCH_FILE"), file=path) from None
        except Exception as e:
            raise InputFileError(
                Message("E_PARQUET_UNREADABLE", error=f"{type(e).__name__}: {e}"), file=path
            ) from None
        check_parquet_schema(pf.schema_arrow, str(path))
        first = 1
        for rg in range(meta.num_row_groups):
            out.append(Piece(str(path), rg, first))
            first += meta.row_group(rg).num_rows
    return out


def _read_piece(piece: Piece) -> pd.DataFrame:
    import pyarrow.parquet as pq

    frame = pq.ParquetFile(piece.path).read_row_group(piece.row_group).to_pandas()
    frame.attrs["cbam_piece"] = piece  # the partition knows where it came from
    return frame


def _part(frame: pd.DataFrame, options: CalcOptions, price_path: pd.DataFrame | None):
    piece: Piece = frame.attrs["cbam_piece"]
    ref = reference_data()
    raw = parquet_table(frame, piece.path, piece.first_record, options.read)
    validated = validate(raw, ref, options.year, options.ignore_destination, options.read)
    book = prices.PriceBook.from_reference(ref, options.price_eur_per_tco2e, price_path)
    return compute_part(validated, options, ref, book)


def _summary_of(frame: pd.DataFrame, options: CalcOptions, price_path) -> PartSummary:
    return _part(frame, options, price_path).slim()


def _write_lines(
    frame: pd.DataFrame, options: CalcOptions, price_path, exempt, folder: str, index: int
) -> int:
    part = _part(frame, options, price_path)
    lines = part_lines(part, exempt)
    target = Path(folder) / f"part-{index:05d}.parquet"
    lines.to_parquet(target, index=False)
    return len(lines)


def calculate_dask(
    paths: list[str],
    options: CalcOptions | None = None,
    *,
    scheduler: str | None = None,
    price_path: pd.DataFrame | None = None,
    lines_out: str | Path | None = None,
    force: bool = False,
    raise_if_empty: bool = True,
) -> CalcResult:
    """Compute parquet files with Dask; the summary is that of the pandas engine on the same lines.

    ``scheduler``: address of a running distributed scheduler (``tcp://127.0.0.1:8786``); without
    it, a process pool of this machine's cores. The returned result holds no lines (they may not
    fit in memory): write them with ``lines_out`` (a parquet dataset folder).
    """
    paths = [str(p) for p in arguments.paths("paths", paths)]
    options, _, price_path = check_arguments(options, None, price_path, raise_if_empty)
    arguments.text("scheduler", scheduler)
    arguments.path("lines_out", lines_out, optional=True)
    arguments.flag("force", force)
    import dask
    import dask.dataframe as dd

    if lines_out is not None:  # before anything is computed; the inputs are never replaced
        refuse_inputs(lines_out, paths)
    parts = pieces(paths)
    if not parts:
        raise InputFileError(Message("E_PARQUET_NO_ROW_GROUPS"), file=", ".join(paths))
    ddf = dd.from_map(_read_piece, parts, enforce_metadata=False)
    partitions = ddf.to_delayed()
    client = None
    if scheduler:
        from distributed import Client

        client = Client(scheduler, set_as_default=False)
        compute = client.compute
    try:
        tasks = [dask.delayed(_summary_of)(p, options, price_path) for p in partitions]
        if client is not None:
            summaries = client.gather(compute(tasks))
        else:
            summaries = dask.compute(*tasks, scheduler="processes", num_workers=os.cpu_count())
        ref = reference_data()
        inputs = [
            InputFile(
                file=p,
                sheet=None,
                sha256=sha256(p),
                rows_read=sum(s.rows_read for s, pc in zip(summaries, parts) if pc.path == p),
                header_row=0,
            )
            for p in dict.fromkeys(pc.path for pc in parts)
        ]
        summary, params, rejected, exempt, report_groups = finish(list(summaries), options, ref, inputs)
        groups = report_groups()
        if lines_out is not None:
            _write_dataset(lines_out, force, partitions, options, price_path, exempt, client, paths)
    finally:
        if client is not None:
            client.close()
    result = CalcResult(
        pd.DataFrame(),
        rejected if len(rejected) else pd.DataFrame(columns=REJECTED_COLUMNS),
        summary,
        params,
        options,
        [],
        groups,
    )
    if raise_if_empty and summary.lines == 0:
        err = NothingComputedError(
            Message("E_NOTHING_COMPUTED", where=list(paths), n=summary.rows_read, detail="")
        )
        err.result = result  # type: ignore[attr-defined]
        raise err
    return result


def _write_dataset(folder, force, partitions, options, price_path, exempt, client, inputs) -> None:
    """Each partition writes its lines into a temporary folder renamed into place at the end. The
    folder replaced with ``force`` is never an input, nor holds one (core.paths.refuse_inputs)."""
    import dask

    target = Path(folder)
    refuse_inputs(target, inputs)
    if target.exists() and not force:
        raise OptionError(Message("E_OUTPUT_EXISTS", target=str(target)))
    try:
        tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.resolve().parent))
    except OSError as e:
        raise OutputError(
            Message(
                "E_CANNOT_WRITE", target=str(target), reason=e.strerror, what=Message("M_WRITE_ELSEWHERE")
            )
        ) from None
    try:
        tasks = [
            dask.delayed(_write_lines)(p, options, price_path, exempt, str(tmp), i)
            for i, p in enumerate(partitions)
        ]
        if client is not None:
            client.gather(client.compute(tasks))
        else:
            dask.compute(*tasks, scheduler="processes", num_workers=os.cpu_count())
        if target.exists():
            shutil.rmtree(target) if target.is_dir() else target.unlink()
        os.replace(tmp, target)
    except OSError as e:
        shutil.rmtree(tmp, ignore_errors=True)
        raise OutputError(
            Message(
                "E_CANNOT_WRITE", target=str(target), reason=e.strerror, what=Message("M_WRITE_FREE_SPACE")
            )
        ) from None
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
