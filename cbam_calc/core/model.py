"""Pydantic models of a run's options and of its summary (what ``--format json`` prints).

Long because: these models are one contract, the summary ``--format json`` prints and every
output and ``--check`` reads back; split, a field's meaning would live in two files.

Lines are never pydantic objects: they stay columns of a DataFrame. Only run-level figures
(a handful per run) are models.
"""

from __future__ import annotations

import math
from enum import Enum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_serializer, model_validator

from cbam_calc.core import display
from cbam_calc.core.messages import Message, messages_of


class Art9Track(str, Enum):
    """Which Art 9 track a run applies (the draft's choice, made explicit)."""

    AUTO = "auto"  # actual track for lines with actual data and a price paid, else default track
    ACTUAL = "actual"  # only the actual track
    DEFAULT = "default"  # only the default-carbon-price track, for every line
    OFF = "off"  # carbon price paid abroad not recognised at all


class ReadOptions(BaseModel):
    """How the input files are read: what changes which rows and columns a run sees. Part of
    CalcOptions, so the run record keeps it and ``--check`` reads the inputs the same way."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    encoding: str | None = Field(
        None,
        description="text encoding of CSV inputs (--encoding); None: UTF-8, else GB18030 where plausible",
    )
    skip_hidden: bool = Field(
        False, strict=True, description="leave out rows hidden or filtered out in a workbook (--skip-hidden)"
    )
    columns: dict[str, str] = Field(
        default_factory=dict,
        description="input column to read as a field, by field name (--column import_date=报关日期)",
    )
    from_export_date_days: int | None = Field(
        None,
        strict=True,
        ge=0,
        description="estimate the import date as the export date plus this many days of transit "
        "(--from-export-date)",
    )

    @field_validator("encoding")
    @classmethod
    def _known_codec(cls, v: str | None) -> str | None:
        """A text codec Python knows (any of its names: cp1252, Shift-JIS, latin-1...)."""
        if v is not None:
            import codecs

            try:
                info = codecs.lookup(v)
            except LookupError:
                raise ValueError(
                    f"'{v}' is not a known text encoding (e.g. cp1252, shift_jis, cp1254)"
                ) from None
            if not getattr(info, "_is_text_encoding", True):
                raise ValueError(f"'{v}' is not a text encoding (e.g. cp1252, shift_jis, cp1254)")
        return v


class DeMinimis(str, Enum):
    """How the de minimis threshold (Art 2a) is applied: the choice of ``--de-minimis``.

    The threshold belongs to the importer (the declarant). One file (calc, explain, report) is
    decided on its own: ``on``. A batch sums each importer over every file by default
    (``importer``), or decides each member's file on its own (``per-file``, the reading before
    issue 12). ``off`` prices every line. Truthy unless ``off``, so ``if options.de_minimis``
    reads as it did when this was a bool.
    """

    ON = "on"  # one file: its importers decided on their own lines
    IMPORTER = "importer"  # batch: each importer's total over every file of the batch
    PER_FILE = "per-file"  # batch: each member's file decided on its own
    OFF = "off"  # nothing exempt, every line priced

    def __bool__(self) -> bool:
        return self is not DeMinimis.OFF


class CalcOptions(BaseModel):
    """How a calculation is run. Every choice here is printed in the output's assumptions."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    # strict: True, "2027" or 2027.0 are no year a caller meant (ValidationError names the field)
    year: int | None = Field(None, strict=True, description="compute every line as if imported in this year")
    price_eur_per_tco2e: float | None = Field(
        None,
        gt=0,
        allow_inf_nan=False,
        description="certificate price for every line (what-if), EUR per tCO2e",
    )
    art9: Art9Track = Field(Art9Track.AUTO, description="Art 9 draft track")
    default_carbon_price: dict[str, float] = Field(
        default_factory=dict,
        description="default carbon price by ISO country code, EUR per tCO2e (Art 9 default track)",
    )
    fx: dict[str, float] = Field(
        default_factory=dict, description="exchange rate overrides, units of currency per EUR"
    )
    de_minimis: DeMinimis = Field(
        DeMinimis.ON,
        description="how the 50 t de minimis exemption (Art 2a) is applied: on (one file's "
        "importers), importer (a batch: each importer's total over every file), per-file (a batch: "
        "each file on its own) or off (every line priced); True and False mean on and off",
    )
    ignore_destination: bool = Field(
        False,
        strict=True,
        description="compute lines whose destination is outside the EU customs territory (or not "
        "recognised) instead of rejecting them (Art 2 of Regulation (EU) 2023/956)",
    )
    read: ReadOptions = Field(default_factory=ReadOptions, description="how the input files are read")
    exporter: str | None = Field(
        None, description="who the report is of: the exporter's name (--exporter), shown at its top"
    )
    # --currency (issue 14): CNY adds columns at display rates (core.display); left out of an EUR dump
    currency: str = Field("EUR", description="currency shown beside EUR: EUR (none) or CNY")
    _supported_currency = field_validator("currency", mode="before")(display.supported_currency)
    _currency_only_if_given = model_serializer(mode="wrap")(display.without_eur)

    @field_validator("de_minimis", mode="before")
    @classmethod
    def _de_minimis_choice(cls, v: object) -> object:
        """True/False (the API before the choice) are on/off; a text must be one of the choices
        exactly ("no" or "1" is no choice a caller meant, so no truthiness)."""
        if isinstance(v, bool):
            return DeMinimis.ON if v else DeMinimis.OFF
        if isinstance(v, DeMinimis) or (isinstance(v, str) and v in {m.value for m in DeMinimis}):
            return DeMinimis(v)
        raise ValueError(Message("M_DE_MINIMIS_CHOICE", choices=[m.value for m in DeMinimis], value=repr(v)))

    @field_validator("default_carbon_price", "fx")
    @classmethod
    def _positive(cls, v: dict[str, float], info) -> dict[str, float]:
        for k, x in v.items():
            if not math.isfinite(x):
                raise ValueError(Message("M_NOT_FINITE_OPTION", key=k, value=x))
            if x < 0 or (info.field_name == "fx" and x == 0):  # a rate of 0 divides by zero
                raise ValueError(
                    f"{k}: must " + ("be greater than 0" if info.field_name == "fx" else "not be negative")
                )
        return {k.upper(): float(x) for k, x in v.items()}


