"""``cbam batch``: many files (members of an association) computed and consolidated."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from cbam_calc.cli.options import calc_options, calc_options_from, price_path_table
from cbam_calc.cli.report import REPORT_SUFFIXES


def _by(text: str) -> list[str]:
    from cbam_calc.compute.aggregate import GROUPINGS

    out = []
    for part in text.split(","):
        key = part.strip().lower().replace("-", "_")
        key = {"country_iso2": "country", "cn": "cn_code", "product": "cn_code"}.get(key, key)
        if key not in GROUPINGS:
            raise click.BadParameter(f"'{part}': expected some of {', '.join(GROUPINGS)}", param_hint="--by")
        if key not in out:
            out.append(key)
    return out


@click.command()
@click.argument("inputs", nargs=-1, required=True, type=click.Path(path_type=Path))
@calc_options
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="write the consolidated workbook (.xlsx)",
)
@click.option(
    "--html",
    "html_out",
    type=click.Path(dir_okay=False, path_type=Path),
    help="write the consolidated report as one self-contained HTML page",
)
@click.option(
    "--by",
    default="member,sector,cn_code",
    show_default=True,
    help="groupings in the text and JSON summary: member, sector, cn_code, country, importer, "
    "installation, year (each a table of its own; the workbook has them all)",
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
    "--strict",
    is_flag=True,
    help="exit 1 if any shipment row is rejected (totals rows do not count) or any file fails",
)
@click.option(
    "--jobs",
    type=click.IntRange(min=1),
    help="worker processes [default: one per core when there is more than one file and over 2 MB]",
)
@click.option("--force", is_flag=True, help="replace existing output files")
def batch(
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
    html_out,
    by,
    fmt,
    strict,
    jobs,
    force,
):
    """Compute many files (members of an association) and consolidate them.

    INPUTS are folders (searched recursively for .csv .xlsx .xlsm .xls; hidden and ~$ files
    skipped) and files, csv and Excel mixed, each with its own columns and header language. Each
    file is one member (its name without suffix) and is computed as cbam calc computes it, de
    minimis included. A file that cannot be read is reported and skipped; the run goes on.
    """
    from cbam_calc.compute.batch import ProgressBar, discover, final_line, run_batch
    from cbam_calc.core.errors import NothingComputedError, OptionError
    from cbam_calc.outputs.batch_report import batch_json, batch_text, write_batch_xlsx
    from cbam_calc.outputs.writers import check_output, require_suffix

    groupings = _by(by)
    require_suffix(output, (".xlsx",), "the consolidated workbook")
    html_suffixes = tuple(s for s, kind in REPORT_SUFFIXES.items() if kind == "html")
    require_suffix(html_out, html_suffixes, "a web page", "--html")
    outputs = [p.resolve() for p in (output, html_out) if p is not None]
    # last run's report in the members' folder is not a member
    files = [f for f in discover(inputs) if f.path.resolve() not in outputs]
    if not files:
        raise OptionError(f"no csv or Excel files to compute in {', '.join(map(str, inputs))}")
    for out in (output, html_out):
        if out is not None:
            check_output(out, [f.path for f in files], force)
    options = calc_options_from(year, price, art9, default_carbon_price, fx, no_de_minimis)
    bar = ProgressBar(sys.stderr)
    try:
        result = run_batch(
            inputs,
            options,
            price_path=price_path_table(price_path),
            sheet=sheet,
            jobs=jobs,
            progress=bar,
            files=files,
        )
    finally:
        bar.close()
    if output is not None:
        from cbam_calc.outputs.run_record import make_batch_record

        record = make_batch_record(result, sheet=sheet, price_path=price_path)
        write_batch_xlsx(
            result, output, lang=lang, inputs=[f.path for f in files], force=force, record=record
        )
        click.echo(f"workbook written to {output}", err=True)
    if html_out is not None:
        from cbam_calc.outputs.html import batch_html, write_html

        write_html(batch_html(result, lang), html_out, inputs=[f.path for f in files], force=force)
        click.echo(f"report written to {html_out}", err=True)
    click.echo(batch_json(result, groupings) if fmt == "json" else batch_text(result, lang, groupings))
    click.echo(final_line(result), err=True)
    if result.lines == 0:
        raise NothingComputedError(f"nothing could be computed in any of the {len(result.files)} files")
    if strict and (result.failed or result.rejected_shipments):
        click.echo(
            f"error: --strict: {result.rejected_shipments} rejected row(s) and {len(result.failed)} "
            "failed file(s)",
            err=True,
        )
        raise click.exceptions.Exit(1)
