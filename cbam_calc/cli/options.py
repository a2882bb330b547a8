"""What several commands share: the calculation options of ``cbam calc`` and their translation.

``calc_options`` puts the same options on calc, explain, report and batch, so every option means
the same in every command; ``calc_options_from`` turns their values into the library's
:class:`~cbam_calc.core.model.CalcOptions`. Only click is imported here: ``cbam --help`` stays quick.
"""

from __future__ import annotations

import functools
import math
from pathlib import Path

import click

ART9_CHOICES = ["auto", "actual", "default", "off"]
# --de-minimis: a single file is decided on its own (on); a batch sums each importer over every
# file by default (importer) or keeps each file on its own (per-file); off prices every line
DE_MINIMIS_CHOICES = ["on", "off"]
BATCH_DE_MINIMIS_CHOICES = ["importer", "per-file", "off"]


def message(code: str, **params):
    """The Message of a usage error (core.messages imported only when one is raised: ``cbam
    --help`` stays quick)."""
    from cbam_calc.core.messages import Message

    return Message(code, **params)


def pairs(option: str, values: tuple[str, ...], positive: bool = False) -> dict[str, float]:
    """``CODE=NUMBER`` values of a repeatable option (``--fx CNY=7.9``) as a mapping: finite,
    not negative, and above 0 where ``positive`` (an exchange rate divides)."""
    out: dict[str, float] = {}
    for v in values:
        key, sep, num = v.partition("=")
        try:
            if not sep or not key.strip():
                raise ValueError
            out[key.strip().upper()] = float(num)
        except ValueError:
            raise click.BadParameter(message("E_PAIR_FORMAT", value=v), param_hint=option) from None
        x = out[key.strip().upper()]
        if not math.isfinite(x):
            raise click.BadParameter(message("E_FINITE", value=f"'{v}'"), param_hint=option)
        if x < 0 or (positive and x == 0):
            code = "E_GREATER_THAN_ZERO" if positive else "E_NOT_NEGATIVE"
            raise click.BadParameter(message(code, value=v), param_hint=option)
    return out


def finite(ctx, param, value):
    """A number option must be a finite number (click's FloatRange lets nan and inf through)."""
    if value is not None and not math.isfinite(value):
        raise click.BadParameter(message("E_FINITE", value=value))
    return value


def check_year(ctx, param, value):
    """--year must be a year cbam-calc has reference data for (data/parameters, read only when
    the option is given: `cbam --help` stays quick)."""
    if value is None:
        return None
    from cbam_calc.law.parameters import supported_years

    years = supported_years()
    if value not in years:
        raise click.BadParameter(message("E_YEAR_RANGE", value=value, first=years[0], last=years[-1]))
    return value


ignore_destination_option = click.option(
    "--ignore-destination",
    "ignore_destination",
    is_flag=True,
    help="compute the lines whose destination column names a country outside the EU customs "
    "territory (or one not recognised) instead of rejecting them (an assumption the outputs state)",
)


def column_pairs(values: tuple[str, ...]) -> dict[str, str]:
    """``FIELD=HEADER`` values of --column as a mapping (the header as written, spaces kept
    inside; a FIELD that is no input field is refused here, a HEADER missing from a file where
    that file is read)."""
    out: dict[str, str] = {}
    for v in values:
        key, sep, header = v.partition("=")
        if not sep or not key.strip() or not header.strip():
            raise click.BadParameter(message("E_COLUMN_PAIR", value=v), param_hint="--column")
        out[key.strip()] = header.strip()
    from cbam_calc.inputs.columns import check_fields

    try:
        check_fields(out)
    except ValueError as e:  # a FIELD that is none: a usage error naming the fields
        params = getattr(e.args[0], "params", {}) if e.args else {}
        raise click.BadParameter(message("M_COLUMN_NO_FIELD", **params), param_hint="--column") from None
    return out


_read_options = [
    click.option(
        "--encoding",
        help="text encoding of CSV files, e.g. cp1252, shift_jis, cp1254 (default: UTF-8, else "
        "GB18030 where the text reads as Chinese)",
    ),
    click.option(
        "--skip-hidden",
        "skip_hidden",
        is_flag=True,
        help="leave out the rows hidden or filtered out in a workbook (listed in Rejected)",
    ),
    click.option(
        "--column",
        "column",
        multiple=True,
        metavar="FIELD=HEADER",
        help="read the input column HEADER as FIELD, e.g. import_date=报关日期; repeatable",
    ),
    click.option(
        "--from-export-date",
        "from_export_date",
        type=click.IntRange(min=0),
        metavar="DAYS",
        help="estimate each import date as the export date plus DAYS of transit (an estimate every "
        "output states)",
    ),
]