class Figures(BaseModel):
    """The headline figures, for a whole run or one group of lines."""

    lines: int
    net_mass_t: float = Field(description="tonnes of goods (electricity excluded)")
    electricity_mwh: float = 0.0
    embedded_tco2e: float
    free_allocation_tco2e: float
    art9_reduction_tco2e: float
    certificates: float
    cost_eur: float
    eur_per_t: float | None = Field(
        None, description="cost of the goods (electricity excluded) per tonne of goods"
    )


class SectorFigures(Figures):
    sector: str


class CnFigures(Figures):
    cn_code: str
    description: str
    sector: str
    # a quote never shows 0 for a product: what a tonne costs when its importer is not exempt
    eur_per_t_before_exemption: float | None = Field(
        None,
        description="cost per tonne of goods before the de minimis exemption (Art 2a): what the "
        "product costs an importer whose imports exceed the threshold",
    )


class ProductSaving(BaseModel):
    """Actual against default for one CN code: its lines with actual data, on their actual data
    and on the default values they would take without them (compute.default_saving)."""

    cn_code: str
    description: str
    sector: str
    lines: int = Field(description="lines with actual data and a default value to compare with")
    net_mass_t: float
    default_see_tco2e_per_t: float = Field(description="mass-weighted default SEE, mark-up included")
    actual_see_tco2e_per_t: float = Field(description="mass-weighted actual SEE given")
    default_certificates: float
    certificates: float
    default_cost_eur: float
    cost_eur: float
    saving_eur: float = Field(description="default_cost_eur - cost_eur; negative: actual data cost more")
    saving_eur_per_t: float | None = None


class ActualVsDefault(BaseModel):
    """What actual emissions data save against default values, per CN code and in total."""

    products: list[ProductSaving]
    lines: int
    net_mass_t: float
    default_cost_eur: float
    cost_eur: float
    saving_eur: float
    saving_eur_per_t: float | None = None
    negative: list[str] = Field(
        default_factory=list, description="CN codes whose actual data cost more than default values"
    )


