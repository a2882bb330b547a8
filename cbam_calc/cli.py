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


def calc_options(f):
    """Options shared by the commands that compute (calc, explain)."""
    opts = [
        click.option("--sheet", help="sheet of a workbook (name or number); default: the first"),
        click.option(
            "--year",
            type=click.IntRange(2026, 2034),
            help="compute every line as if imported in this year (2026-2034)",
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
            "reference prices, e.g. samples/eua_path.csv",
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
    from cbam_calc.model import CalcOptions
    from cbam_calc.rules.art9 import Art9Track

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
    from cbam_calc.rules.prices import load_price_path

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
@click.argument("input", type=click.Path(dir_okay=False, path_type=Path))
@calc_options
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="write the xlsx report (Summary, Lines, Rejected, Parameters)",
)
@click.option(
    "--lines-out",
    type=click.Path(dir_okay=False, path_type=Path),
    help="write the per-line table as CSV",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="summary on stdout: text, or one JSON object",
)
@click.option("--force", is_flag=True, help="replace existing output files")
def calc(
    input,
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
    force,
):
    """Compute embedded emissions, free allocation, Art 9, certificates and EUR for INPUT.

    INPUT is a csv or xlsx file with one row per customs line (English or Chinese headers).
    """
    from cbam_calc.engine import calculate
    from cbam_calc.errors import NothingComputedError
    from cbam_calc.io.text import summary_json, summary_text

    options = _options(year, price, art9, default_carbon_price, fx, no_de_minimis)
    for out in (output, lines_out):
        if out is not None:
            from cbam_calc.io.writers import check_output

            check_output(out, [input], force)
    try:
        result = calculate(input, options, sheet=sheet, price_path=_price_path(price_path))
        failure = None
    except NothingComputedError as e:
        result, failure = e.result, e
    if output is not None:
        from cbam_calc.io.xlsx import write_report

        write_report(result, output, lang=lang, inputs=[input], force=force)
        click.echo(f"report written to {output}", err=True)
    if lines_out is not None:
        from cbam_calc.io.writers import write_csv

        write_csv(result.lines, lines_out, inputs=[input], force=force)
        click.echo(f"lines written to {lines_out}", err=True)
    if failure is not None:
        raise failure
    click.echo(summary_json(result) if fmt == "json" else summary_text(result, lang))


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
    from cbam_calc.engine import calculate
    from cbam_calc.explain import explain_json, explain_line, explain_text

    options = _options(year, price, art9, default_carbon_price, fx, no_de_minimis)
    result = calculate(input, options, sheet=sheet, raise_if_empty=False, price_path=_price_path(price_path))
    ex = explain_line(result, line)
    click.echo(explain_json(ex) if fmt == "json" else explain_text(ex))


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
    from cbam_calc.template import write_template

    write_template(output, lang=lang, force=force)
    click.echo(f"template written to {output}", err=True)


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``cbam`` script: one-line errors, meaningful exit codes."""
    try:
        cli.main(args=argv, prog_name="cbam", standalone_mode=False)
        return 0
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
        from cbam_calc.errors import CbamError

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
