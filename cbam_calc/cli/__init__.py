"""The ``cbam`` command: a thin layer of options over the cbam_calc library.

Heavy modules (pandas, openpyxl, the engine) are imported inside the commands, so ``cbam --help``
starts at once. No Python traceback reaches a user: errors print one line and set the exit code
(1 nothing computed, 2 bad input or option, 70 internal error; set CBAM_DEBUG=1 for a traceback).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

EXIT_INTERNAL = 70

ART9_CHOICES = ["auto", "actual", "default", "off"]


def _pairs(option: str, values: tuple[str, ...]) -> dict[str, float]:
    out: dict[str, float] = {}
    for v in values:
        key, sep, num = v.partition("=")
        try:
            if not sep or not key.strip():
                raise ValueError
            out[key.strip().upper()] = float(num)
        except ValueError:
            raise click.BadParameter(
                f"'{v}': expected CODE=NUMBER, e.g. CN=12.5", param_hint=option
            ) from None
        if out[key.strip().upper()] < 0:
            raise click.BadParameter(f"'{v}': must not be negative", param_hint=option)
    return out


def _check_year(ctx, param, value):
    """--year must be a year cbam-calc has reference data for (data/parameters, read only when
    the option is given: `cbam --help` stays quick)."""
    if value is None:
        return None
    from cbam_calc.law.parameters import supported_years

    years = supported_years()
    if value not in years:
        raise click.BadParameter(f"{value}: cbam-calc has reference data for {years[0]}-{years[-1]}")
    return value


def calc_options(f):
    """Options shared by the commands that compute (calc, explain)."""
    opts = [
        click.option("--sheet", help="sheet of a workbook (name or number); default: the first"),
        click.option(
            "--year",
            type=int,
            callback=_check_year,
            help="compute every line as if imported in this year (of those with reference data: "
            "2026-2034, definitive_period.yaml)",
        ),
        click.option(
            "--price",
            type=click.FloatRange(min=0, min_open=True),
            help="certificate price for every line, EUR/tCO2e (what-if)",
        ),
        click.option(
            "--price-path",
            "price_path",
            type=click.Path(dir_okay=False, path_type=Path),
            help="CSV of certificate prices by period (2027, 2026Q3 or 2027-W05) replacing the "
            "reference prices, e.g. samples/eua_path.csv; a week runs Tuesday to Monday (2027-W05: "
            "Tue 2 Feb to Mon 8 Feb 2027), so a Monday import takes the week before",
        ),
        click.option(
            "--art9",
            type=click.Choice(ART9_CHOICES),
            default="auto",
            show_default=True,
            help="Art 9 (DRAFT) track for carbon price paid abroad; 'off' recognises none",
        ),
        click.option(
            "--default-carbon-price",
            "default_carbon_price",
            multiple=True,
            metavar="CC=EUR",
            help="default carbon price of a country, EUR/tCO2e (Art 9 default track), e.g. CN=10; repeatable",
        ),
        click.option(
            "--fx",
            multiple=True,
            metavar="CUR=RATE",
            help="yearly exchange rate override, units per EUR, e.g. CNY=7.9; repeatable",
        ),
        click.option(
            "--no-de-minimis",
            "no_de_minimis",
            is_flag=True,
            help="do not apply the 50 t de minimis exemption (Art 2a)",
        ),
        click.option(
            "--lang",
            type=click.Choice(["en", "zh"]),
            default="en",
            show_default=True,
            help="language of the report labels",
        ),
    ]
    for o in reversed(opts):
        f = o(f)
    return f


def _options(year, price, art9, default_carbon_price, fx, no_de_minimis):
    from cbam_calc.core.model import Art9Track, CalcOptions

    return CalcOptions(
        year=year,
        price_eur_per_tco2e=price,
        art9=Art9Track(art9),
        default_carbon_price=_pairs("--default-carbon-price", default_carbon_price),
        fx=_pairs("--fx", fx),
        de_minimis=not no_de_minimis,
    )


def _price_path(path):
    if path is None:
        return None
    from cbam_calc.law.prices import load_price_path

    return load_price_path(path)


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(package_name="cbam-calc", prog_name="cbam")
def cli() -> None:
    """cbam-calc: what the EU Carbon Border Adjustment Mechanism costs your exports.

    \b
    Start here:
      cbam template -o my_shipments.xlsx      an input workbook with instructions
      cbam calc my_shipments.xlsx -o report.xlsx
      cbam explain my_shipments.xlsx --line 7
    """


@cli.command()
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
    options = _options(year, price, art9, default_carbon_price, fx, no_de_minimis)
    require_suffix(output, (".xlsx",), "the xlsx report (cbam report writes .html)")
    if engine == "pandas":
        require_suffix(lines_out, (".csv", ".parquet"), "the per-line table", "--lines-out")
    for out in (output, lines_out):
        if out is not None:
            check_output(out, inputs, force)
    path_table = _price_path(price_path)
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


@cli.command()
@click.argument("input", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--line",
    "line",
    type=int,
    required=True,
    help="the row number of the line in your file (as Excel shows it; header = row 1 unless it sits lower)",
)
@calc_options
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def explain(
    input, line, sheet, year, price, price_path, art9, default_carbon_price, fx, no_de_minimis, lang, fmt
):
    """Show every step of one line, with its numbers and legal source."""
    from cbam_calc.compute.calculate import calculate
    from cbam_calc.outputs.explain import explain_json, explain_line, explain_text

    options = _options(year, price, art9, default_carbon_price, fx, no_de_minimis)
    result = calculate(input, options, sheet=sheet, raise_if_empty=False, price_path=_price_path(price_path))
    ex = explain_line(result, line)
    click.echo(explain_json(ex) if fmt == "json" else explain_text(ex, lang))


@cli.command()
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

    require_suffix(output, (".xlsx",), "an input workbook")
    write_template(output, lang=lang, force=force)
    click.echo(f"template written to {output}", err=True)


def _floats(
    option: str, text: str | None, *, upper: float | None = None, why: str = ""
) -> tuple[float, ...] | None:
    if text is None:
        return None
    out = []
    for part in text.split(","):
        try:
            v = float(part.strip().rstrip("%")) / (100 if part.strip().endswith("%") else 1)
        except ValueError:
            raise click.BadParameter(f"'{part}' is not a number", param_hint=option) from None
        if v < 0:
            raise click.BadParameter(f"{part.strip()} must not be negative", param_hint=option)
        if upper is not None and v > upper + 1e-12:
            raise click.BadParameter(f"{part.strip()} {why}", param_hint=option)
        out.append(v)
    return tuple(out)


def _words(option: str, text: str | None, allowed: dict[str, object]) -> tuple | None:
    if text is None:
        return None
    out = []
    for part in text.split(","):
        key = part.strip().lower()
        if key not in allowed:
            raise click.BadParameter(f"'{part}': expected one of {', '.join(allowed)}", param_hint=option)
        out.append(allowed[key])
    return tuple(out)


@cli.command()
@click.argument("input", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--sheet", help="sheet of a workbook (name or number); default: the first")
@click.option(
    "--years", default=None, help="years to compute, e.g. 2026-2034 or 2026,2030 [default: 2026-2034]"
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
@click.option("--emissions", help="declared (actual where given) and/or default (EU defaults)")
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
@click.option("--fx", multiple=True, metavar="CUR=RATE", help="exchange rate override, e.g. CNY=7.9")
@click.option("--no-de-minimis", "no_de_minimis", is_flag=True, help="do not apply the 50 t rule")
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
@click.option("--force", is_flag=True, help="replace existing output files")
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
    emissions,
    eua_price,
    eua_path,
    baseline,
    verification_cost,
    fx,
    no_de_minimis,
    output,
    png_dir,
    fmt,
    lang,
    force,
):
    """How domestic carbon pricing and CCER offsetting move the EU levy, year by year.

    Without sweep options or --config, runs the default scenarios of
    cbam_calc/data/scenarios/default.yaml. Figures under Art 9 rest on a DRAFT act.
    """
    from pydantic import ValidationError

    from cbam_calc.compute.scenarios import (
        REFERENCE,
        default_scenarios,
        describe,
        load_config,
        parse_years,
        sweep,
    )
    from cbam_calc.core.errors import OptionError
    from cbam_calc.core.model import CalcOptions
    from cbam_calc.law import cnets

    cap = cnets.ccer_cap_share()
    sweeps = {
        "cea_price_cny": _floats("--cea-price", cea_price),
        "ccer_price_cny": _floats("--ccer-price", ccer_price),
        "ccer_share": _floats(
            "--ccer-share",
            ccer_share,
            upper=cap,
            why=f"exceeds the CNETS cap of {cap:g} of verified emissions (MEE Order No. 19, Art 29)",
        ),
        "ccer_use": _words("--ccer-use", ccer_use, {"compliance": "compliance", "voluntary": "voluntary"}),
        "allocation_gap": _floats(
            "--allocation-gap", allocation_gap, upper=1.0, why="is not a share between 0 and 1"
        ),
        "recognition": _words(
            "--recognition", recognition, {"yes": True, "no": False, "true": True, "false": False}
        ),
        "default_carbon_price_eur": _floats("--default-carbon-price-eur", default_carbon_price_eur),
        "emissions": _words("--emissions", emissions, {"declared": "declared", "default": "default"}),
    }
    given = {k: v for k, v in sweeps.items() if v is not None}
    try:
        year_list = parse_years(years) if years else None
    except ValueError:
        raise click.BadParameter(
            f"'{years}': expected like 2026-2034 or 2026,2030", param_hint="--years"
        ) from None
    eua: dict[str, str | float] = {f"flat {p:g}": p for p in (_floats("--eua-price", eua_price) or ())}
    for p in eua_path:
        eua[p.stem] = str(p)
    try:
        if config is not None:
            if given or eua:
                raise OptionError("give either --config or sweep options (--cea-price ...), not both")
            sset = load_config(config)
            if year_list:
                sset = sset.model_copy(update={"years": sset._years_in_range(year_list)})
        elif given or eua:
            if "allocation_gap" not in given:
                given["allocation_gap"] = (0.05,)
            sset = sweep(
                year_list or list(default_scenarios().years),
                eua or {REFERENCE: REFERENCE},
                baseline=baseline,
                verification_cost_eur=verification_cost,
                **given,
            )
        else:
            sset = default_scenarios()
            if year_list:
                sset = sset.model_copy(update={"years": sset._years_in_range(year_list)})
        if baseline and config is None and not (given or eua):
            sset = sset.model_copy(update={"baseline": baseline})
        if verification_cost:
            sset = sset.model_copy(update={"verification_cost_eur": verification_cost})
    except ValidationError as e:
        raise OptionError(describe(e)) from None
    except ValueError as e:
        raise OptionError(str(e)) from None

    from cbam_calc.compute.scenarios import run_scenarios
    from cbam_calc.inputs.readers import read_table
    from cbam_calc.inputs.validate import validate
    from cbam_calc.law.reference import reference_data
    from cbam_calc.outputs.scenario_report import (
        scenario_json,
        scenario_text,
        write_scenario_png,
        write_scenario_xlsx,
    )
    from cbam_calc.outputs.writers import check_output, require_suffix

    require_suffix(output, (".xlsx",), "the scenario workbook (--png DIR writes the charts as images)")
    if output is not None:
        check_output(output, [input], force)
    options = CalcOptions(fx=_pairs("--fx", fx), de_minimis=not no_de_minimis)
    ref = reference_data()
    validated = validate(read_table(input, sheet), ref)
    if validated.lines.empty:
        from cbam_calc.core.errors import NothingComputedError

        raise NothingComputedError(
            f"{input}: nothing could be computed, all rows rejected (run cbam calc for the reasons)"
        )
    result = run_scenarios(validated, sset, options, ref)
    if output is not None:
        from cbam_calc.outputs.run_record import make_scenario_record

        record = make_scenario_record(result, input, sheet, options, sset)
        write_scenario_xlsx(result, output, inputs=[input], force=force, record=record)
        click.echo(f"scenario workbook written to {output}", err=True)
    if png_dir is not None:
        for p in write_scenario_png(result, png_dir, force=force):
            click.echo(f"chart written to {p}", err=True)
    click.echo(scenario_json(result) if fmt == "json" else scenario_text(result, lang))


# cbam report and cbam batch live in their own module; imported here, after calc_options
from cbam_calc.cli.reports import batch, report  # noqa: E402

cli.add_command(report)
cli.add_command(batch)


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``cbam`` script: one-line errors, meaningful exit codes."""
    from cbam_calc.core.runtime import tune_for_batch_work

    tune_for_batch_work()
    try:
        return _main(argv)
    finally:
        if "cbam_calc.inputs.csv_arrow" in sys.modules:  # no reader thread outlives the command
            sys.modules["cbam_calc.inputs.csv_arrow"].settle()


def _main(argv: list[str] | None) -> int:
    try:
        code = cli.main(args=argv, prog_name="cbam", standalone_mode=False)
        return code if isinstance(code, int) else 0  # click returns an Exit's code here
    except click.exceptions.Exit as e:
        return e.exit_code
    except click.ClickException as e:
        e.show()
        return e.exit_code
    except click.Abort:
        click.echo("aborted", err=True)
        return 130
    except KeyboardInterrupt:
        click.echo("interrupted", err=True)
        return 130
    except Exception as e:
        from cbam_calc.core.errors import CbamError

        if isinstance(e, CbamError):
            click.echo(f"error: {e}", err=True)
            return e.exit_code
        if os.environ.get("CBAM_DEBUG"):
            raise
        click.echo(
            f"internal error: {type(e).__name__}: {e} (this is a bug in cbam-calc; "
            "rerun with CBAM_DEBUG=1 for details and report it)",
            err=True,
        )
        return EXIT_INTERNAL


if __name__ == "__main__":
    sys.exit(main())