class PeriodFigures(BaseModel):
    """Certificates and cost of one period: a quarter in 2026 (quarterly price), a month from
    2027 (weekly prices summed; a quarter where the import date is not known)."""

    period: str
    kind: str = Field(description="quarter or month")
    lines: int
    certificates: float
    cost_eur: float
    eur_per_certificate: float | None = None
    price_status: str = Field(description="the weakest status of the prices of the period")
    projection: bool = Field(description="a price of the period is projected (or a user path)")
    # --currency CNY only (core.display; left out of the dump otherwise)
    cost_cny: float | None = None
    display_rate_cny_per_eur: float | None = None
    display_rate_status: str | None = None
    _display_only_if_given = model_serializer(mode="wrap")(display.without_display)


def keep_message(data: Any, name: str) -> Any:
    """A model's input with its field ``name`` given as a Message: the message's code and
    parameters added as ``<name>_code`` and ``<name>_params`` (its English stays the field)."""
    if isinstance(data, dict) and isinstance(data.get(name), Message) and not data.get(f"{name}_code"):
        m = data[name]
        data = {
            **data,
            f"{name}_code": m.code,
            **({f"{name}_params": m.to_json()["params"]} if m.code else {}),
        }
    return data


class PriceUsed(BaseModel):
    period: str
    price_eur_per_tco2e: float
    status: str
    source_period: str
    source: str  # where the price comes from (English)
    # the same as a message (law.prices.PriceBook: a reference table's source with its Chinese, a
    # stand-in, a user's price), so a report shows it in its language; '' and {} where it has none
    source_code: str = ""
    source_params: dict[str, Any] = Field(default_factory=dict)
    lines: int

    @model_validator(mode="before")
    @classmethod
    def _source_message(cls, data: Any) -> Any:
        """``source`` given as a Message keeps its code and parameters beside its English."""
        return keep_message(data, "source")

    def source_text(self, lang: str) -> str:
        """Where the price comes from, in ``lang`` (as written where it has no code)."""
        return Message.from_json(self.source, self.source_code, self.source_params).text(lang)


class ReferencePriceUsed(BaseModel):
    year: int
    price_eur_per_tco2e: float
    status: str  # the weakest status of the prices averaged
    averages: str = ""  # which periods it averages, with their figure and status (English)
    # the same as a message (law.prices.averaged_periods: M_AVG_QUARTERS / M_AVG_WEEKS and its
    # parts), so a report shows it in its language; '' and {} in a summary of before
    averages_code: str = ""
    averages_params: dict[str, Any] = Field(default_factory=dict)

    @model_validator(mode="before")
    @classmethod
    def _averages_message(cls, data: Any) -> Any:
        """``averages`` given as a Message keeps its code and parameters beside its English."""
        return keep_message(data, "averages")

    def averages_text(self, lang: str) -> str:
        """Which periods P_ref averages, in ``lang`` (as written where it has no code)."""
        return Message.from_json(self.averages, self.averages_code, self.averages_params).text(lang)


class DeMinimisOutcome(BaseModel):
    importer: str
    year: int
    annex_i_mass_t: float = Field(
        description="tonnes of CBAM goods of this importer and year in this run's input only: the "
        "importer's imports from other suppliers are not in it"
    )
    threshold_t: float
    exempt: bool = Field(
        description="the input's tonnes are at or under the threshold: the importer is exempt IF its "
        "imports of CBAM goods in the year, from all suppliers, stay at or under it (Art 2a)"
    )


class InputFile(BaseModel):
    file: str
    sheet: str | None = None
    sha256: str
    rows_read: int
    header_row: int
    # a CSV's text encoding as read (a Python codec name: utf-8, gb18030, cp1252...); None: no text
    encoding: str | None = None

    @property
    def encoding_shown(self) -> str | None:
        """The encoding, where outputs must say it: a text file not read as UTF-8."""
        if self.encoding is None or self.encoding.replace("-", "_") in ("utf_8", "utf_8_sig"):
            return None
        return self.encoding

    def notes(self, lang: str = "en") -> list[str]:
        """What a report says after the file's name: its sheet, its encoding where not UTF-8."""
        from cbam_calc.core.labels import label

        shown = self.encoding_shown
        return [n for n in (self.sheet, shown and f"{label('encoding', lang)}: {shown}") if n]