def read_options_from(encoding, skip_hidden, column, from_export_date):
    """The library's ReadOptions from the values of ``read_options``."""
    from cbam_calc.core.errors import OptionError
    from cbam_calc.core.messages import Message
    from cbam_calc.core.model import ReadOptions
    from cbam_calc.inputs.encodings import LIKELY, codec_name

    if encoding is not None and codec_name(encoding) is None:
        raise OptionError(Message("E_ENCODING_UNKNOWN", encoding=encoding, likely=LIKELY))

    return ReadOptions(
        encoding=encoding,
        skip_hidden=skip_hidden,
        columns=column_pairs(column),
        from_export_date_days=from_export_date,
    )


def read_options(f):
    """How the inputs are read (--encoding, --skip-hidden, --column, --from-export-date), on every
    command that reads shipments. The command receives them as ``make_read``: a call that returns
    their ReadOptions (built when the command is ready to, so errors keep their order)."""
    for o in reversed(_read_options):
        f = o(f)

    @functools.wraps(f)
    def command(*args, encoding, skip_hidden, column, from_export_date, **kw):
        return f(
            *args,
            make_read=functools.partial(read_options_from, encoding, skip_hidden, column, from_export_date),
            **kw,
        )

    return command


def de_minimis_options(choices: list[str]) -> list:
    """``--de-minimis CHOICE`` (first choice the default) and the hidden ``--no-de-minimis``,
    which is ``--de-minimis off`` as it always was."""
    return [
        click.option(
            "--de-minimis",
            "de_minimis",
            type=click.Choice(choices),
            default=None,
            help="the 50 t de minimis exemption (Art 2a): "
            + (
                "importer = each importer's total over every file of the batch (by EORI, else by "
                "name), per-file = each file on its own, off = price every line"
                if "importer" in choices
                else "on = exempt an importer whose tonnes in this file stay at or under it, off = "
                "price every line"
            )
            + f"  [default: {choices[0]}]",
        ),
        click.option("--no-de-minimis", "no_de_minimis", is_flag=True, hidden=True),
    ]


def de_minimis_choice(de_minimis: str | None, no_de_minimis: bool, default: str) -> str:
    """The --de-minimis choice: the hidden --no-de-minimis is off; the two contradicting is an
    error naming both."""
    if no_de_minimis and de_minimis not in (None, "off"):
        raise click.BadParameter(
            message("E_DE_MINIMIS_CONTRADICTS", value=de_minimis), param_hint="--de-minimis"
        )
    return "off" if no_de_minimis else (de_minimis or default)


