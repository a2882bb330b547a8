"""``cbam calc``: compute a shipments file, print its summary, write its report and lines."""

from __future__ import annotations

from pathlib import Path

import click

from cbam_calc.cli.options import (
    announce,
    calc_options,
    carbon_prices_option,
    currency_option,
    emissions_options,
    exporter_option,
    force_option,
    message,
    summary_format,
)


@click.command()
@click.argument("inputs", nargs=-1, type=click.Path(dir_okay=False, path_type=Path))
@calc_options
@exporter_option
@currency_option
@emissions_options
@carbon_prices_option
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="write the xlsx report (Summary, Lines, grouping sheets, Rejected, Parameters, Run)",
)
@click.option(
    "--lines-out",
    type=click.Path(path_type=Path),
    help="write the per-line table: .csv, or .parquet (a dataset folder with --engine dask)",
)
@summary_format
@click.option(
    "--engine",
    type=click.Choice(["pandas", "dask"]),
    default="pandas",
    show_default=True,
    help="dask: parquet inputs larger than memory, or a cluster (see --scheduler)",
)
@click.option(
    "--scheduler",
    metavar="ADDRESS",
    help="with --engine dask: a running Dask scheduler, e.g. tcp://10.0.0.5:8786",
)
@click.option(
    "--check",
    "check",
    type=click.Path(dir_okay=False, path_type=Path),
    help="recompute a workbook written with -o from its recorded inputs and compare every figure "
    "of every sheet (exit 0 all match, 1 something differs, a figure or a text); INPUTS: the input "
    "files if they moved; --format json: the answer as one JSON object",
)
@force_option
def calc(
    inputs,
    sheet,
    make_options,
    price_path,
    lang,
    output,
    lines_out,
    fmt,
    engine,
    scheduler,
    check,
    force,
    emissions,
    evidenced,
    carbon_prices,
):
    """Compute embedded emissions, free allocation, Art 9, certificates and EUR for INPUTS.

    INPUTS: a csv, xlsx or parquet file with one row per customs line (English or Chinese
    headers); several parquet files with --engine dask.
    """
    if engine == "pandas" and len(inputs) == 1 and check is None and sheet is None:
        from cbam_calc.inputs import csv_arrow

        # a CSV starts reading in the background while pandas and the engine are imported, in
        # the encoding --encoding gives (the reader takes a prefetch only of its own encoding)
        csv_arrow.prefetch(inputs[0], click.get_current_context().params.get("encoding"))
    if check is not None:
        from cbam_calc.outputs.check import check_report

        if emissions:  # the report's Run sheet names its templates
            raise click.UsageError(message("E_CHECK_WITH_EMISSIONS"))

        outcome = check_report(check, inputs)  # inputs: where the recorded files are now, if moved
        click.echo(outcome.json() if fmt == "json" else outcome.text(lang))
        raise click.exceptions.Exit(0 if outcome.matches else 1)
    if not inputs:
        raise click.UsageError(message("E_NO_INPUT"))
    from cbam_calc.outputs.runs import calc_to_files, check_calc_inputs
    from cbam_calc.outputs.text import summary_json, summary_text

    check_calc_inputs(inputs, engine, scheduler)  # before the options are read, as it always was
    options = make_options()
    result = calc_to_files(
        inputs,
        options,
        sheet=sheet,
        price_path=price_path,
        engine=engine,
        scheduler=scheduler,
        report=output,
        lines_out=lines_out,
        lang=lang,
        force=force,
        on_written=announce,
        emissions=emissions,
        evidenced=evidenced,
        carbon_prices=carbon_prices,
    )
    click.echo(summary_json(result) if fmt == "json" else summary_text(result, lang, report=output))