class Assumptions(BaseModel):
    years: list[int]
    year_override: int | None
    certificate_prices: list[PriceUsed]
    price_override_eur_per_tco2e: float | None
    cbam_factor: dict[int, float]
    cscf: dict[int, float]
    cscf_provisional: bool  # the CSCF of some year is a projection (no value set by law)
    cscf_status: dict[int, str] = {}  # by year: law (Decision (EU) 2026/1862) or projection
    art9_track: str
    art9_status: str
    art9_reference_prices: list[ReferencePriceUsed]
    default_carbon_prices: dict[str, float]
    fx_used: dict[str, float]
    draft_rules_in_force: list[str]
    de_minimis: bool  # some line could be exempt (the choice is not off)
    ignore_destination: bool = False  # --ignore-destination: non-EU destinations computed
    reading: ReadOptions = ReadOptions()  # how the inputs were read (--encoding, --column, ...)
    de_minimis_mode: str = Field(
        "on", description="the --de-minimis choice: on, importer, per-file or off (DeMinimis)"
    )
    benchmark_projection_years: list[int]
    sources: dict[str, str]


class TemplateUsed(BaseModel):
    """A communication template a run was given (--emissions): where it was read, its SHA-256,
    its installation, and whether its carbon price due counts as evidenced (--evidenced)."""

    file: str
    absolute: str
    sha256: str
    installation: str
    version: str
    evidenced: bool


class SourceCount(BaseModel):
    """Computed lines whose SEE came from one source: the shipment file, a template, or default
    values (``file``: the template's, '' otherwise)."""

    source: str
    file: str = ""
    lines: int


class TemplateFigures(BaseModel):
    """What the installations' communication templates did in a run (``cbam calc --emissions``)."""

    templates: list[TemplateUsed]
    evidenced: str | list[str] | None = Field(None, description="--evidenced as given")
    lines_by_source: list[SourceCount]
    price_due_lines: int = Field(0, description="computed lines whose carbon price is a template's price due")
    unevidenced_lines: int = Field(0, description="of those, lines whose price due is not evidenced")
    once_evidenced_tco2e: float = Field(
        0.0, description="the Art 9 reduction the unevidenced prices due would bring once evidenced, tCO2e"
    )
    once_evidenced_eur: float = Field(0.0, description="the same, in EUR of certificates not bought")


class InstrumentTotal(BaseModel):
    """The carbon price paid through one instrument (unit and mechanism) under one treatment of
    the DRAFT Art 9 rule, summed over a run's computed lines (issue 16)."""

    unit: str = Field(description="unit code of carbon_pricing.yaml ('' not named: a binding price)")
    mechanism: str = Field(
        description="mechanism code of carbon_pricing.yaml, as given or inferred ('' none)"
    )
    treatment: str = Field(description="what the draft Art 9 does with it (law.instruments.REASONS)")
    line_state: str = Field(
        description="what Art 9 does with the price paid on these lines (law.art9.PRICE_STATES): "
        "deducted (actual track, evidenced), default_track (the country's default carbon price is "
        "deducted instead), default_values (no default track open), not_evidenced, not_applied; '' "
        "where the rows recognise nothing"
    )
    lines: int
    recognised_eur: float = Field(
        description="carbon price paid that counts towards P_paid,eff, EUR; deducted only where "
        "line_state is deducted"
    )
    unrecognised_eur: float = Field(description="carbon price paid that the draft does not recognise, EUR")
    art9_reduction_tco2e: float = Field(
        description="the Art 9 reduction the recognised price gives (line_state deducted only), tCO2e"
    )
    source: str = Field(description="the rule's source: the draft act, and the mechanism's own law")