def calc_options(f=None, *, batch: bool = False):
    """Options shared by the commands that compute (calc, explain, report, and batch with
    ``@calc_options(batch=True)``, whose --de-minimis offers the batch choices). The command
    receives ``sheet``, ``price_path`` and ``lang`` as they are, and the rest as ``make_options``:
    a call that returns their CalcOptions (:func:`calc_options_from`)."""
    if f is None:
        return functools.partial(calc_options, batch=batch)
    choices = BATCH_DE_MINIMIS_CHOICES if batch else DE_MINIMIS_CHOICES
    opts = [
        click.option("--sheet", help="sheet of a workbook (name or number); default: the first visible one"),
        click.option(
            "--year",
            type=int,
            callback=check_year,
            help="compute every line as if imported in this year (of those with reference data: "
            "2026-2034, definitive_period.yaml)",
        ),
        click.option(
            "--price",
            type=click.FloatRange(min=0, min_open=True),
            callback=finite,
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
        *de_minimis_options(choices),
        ignore_destination_option,
        *_read_options,
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

    @functools.wraps(f)  # keeps the click parameters the decorators below attached to f
    def command(
        *args,
        year,
        price,
        art9,
        default_carbon_price,
        fx,
        de_minimis,
        no_de_minimis,
        ignore_destination,
        encoding,
        skip_hidden,
        column,
        from_export_date,
        **kw,
    ):
        # the command builds its CalcOptions when it is ready to (errors keep their order)
        return f(
            *args,
            make_options=functools.partial(
                calc_options_from,
                year,
                price,
                art9,
                default_carbon_price,
                fx,
                functools.partial(de_minimis_choice, de_minimis, no_de_minimis, choices[0]),
                ignore_destination,
                read=functools.partial(read_options_from, encoding, skip_hidden, column, from_export_date),
            ),
            **kw,
        )

    return command


def emissions_options(f):
    """--emissions PATH and --evidenced FILE|all: installations' communication templates joined to
    the shipment lines (calc, report, explain). The command receives ``emissions`` (the paths, or
    None) and ``evidenced`` (None, "all", or the files, folders and installations named)."""
    f = click.option(
        "--evidenced",
        "evidenced",
        multiple=True,
        metavar="FILE|all",
        help="a template (file, folder or installation name) whose carbon price due is evidenced "
        "as paid (a certified carbon price report), or all; repeatable. Without it a template's "
        "price due deducts nothing: the summary shows what it would",
    )(f)
    f = click.option(
        "--emissions",
        "emissions",
        multiple=True,
        type=click.Path(exists=True, path_type=Path),
        metavar="PATH",
        help="installations' communication templates (files or folders): their SEE, route and "
        "carbon price due replace default values line by line where the shipment file gives "
        "none; repeatable",
    )(f)

    @functools.wraps(f)
    def command(*args, emissions, evidenced, **kw):
        if evidenced and not emissions:
            raise click.UsageError(message("E_EVIDENCED_NEEDS_EMISSIONS"))
        chosen = None
        if evidenced:
            chosen = "all" if any(e.strip().casefold() == "all" for e in evidenced) else list(evidenced)
        return f(*args, emissions=list(emissions) or None, evidenced=chosen, **kw)

    return command


def carbon_prices_option(f):
    """--carbon-prices PATH: a carbon-prices table of its own (csv or xlsx), one row per carbon
    pricing instrument of an installation (calc, report, explain, batch, scenario). The command
    receives ``carbon_prices`` (the path, or None)."""
    return click.option(
        "--carbon-prices",
        "carbon_prices",
        type=click.Path(exists=True, dir_okay=False, path_type=Path),
        metavar="PATH",
        help="carbon prices paid by installation (csv or xlsx, English or Chinese headers): one row "
        "per instrument (CEA, CCER, a tax ...) with its unit, use, share covered, price, basis and "
        "currency; a sheet named 碳价 / Carbon prices in the shipments workbook is read without it",
    )(f)


def exporter_option(f):
    """--exporter NAME: who the report is of, shown at its top (calc, report, batch). Put under
    ``@calc_options``: the command's ``make_options`` then builds CalcOptions with the exporter."""
    f = click.option(
        "--exporter",
        "exporter",
        metavar="NAME",
        help="the exporter's name, shown at the top of every report with the installations, the "
        "period covered and the date prepared",
    )(f)

    @functools.wraps(f)
    def command(*args, exporter, make_options, **kw):
        name = (exporter or "").strip() or None

        def with_exporter():
            options = make_options()
            return options.model_copy(update={"exporter": name}) if name else options

        return f(*args, make_options=with_exporter, **kw)

    return command


def currency_option(f):
    """--currency EUR|CNY: CNY adds columns and totals at the ECB display rate of each line's
    price period (calc, report, batch). Put under ``@calc_options``, as ``exporter_option``; any other
    currency is a usage error listing the supported ones (message E_CURRENCY)."""
    from cbam_calc.core.display import DISPLAY_CURRENCIES
    from cbam_calc.core.messages import Message

    def check(ctx, param, value):
        if value is None:
            return None
        code = value.strip().upper()
        if code not in DISPLAY_CURRENCIES:
            raise click.BadParameter(
                Message("E_CURRENCY", given=value, supported=", ".join(DISPLAY_CURRENCIES)).text(
                    ctx.params.get("lang") or "en"
                )
            )
        return code

    f = click.option(
        "--currency",
        "currency",
        metavar="CODE",
        callback=check,
        help="EUR (default) or CNY: CNY adds the cost in CNY per line and in the totals, at the ECB "
        "reference rate averaged over each line's price period (a display rate, not the Art 9 rate)",
    )(f)

    @functools.wraps(f)
    def command(*args, currency, make_options, **kw):
        def with_currency():
            options = make_options()
            return options.model_copy(update={"currency": currency}) if currency else options

        return f(*args, make_options=with_currency, **kw)

    return command


def summary_format(f):
    """--format text|json: the summary on stdout (calc, batch)."""
    return click.option(
        "--format",
        "fmt",
        type=click.Choice(["text", "json"]),
        default="text",
        show_default=True,
        help="summary on stdout: text, or one JSON object",
    )(f)


def force_option(f):
    """--force: what every command that writes reports takes."""
    return click.option("--force", is_flag=True, help="replace existing output files")(f)


def calc_options_from(
    year, price, art9, default_carbon_price, fx, de_minimis, ignore_destination=False, read=None
):
    """The library's CalcOptions from the values of ``calc_options``. ``de_minimis`` is the
    choice (on, off, importer, per-file), or a call giving it, and ``read`` a call that returns
    their ReadOptions (both checked when the options are built, so errors keep their order)."""
    from cbam_calc.core.model import Art9Track, CalcOptions

    return CalcOptions(
        year=year,
        price_eur_per_tco2e=price,
        art9=Art9Track(art9),
        default_carbon_price=pairs("--default-carbon-price", default_carbon_price),
        fx=pairs("--fx", fx, positive=True),
        de_minimis=de_minimis() if callable(de_minimis) else de_minimis,
        ignore_destination=ignore_destination,
        **({"read": read()} if read is not None else {}),
    )


def announce(written) -> None:
    """Say on stderr that a file was written (``on_written`` of the library's runs)."""
    context = click.get_current_context(silent=True)
    lang = (context.params.get("lang") if context is not None else None) or "en"
    click.echo(written.text(lang) if hasattr(written, "text") else str(written), err=True)
