"""``cbam report``: the report of a shipments file to send on, as HTML or a workbook."""

from __future__ import annotations

from pathlib import Path

import click

from cbam_calc.cli.options import (
    announce,
    calc_options,
    carbon_prices_option,
    emissions_options,
    exporter_option,
    force_option,
)


@click.command()
@click.argument("input", type=click.Path(dir_okay=False, path_type=Path))
@calc_options
@exporter_option
@emissions_options
@carbon_prices_option
@click.option(
    "-o",
    "--output",
    "outputs",
    multiple=True,
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="report to write: report.html (self-contained page) or report.xlsx (workbook); repeatable",
)
@force_option
def report(
    input,
    sheet,
    make_options,
    price_path,
    lang,
    outputs,
    force,
    emissions,
    evidenced,
    carbon_prices,
):
    """Write the report of INPUT to send on: HTML (-o report.html) or a workbook (-o report.xlsx).

    The workbook has Summary, Lines, By sector, By CN code, By country, By importer and By
    installation (where the input names them), Rejected and Parameters, with native charts; the
    HTML page shows the same figures with inline charts and the assumptions box, reads offline
    and prints to PDF.
    """
    from cbam_calc.outputs.runs import report_formats, report_to_files

    if sheet is None:  # a CSV starts reading in the background, as in cbam calc
        from cbam_calc.inputs import csv_arrow

        csv_arrow.prefetch(input, click.get_current_context().params.get("encoding"))
    report_formats(outputs, [input, price_path], force)  # before the options are read, as always
    options = make_options()
    report_to_files(
        input,
        options,
        outputs,
        sheet=sheet,
        price_path=price_path,
        lang=lang,
        force=force,
        on_written=announce,
        emissions=emissions,
        evidenced=evidenced,
        carbon_prices=carbon_prices,
    )