class InstrumentFigures(BaseModel):
    """The carbon price paid abroad by instrument, recognised and not (only when the input names
    an instrument, use or mechanism, or gives a carbon-prices table). DRAFT: Art 9 rests on a
    draft implementing act (``status``)."""

    by_instrument: list[InstrumentTotal]
    recognised_eur: float = Field(
        description="all the price paid the rule recognises, EUR: recognised_deducted_eur + "
        "recognised_not_deducted_eur"
    )
    recognised_deducted_eur: float = Field(
        description="recognised and deducted (lines of state deducted): / P_ref gives the reduction "
        "before the cap, EUR"
    )
    recognised_not_deducted_eur: float = Field(
        description="recognised on lines that take no Art 9 deduction of the price paid (default "
        "track, not evidenced, Art 9 not applied), EUR"
    )
    unrecognised_eur: float
    art9_reduction_tco2e: float
    status: str = Field(description="the Art 9 rule's status: a DRAFT act, with its date and reference")


class Prepared(BaseModel):
    """Who and when a report is of, shown at its top (issue 14): the exporter (--exporter) and the
    installations the input names, the period its lines cover, the date the report was prepared,
    the date of the reference data and the cbam-calc version."""

    exporter: str | None = Field(None, description="the exporter's name as given (--exporter)")
    installations: list[str] = Field(
        default_factory=list, description="the installations the input's lines name, sorted"
    )
    first_import: str | None = Field(None, description="the lines' first import date (ISO)")
    last_import: str | None = Field(None, description="the lines' last import date (ISO)")
    years: list[int] = Field(default_factory=list, description="the years of import of the lines")
    date_prepared: str = Field(description="the local date the report was prepared (ISO)")
    reference_data_as_of: str | None = Field(None, description="newest update date of the reference data")
    cbam_calc_version: str


class CalcSummary(BaseModel):
    """What a run found: the figures, their breakdown, and every assumption behind them."""

    cbam_calc_version: str
    rows_read: int
    lines: int
    rejected: int
    net_mass_t: float
    electricity_mwh: float
    embedded_tco2e: float
    free_allocation_tco2e: float
    art9_reduction_tco2e: float
    certificates: float
    cost_eur: float
    eur_per_t: float | None
    by_sector: list[SectorFigures]
    by_cn_code: list[CnFigures]
    de_minimis: list[DeMinimisOutcome]
    assumptions: Assumptions
    warnings: list[str] = Field(description="the run's warnings, in English (as before codes)")
    inputs: list[InputFile]
    reference_data_sha256: str
    # the newest update date of the reference tables and parameters (cbam data lists each), and
    # the files that state none
    reference_data_as_of: str | None = None
    reference_data_undated: list[str] = []
    # certificates and cost by quarter (2026) and month (2027 on), and actual data against default
    # values (only where lines have actual data); left out of a dump where None;
    # before the warning codes, which stay the last keys of a dump
    by_period: list[PeriodFigures] | None = None
    actual_vs_default: ActualVsDefault | None = None
    # after the fields of before, so that the JSON of before reads the same; one per warning
    warning_codes: list[str] = Field(
        default_factory=list, description="message code of each warning ('' where it has none yet)"
    )
    warning_params: list[dict[str, Any]] = Field(
        default_factory=list, description="parameters of each warning's message"
    )
    # who and when (left out of a summary of before, which has none)
    prepared: Prepared | None = None
    # only with --emissions (left out of every dump without it, which reads as before)
    templates: TemplateFigures | None = None
    # only when instruments are named (left out of every dump otherwise, which reads as before)
    instruments: InstrumentFigures | None = None
    display_currency: display.DisplayCurrency | None = None  # --currency CNY only (not dumped else)

    @model_serializer(mode="wrap")
    def _without_templates_unless_given(self, handler):
        data = handler(self)
        for key in ("templates", "instruments", "prepared", "by_period", "actual_vs_default", display.KEY):
            if isinstance(data, dict) and key in data and data[key] is None:
                del data[key]
        return data

    @model_validator(mode="after")
    def _one_code_per_warning(self) -> CalcSummary:
        n = len(self.warnings)
        if len(self.warning_codes) != n or len(self.warning_params) != n:  # a summary of before
            self.warning_codes = (self.warning_codes + [""] * n)[:n]
            self.warning_params = (self.warning_params + [{}] * n)[:n]
        return self

    def warning_messages(self) -> list[Message]:
        """The warnings as messages, to show in the language of a report."""
        return messages_of(self.warnings, self.warning_codes, self.warning_params)
