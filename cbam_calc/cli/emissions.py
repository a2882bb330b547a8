"""``cbam emissions``: what installations' communication templates say, read from files and
folders (only .xlsx that are templates; other files of a folder are listed as skipped)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from cbam_calc.cli.options import message

SUFFIXES = {"table": (".txt",), "json": (".json",), "csv": (".csv",)}


@click.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "json", "csv"]),
    default="table",
    show_default=True,
    help="a table to read, one JSON object for programs, or one CSV row per product",
)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="write to FILE")
@click.option(
    "--year",
    type=click.IntRange(2000, 2100),
    default=None,
    help="year of import: a reporting period that does not cover it is a warning  [default: this year]",
)
@click.option("--lang", type=click.Choice(["en", "zh"]), default="en", show_default=True)
@click.option(
    "--jobs",
    type=click.IntRange(min=1),
    default=None,
    help="worker processes reading templates  [default: one per core from 20 templates on]",
)
@click.option("--force", is_flag=True, help="replace an existing output file")
def emissions(paths, fmt, output, year, lang, jobs, force):
    """What each installation's communication template (the EU workbook, v2.1 or v2.1.1) says:
    the installation, the reporting period and, per product row, the SEE, embedded electricity and
    carbon price due, each with its cell.

    \b
      cbam emissions templates/
      cbam emissions supplier.xlsx --format json
    """
    from cbam_calc.core.errors import CbamError
    from cbam_calc.core.labels import label, written_line
    from cbam_calc.core.messages import render
    from cbam_calc.inputs.comm_template import read_templates
    from cbam_calc.outputs import comm_templates
    from cbam_calc.outputs.writers import require_suffix, write_text

    require_suffix(output, SUFFIXES[fmt], message("M_OUT_FORMAT", format=fmt))
    result = read_templates(paths, year=year or dt.date.today().year, jobs=jobs)
    if not result.templates and len(result.failed) == 1 and not result.skipped:
        raise CbamError(result.failed[0][1])  # one template given, not read: its one-line error
    if fmt == "json":
        text = comm_templates.templates_json(result)
    elif fmt == "csv":
        text = comm_templates.templates_csv(result)
    else:
        text = comm_templates.templates_text(result, lang)
    if output is not None:
        write_text(text, output, inputs=paths, force=force)
        click.echo(written_line("emissions", str(output), "", lang), err=True)
    else:
        click.echo(text, nl=False)
    for _, why in result.failed:
        click.echo(f"{label('error_prefix', lang)}{render(why, lang)}", err=True)
    if result.failed:
        raise click.exceptions.Exit(2)
