"""``cbam scenario``: how domestic carbon pricing and CCER offsetting move the EU levy."""

from __future__ import annotations

from pathlib import Path

import click

from cbam_calc.cli.options import (
    DE_MINIMIS_CHOICES,
    announce,
    carbon_prices_option,
    de_minimis_choice,
    de_minimis_options,
    emissions_options,
    force_option,
    ignore_destination_option,
    message,
    pairs,
    read_options,
)


def _floats(
    option: str, text: str | None, *, upper: float | None = None, why: str = "", **why_params
) -> tuple[float, ...] | None:
    if text is None:
        return None
    out = []
    for part in text.split(","):
        try:
            v = float(part.strip().rstrip("%")) / (100 if part.strip().endswith("%") else 1)
        except ValueError:
            raise click.BadParameter(message("E_NOT_NUMBER", value=part), param_hint=option) from None
        if v < 0:
            raise click.BadParameter(message("E_MUST_NOT_BE_NEGATIVE", value=part.strip()), param_hint=option)
        if upper is not None and v > upper + 1e-12:
            raise click.BadParameter(message(why, value=part.strip(), **why_params), param_hint=option)
        out.append(v)
    return tuple(out)


def _words(option: str, text: str | None, allowed: dict[str, object]) -> tuple | None:
    if text is None:
        return None
    out = []
    for part in text.split(","):
        key = part.strip().lower()
        if key not in allowed:
            raise click.BadParameter(
                message("E_ONE_OF", value=part, allowed=list(allowed)), param_hint=option
            )
        out.append(allowed[key])
    return tuple(out)


def de_minimis_option(f):
    """--de-minimis on|off (and the hidden --no-de-minimis), as cbam calc has them."""
    for o in reversed(de_minimis_options(DE_MINIMIS_CHOICES)):
        f = o(f)
    return f


