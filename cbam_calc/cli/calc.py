"""``cbam calc``: compute a shipments file, print its summary, write its report and lines."""

from __future__ import annotations

from pathlib import Path

import click

from cbam_calc.cli.options import calc_options, calc_options_from, price_path_table


@click.command()
@click.argument("inputs", nargs=-1, type=click.Path(dir_okay=False, path_type=Path))
@calc_options
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
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="summary on stdout: text, or one JSON object",
)
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
    help="recompute a report written with -o from its recorded inputs and say whether "
    "its figures still match (exit 0 match, 1 differ); INPUTS: the input files if they moved",
)
@click.option("--force", is_flag=True, help="replace existing output files")
def calc(
    inputs,
    sheet,
    year,
    price,
    price_path,
    art9,
    default_carbon_price,
    fx,
    no_de_minimis,
    lang,
    output,
    lines_out,
    fmt,
    engine,
    scheduler,
    check,
    force,
):
    """Compute embedded emissions, free allocation, Art 9, certificates and EUR for INPUTS.

    INPUTS: a csv, xlsx or parquet file with one row per customs line (English or Chinese
    headers); several parquet files with --engine dask.
    """
    if engine == "pandas" and len(inputs) == 1 and check is None and sheet is None:
        from cbam_calc.inputs import csv_arrow

        # a CSV starts reading in the background while pandas and the engine are imported
        csv_arrow.prefetch(inputs[0])
    from cbam_calc.core.errors import NothingComputedError, OptionError
    from cbam_calc.outputs.text import summary_json, summary_text
    from cbam_calc.outputs.writers import check_output, require_suffix

    if check is not None:
        from cbam_calc.outputs.run_record import check_report

        outcome = check_report(check, inputs)  # inputs: where the recorded files are now, if moved
        click.echo(outcome.text())
        raise click.exceptions.Exit(0 if outcome.matches else 1)
    if not inputs:
        raise click.UsageError("give an input file (or --check report.xlsx)")
    if engine == "pandas" and len(inputs) > 1:
        raise OptionError(
            f"{len(inputs)} inputs: the pandas engine computes one file; use --engine dask "
            "for several parquet files, or cbam batch for a folder of member files"
        )
    if scheduler and engine != "dask":
        raise OptionError("--scheduler needs --engine dask")
    options = calc_options_from(year, price, art9, default_carbon_price, fx, no_de_minimis)
    require_suffix(output, (".xlsx",), "the xlsx report (cbam report writes .html)")
    if engine == "pandas":
        require_suffix(lines_out, (".csv", ".parquet"), "the per-line table", "--lines-out")
    for out in (output, lines_out):
        if out is not None:
            check_output(out, inputs, force)
    path_table = price_path_table(price_path)
    try:
        if engine == "dask":
            from cbam_calc.compute.distributed import calculate_dask

            if sheet:
                raise OptionError("--sheet does not apply to parquet inputs")
            if lines_out is not None and lines_out.suffix.lower() != ".parquet":
                raise OptionError(
                    "with --engine dask, --lines-out writes a parquet dataset: name it lines.parquet"
                )
            result = calculate_dask(
                [str(p) for p in inputs],
                options,
                scheduler=scheduler,
                price_path=path_table,
                lines_out=lines_out,
                force=force,
            )
        else:
            from cbam_calc.compute.calculate import calculate

            result = calculate(inputs[0], options, sheet=sheet, price_path=path_table)
        failure = None
    except NothingComputedError as e:
        result, failure = e.result, e
    if output is not None:
        from cbam_calc.outputs.run_record import make_record
        from cbam_calc.outputs.xlsx import write_report

        record = make_record(result, price_path=price_path) if engine == "pandas" else None
        write_report(result, output, lang=lang, inputs=inputs, force=force, record=record)
        click.echo(f"report written to {output}", err=True)
    if lines_out is not None and engine == "pandas":
        from cbam_calc.outputs.writers import write_lines

        write_lines(result.lines, lines_out, inputs=inputs, force=force)
        click.echo(f"lines written to {lines_out}", err=True)
    elif lines_out is not None:
        click.echo(f"lines written to {lines_out}/ (one parquet file per partition)", err=True)
    if failure is not None:
        raise failure
    click.echo(summary_json(result) if fmt == "json" else summary_text(result, lang, report=output))
