"""``cbam explain``: every step of one line, with its numbers and legal source."""

from __future__ import annotations

from pathlib import Path

import click

from cbam_calc.cli.options import calc_options, carbon_prices_option, emissions_options


@click.command()
@click.argument("input", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--line",
    "line",
    type=int,
    required=True,
    help="the row number of the line in your file (as Excel shows it; header = row 1 unless it sits lower)",
)
@calc_options
@emissions_options
@carbon_prices_option
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def explain(
    input,
    line,
    sheet,
    make_options,
    price_path,
    lang,
    fmt,
    emissions,
    evidenced,
    carbon_prices,
):
    """Show every step of one line, with its numbers and legal source."""
    from cbam_calc.outputs.explain import explain_json, explain_text
    from cbam_calc.outputs.runs import explain_input

    options = make_options()
    ex = explain_input(
        input,
        line,
        options,
        sheet=sheet,
        price_path=price_path,
        emissions=emissions,
        evidenced=evidenced,
        carbon_prices=carbon_prices,
    )
    click.echo(explain_json(ex) if fmt == "json" else explain_text(ex, lang))
