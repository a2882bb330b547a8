"""``cbam template``: an empty input workbook with the columns cbam-calc reads."""

from __future__ import annotations

from pathlib import Path

import click

from cbam_calc.cli.options import message


@click.command()
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    default="cbam_shipments.xlsx",
    show_default=True,
    help="workbook to write",
)
@click.option(
    "--lang",
    type=click.Choice(["en", "zh"]),
    default="en",
    show_default=True,
    help="language of the headers and instructions",
)
@click.option("--force", is_flag=True, help="replace an existing file")
def template(output, lang, force):
    """Write an empty input workbook with the columns cbam-calc reads and instructions."""
    from cbam_calc.outputs.input_template import write_template
    from cbam_calc.outputs.writers import require_suffix

    require_suffix(output, (".xlsx",), message("M_OUT_INPUT_WORKBOOK"))
    write_template(output, lang=lang, force=force)
    from cbam_calc.core.labels import written_line

    click.echo(written_line("template", str(output), "", lang), err=True)
