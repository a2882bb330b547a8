"""``cbam report``: the report of a shipments file to send on, as HTML or a workbook."""

from __future__ import annotations

from pathlib import Path

import click

from cbam_calc.cli.options import calc_options, calc_options_from, price_path_table

REPORT_SUFFIXES = {".html": "html", ".htm": "html", ".xlsx": "xlsx"}


def _report_format(path: Path) -> str:
    from cbam_calc.core.errors import OptionError

    kind = REPORT_SUFFIXES.get(path.suffix.lower())
    if kind is None:
        raise OptionError(
            f"{path}: the report format comes from the name: .html (a page that prints to PDF "
            "from any browser) or .xlsx (the workbook)"
        )
    return kind


@click.command()
@click.argument("input", type=click.Path(dir_okay=False, path_type=Path))
@calc_options
@click.option(
    "-o",
    "--output",
    "outputs",
    multiple=True,
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="report to write: report.html (self-contained page) or report.xlsx (workbook); repeatable",
)
@click.option("--force", is_flag=True, help="replace existing output files")
def report(
    input, sheet, year, price, price_path, art9, default_carbon_price, fx, no_de_minimis, lang, outputs, force
):
    """Write the report of INPUT to send on: HTML (-o report.html) or a workbook (-o report.xlsx).

    The workbook has Summary, Lines, By sector, By CN code, By country, By importer and By
    installation (where the input names them), Rejected and Parameters, with native charts; the
    HTML page shows the same figures with inline charts and the assumptions box, reads offline
    and prints to PDF.
    """
    from cbam_calc.compute.calculate import calculate
    from cbam_calc.core.errors import NothingComputedError
    from cbam_calc.outputs.writers import check_output

    kinds = [(out, _report_format(out)) for out in outputs]
    for out in outputs:
        check_output(out, [input], force)
    options = calc_options_from(year, price, art9, default_carbon_price, fx, no_de_minimis)
    try:
        result = calculate(input, options, sheet=sheet, price_path=price_path_table(price_path))
        failure = None
    except NothingComputedError as e:  # the report still lists every rejected row
        result, failure = e.result, e
    for out, kind in kinds:
        if kind == "xlsx":
            from cbam_calc.outputs.run_record import make_record
            from cbam_calc.outputs.xlsx import write_report

            record = make_record(result, price_path=price_path)
            write_report(result, out, lang=lang, inputs=[input], force=force, record=record)
        else:
            from cbam_calc.outputs.html import calc_html, write_html

            write_html(calc_html(result, lang), out, inputs=[input], force=force)
        click.echo(f"report written to {out}", err=True)
    if failure is not None:
        raise failure
