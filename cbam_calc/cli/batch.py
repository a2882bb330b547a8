"""``cbam batch``: many files (members of an association) computed and consolidated."""

from __future__ import annotations

import sys
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


def _by(text: str) -> list[str]:
    from cbam_calc.compute.aggregate import GROUPINGS

    out = []
    for part in text.split(","):
        key = part.strip().lower().replace("-", "_")
        key = {"country_iso2": "country", "cn": "cn_code", "product": "cn_code"}.get(key, key)
        if key not in GROUPINGS:
            raise click.BadParameter(message("E_BY", value=part, allowed=list(GROUPINGS)), param_hint="--by")
        if key not in out:
            out.append(key)
    return out


@click.command()
@click.argument("inputs", nargs=-1, required=True, type=click.Path(path_type=Path))
@calc_options(batch=True)
@exporter_option
@currency_option
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
@summary_format
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
@force_option
@emissions_options
@carbon_prices_option
def batch(
    inputs,
    sheet,
    make_options,
    price_path,
    lang,
    output,
    html_out,
    by,
    fmt,
    strict,
    jobs,
    force,
    emissions,
    evidenced,
    carbon_prices,
):
    """Compute many files (members of an association) and consolidate them.

    INPUTS are folders (searched recursively for .csv .xlsx .xlsm .xls; hidden and ~$ files
    skipped) and files, csv and Excel mixed, each with its own columns and header language. Each
    file is one member (its name without suffix) and is computed as cbam calc computes it, de
    minimis included. A file that cannot be read is reported and skipped; the run goes on.
    With --emissions, the installations' communication templates are read once and joined to
    every member's lines, as cbam calc --emissions joins them (templates are never members).
    """
    from cbam_calc.core.errors import NothingComputedError
    from cbam_calc.outputs.batch_report import batch_json, batch_text
    from cbam_calc.outputs.progress import ProgressBar, final_line
    from cbam_calc.outputs.runs import batch_files, batch_to_files

    groupings = _by(by)
    # the members, found before the options are read, as they always were
    files = batch_files(
        inputs,
        output=output,
        html_out=html_out,
        force=force,
        price_path=price_path,
        emissions=emissions,
        carbon_prices=carbon_prices,
    )
    options = make_options()
    result = batch_to_files(
        inputs,
        options,
        files=files,
        sheet=sheet,
        price_path=price_path,
        jobs=jobs,
        progress=ProgressBar(sys.stderr),
        output=output,
        html_out=html_out,
        lang=lang,
        force=force,
        on_written=announce,
        emissions=emissions,
        evidenced=evidenced,
        carbon_prices=carbon_prices,
    )
    click.echo(batch_json(result, groupings) if fmt == "json" else batch_text(result, lang, groupings))
    click.echo(final_line(result, lang), err=True)
    if result.lines == 0:
        raise NothingComputedError(message("E_NOTHING_IN_BATCH", n=len(result.files)))
    if strict and (result.failed or result.rejected_shipments):
        from cbam_calc.core.labels import label

        strict_line = message("E_STRICT", rejected=result.rejected_shipments, failed=len(result.failed))
        click.echo(f"{label('error_prefix', lang)}{strict_line.text(lang)}", err=True)
        raise click.exceptions.Exit(1)
