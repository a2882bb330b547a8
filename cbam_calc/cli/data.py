"""``cbam data``: the inventory of what every figure rests on."""

from __future__ import annotations

import click


@click.command("data")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="text, or one JSON object for scripts",
)
@click.option(
    "--lang",
    type=click.Choice(["en", "zh"]),
    default="en",
    show_default=True,
    help="language of the text (the acts and sources stay as they are cited; JSON: English)",
)
def data(fmt, lang):
    """Every reference table and parameter: its act and version, effective dates, status (law,
    draft, proposal, projection, superseded), SHA-256 and the date its content last changed.

    Every report says "reference data as of DATE": the newest of these dates.
    """
    from cbam_calc.outputs.inventory import inventory_report

    click.echo(inventory_report(fmt, lang=lang))