@click.command()
@click.argument("input", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--sheet", help="sheet of a workbook (name or number); default: the first visible one")
@click.option(
    "--years",
    default=None,
    help="years to compute, e.g. 2026-2034 or 2026,2030 [default: 2026-2034; with a proposal's "
    "--cbam-factor, to its last year]",
)
@click.option(
    "--config",
    type=click.Path(dir_okay=False, path_type=Path),
    help="YAML file of named scenarios (instead of the sweep options)",
)
@click.option("--cea-price", help="CNETS allowance prices, CNY/tCO2e, comma list")
@click.option("--ccer-price", help="CCER prices, CNY/tCO2e, comma list")
@click.option("--ccer-share", help="CCER share of verified emissions, comma list, at most 0.05")
@click.option("--ccer-use", help="compliance (surrendered in CNETS) and/or voluntary")
@click.option(
    "--allocation-gap",
    help="share of verified emissions not covered by free allocation, comma list [default: 0.05]",
)
@click.option("--recognition", help="EU recognises the price paid (Art 9 draft): yes, no or yes,no")
@click.option("--default-carbon-price-eur", help="Art 9 default-track price for China, EUR/tCO2e")
@click.option(
    "--emissions-basis",
    "emissions_basis",
    help="declared (actual where given, templates' too) and/or default (EU defaults) [default: declared]",
)
@click.option(
    "--cbam-factor",
    "cbam_factor",
    help="CBAM factor schedule(s), comma list: law (Directive 2003/87/EC Art 10a(1a)) and/or "
    "proposal-2026-616 (proposal COM(2026) 616: NOT law, its schedule from secondary sources; "
    "years to its last unless --years) [default: law]",
)
@click.option("--eua-price", help="flat certificate prices, EUR/tCO2e, comma list")
@click.option(
    "--eua-path",
    multiple=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="certificate price path CSV (period,price_eur_per_tco2e), periods as for cbam calc "
    "--price-path (a week runs Tuesday to Monday); repeatable",
)
@click.option(
    "--baseline", help="name of the scenario to compare with [default: no domestic price, not recognised]"
)
@click.option(
    "--verification-cost",
    type=click.FloatRange(min=0),
    default=0.0,
    show_default=True,
    help="yearly cost of verifying actual emissions, EUR, for the defaults-vs-actual year",
)
@click.option(
    "--compare-instruments",
    is_flag=True,
    help="add the instrument comparison per installation and year: all CEA; CEA + 5 % compliance "
    "CCER; the same tonnes of VCS retired voluntarily; ITMOs up to the 10 % cap IF CNETS accepted "
    "them (an assumption); each with domestic cost, EU levy, total and break-even credit price "
    "(cbam_calc/data/scenarios/instruments.yaml; Art 9 draft)",
)
@click.option("--fx", multiple=True, metavar="CUR=RATE", help="exchange rate override, e.g. CNY=7.9")
@de_minimis_option
@ignore_destination_option
@read_options
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="write the scenario workbook (tables and native Excel charts)",
)
@click.option(
    "--png",
    "png_dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="write the charts as PNG images into this folder",
)
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--lang", type=click.Choice(["en", "zh"]), default="en", show_default=True)
@force_option
@emissions_options
@carbon_prices_option
def scenario(
    input,
    sheet,
    years,
    config,
    cea_price,
    ccer_price,
    ccer_share,
    ccer_use,
    allocation_gap,
    recognition,
    default_carbon_price_eur,
    emissions_basis,
    cbam_factor,
    eua_price,
    eua_path,
    baseline,
    verification_cost,
    compare_instruments,
    fx,
    de_minimis,
    no_de_minimis,
    ignore_destination,
    make_read,
    output,
    png_dir,
    fmt,
    lang,
    force,
    emissions,
    evidenced,
    carbon_prices,
):
    """How domestic carbon pricing and CCER offsetting move the EU levy, year by year.

    Without sweep options or --config, runs the default scenarios of
    cbam_calc/data/scenarios/default.yaml. Figures under Art 9 rest on a DRAFT act.
    """
    from cbam_calc.compute.scenario_set import parse_years, scenario_set_from_options
    from cbam_calc.core.model import CalcOptions
    from cbam_calc.law import cnets, proposals
    from cbam_calc.outputs.runs import check_scenario_outputs, scenario_to_files
    from cbam_calc.outputs.scenario_report import scenario_json, scenario_text

    cap = cnets.ccer_cap_share()
    sweeps = {
        "cea_price_cny": _floats("--cea-price", cea_price),
        "ccer_price_cny": _floats("--ccer-price", ccer_price),
        "ccer_share": _floats(
            "--ccer-share",
            ccer_share,
            upper=cap,
            why="E_CCER_SHARE_CAP",
            cap=f"{cap:g}",
        ),
        "ccer_use": _words("--ccer-use", ccer_use, {"compliance": "compliance", "voluntary": "voluntary"}),
        "allocation_gap": _floats("--allocation-gap", allocation_gap, upper=1.0, why="E_NOT_A_SHARE"),
        "recognition": _words(
            "--recognition", recognition, {"yes": True, "no": False, "true": True, "false": False}
        ),
        "default_carbon_price_eur": _floats("--default-carbon-price-eur", default_carbon_price_eur),
        "emissions": _words(
            "--emissions-basis", emissions_basis, {"declared": "declared", "default": "default"}
        ),
    }
    try:
        year_list = parse_years(years) if years else None
    except ValueError as e:  # checked before a range is expanded: 2026-900000000 is refused
        detail = e.args[0] if e.args else str(e)  # a Message: shown in the run's language
        raise click.BadParameter(message("E_YEARS", detail=detail), param_hint="--years") from None
    sset = scenario_set_from_options(
        years=year_list,
        config=config,
        **sweeps,
        cbam_factor=_words("--cbam-factor", cbam_factor, {k: k for k in proposals.cbam_factor_schedules()}),
        eua_price=_floats("--eua-price", eua_price),
        eua_path=eua_path,
        baseline=baseline,
        verification_cost_eur=verification_cost,
        compare_instruments=compare_instruments,
    )
    # before --fx is read, as it always was
    check_scenario_outputs(
        input,
        output,
        force,
        scenario_set=sset,
        config=config,
        png_dir=png_dir,
        emissions=emissions,
        carbon_prices=carbon_prices,
    )
    options = CalcOptions(
        fx=pairs("--fx", fx, positive=True),
        de_minimis=de_minimis_choice(de_minimis, no_de_minimis, DE_MINIMIS_CHOICES[0]),
        ignore_destination=ignore_destination,
        read=make_read(),
    )
    result = scenario_to_files(
        input,
        sset,
        options,
        sheet=sheet,
        output=output,
        png_dir=png_dir,
        force=force,
        on_written=announce,
        config=config,
        emissions=emissions,
        evidenced=evidenced,
        carbon_prices=carbon_prices,
        lang=lang,
    )
    click.echo(scenario_json(result) if fmt == "json" else scenario_text(result, lang))
