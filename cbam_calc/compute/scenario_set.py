"""The scenario set: what a scenario run is asked to compute, checked before anything is computed.
Long because: one contract, the scenario (with how reports name it), the set, the YAML file and
the sweep of the command's options, checked in one place.

:class:`ScenarioParams` is one scenario (China's carbon market: CEA and CCER prices, the CCER
share and how the credits are used, the allocation gap; the EU: recognition of the price paid
under the Art 9 draft, a default carbon price, a certificate price path). :class:`ScenarioSet`
holds the scenarios with the years, the price paths and the installation overrides: what a
``--config my_scenarios.yaml`` file holds (:func:`load_config`), what the sweep options give
(:func:`sweep`), or the scenarios shipped with cbam-calc (:func:`default_scenarios`);
:func:`scenario_set_from_options` is what ``cbam scenario``'s options make of these.
:mod:`cbam_calc.compute.scenarios` runs them.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from cbam_calc.core.errors import OptionError
from cbam_calc.core.messages import Message
from cbam_calc.core.validation import describe
from cbam_calc.law import cnets, proposals
from cbam_calc.law.parameters import supported_years
from cbam_calc.law.reference import reference_data

REFERENCE = "reference"


class ScenarioParams(BaseModel):
    """One scenario. Every field has a unit in its name; unknown keys are errors."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = ""
    zh: str = Field("", description="its name in Chinese reports (the name stays its key)")
    description: str = ""  # what it assumes, for the reports; description_zh: the same in Chinese
    description_zh: str = ""
    cea_price_cny: float = Field(0.0, ge=0, description="CNETS allowance price, CNY per tCO2e")
    ccer_price_cny: float = Field(0.0, ge=0, description="CCER price, CNY per tCO2e")
    ccer_share: float = Field(0.0, ge=0, description="CCER share of verified emissions (<= 5 %)")
    ccer_use: Literal["compliance", "voluntary"] = "compliance"
    allocation_gap: float = Field(
        0.0, ge=0, le=1, description="share of verified emissions not covered by free allocation"
    )
    recognition: bool = Field(False, description="EU recognises the price paid (Art 9 draft)")
    default_carbon_price_eur: float | None = Field(
        None, ge=0, description="Art 9 default track, EUR per tCO2e, for China"
    )
    emissions: Literal["declared", "default"] = Field(
        "declared", description="declared: actual values where given; default: EU defaults"
    )
    eua: str = Field(REFERENCE, description="name of the certificate price path")
    cbam_factor: str = Field(
        proposals.LAW,
        description="CBAM factor schedule: law, or a policy proposal (proposal-2026-616: COM(2026) 616)",
    )

    @field_validator("cea_price_cny", "ccer_price_cny", mode="before")
    @classmethod
    def _reference_price(cls, v, info):
        if isinstance(v, str) and v.strip().lower() == REFERENCE:
            kind = "cea" if info.field_name == "cea_price_cny" else "ccer"
            return reference_data().china_carbon_price(kind)[0]
        return v

    @field_validator("ccer_share")
    @classmethod
    def _ccer_cap(cls, v: float) -> float:
        cap = cnets.ccer_cap_share()
        if v > cap + 1e-12:
            raise ValueError(Message("M_SCEN_CCER_CAP", value=f"{v:g}", cap=f"{cap:g}", percent=f"{cap:.0%}"))
        return v

    @field_validator("cbam_factor")
    @classmethod
    def _schedule(cls, v: str) -> str:
        proposals.cbam_factor_schedule(v)  # ValueError naming the schedules for any other name
        return v

    def label(self) -> str:
        """The scenario's name; one under a proposal's CBAM factor says so ('... [proposal COM(2026)
        616]')."""
        schedule = proposals.cbam_factor_schedule(self.cbam_factor)
        suffix = "" if schedule.is_law else f" [{schedule.name}]"
        if self.name:
            return self.name + suffix
        parts = [f"CEA {self.cea_price_cny:g}"]
        if self.ccer_share:
            parts.append(
                f"CCER {self.ccer_share:.0%} @{self.ccer_price_cny:g}"
                + (" voluntary" if self.ccer_use == "voluntary" else "")
            )
        parts.append(f"gap {self.allocation_gap:.0%}")
        parts.append("recognised" if self.recognition else "not recognised")
        if self.default_carbon_price_eur is not None:
            parts.append(f"default price {self.default_carbon_price_eur:g}")
        if self.emissions == "default":
            parts.append("EU defaults")
        if self.eua != REFERENCE:
            parts.append(f"EUA {self.eua}")
        return ", ".join(parts) + suffix


class InstallationOverride(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    allocation_gap: float | None = Field(None, ge=0, le=1)
    emission_intensity_tco2e_per_t: float | None = Field(None, ge=0)


class ScenarioSet(BaseModel):
    """Everything a scenario run needs; what ``--config my_scenarios.yaml`` holds."""

    model_config = ConfigDict(extra="forbid")

    years: list[int] = Field(default_factory=lambda: list(supported_years()))
    eua: dict[str, str | float] = Field(default_factory=lambda: {REFERENCE: REFERENCE})
    defaults: dict = Field(default_factory=dict)
    scenarios: list[ScenarioParams]
    baseline: str | None = None
    verification_cost_eur: float = Field(0.0, ge=0)
    installations: dict[str, InstallationOverride] = Field(default_factory=dict)
    compare_instruments: bool = False  # add the instrument comparison (data/scenarios/instruments.yaml)

    @field_validator("years", mode="before")
    @classmethod
    def _years(cls, v):
        return parse_years(v) if isinstance(v, (str, int)) and not isinstance(v, bool) else v

    @field_validator("years")
    @classmethod
    def _years_in_range(cls, v: list[int]) -> list[int]:
        allowed = proposals.scenario_years()  # to the last year a CBAM factor schedule sets
        for y in v:
            if y not in allowed:
                raise ValueError(
                    Message("M_SCEN_YEAR_OUTSIDE", year=y, first=allowed.start, last=allowed.stop - 1)
                )
        if not v:
            raise ValueError(Message("M_SCEN_NO_YEAR"))
        return sorted(set(v))

    @field_validator("eua")
    @classmethod
    def _eua(cls, v: dict) -> dict:
        for name, path in v.items():
            if isinstance(path, (int, float)) and not path > 0:
                raise ValueError(Message("M_SCEN_FLAT_PRICE", name=name))
        return v

    @model_validator(mode="before")
    @classmethod
    def _apply_defaults(cls, data):
        if isinstance(data, dict) and isinstance(data.get("scenarios"), dict):
            common = data.get("defaults") or {}
            data = dict(data)
            data["scenarios"] = [{**common, **(v or {}), "name": k} for k, v in data["scenarios"].items()]
        return data

    @model_validator(mode="after")
    def _check(self) -> ScenarioSet:
        names = [s.label() for s in self.scenarios]
        dup = {n for n in names if names.count(n) > 1}
        if dup:
            raise ValueError(Message("M_SCEN_NAMES_DIFFER", names=sorted(dup)))
        for s in self.scenarios:
            if s.eua not in self.eua:
                raise ValueError(
                    Message("M_SCEN_UNKNOWN_EUA", name=s.label(), eua=s.eua, defined=list(self.eua))
                )
        if self.baseline is not None and self.baseline not in names:
            raise ValueError(Message("M_SCEN_BASELINE_NOT_NAME", baseline=self.baseline, names=names))
        return self

    def under_schedules(self, options: Sequence[str]) -> ScenarioSet:
        """Every scenario once under each CBAM factor schedule of ``options`` (side by side, in
        that order); a named baseline is the baseline under the first of them."""
        for o in options:
            proposals.cbam_factor_schedule(o)  # ValueError naming the schedules for any other name
        scenarios = [s.model_copy(update={"cbam_factor": o}) for s in self.scenarios for o in options]
        baseline = None
        if self.baseline is not None:
            named = next(s for s in self.scenarios if s.label() == self.baseline)
            baseline = named.model_copy(update={"cbam_factor": options[0]}).label()
        return ScenarioSet(**{**self.model_dump(), "scenarios": scenarios, "baseline": baseline})


def default_scenarios() -> ScenarioSet:
    """The scenarios shipped in cbam_calc/data/scenarios/default.yaml."""
    from importlib import resources

    return load_config(resources.files("cbam_calc").joinpath("data/scenarios/default.yaml"))


def parse_years(text: str | int, allowed: range | None = None) -> list[int]:
    """'2026-2034', '2026,2030' or 2030. Each year and each end of a range must lie in ``allowed``
    (default: :func:`proposals.scenario_years`, the years the parameter files and CBAM factor
    schedules cover), checked before a range is expanded: ``2026-900000000`` is refused, not
    built. ValueError naming the part otherwise."""
    allowed = allowed if allowed is not None else proposals.scenario_years()
    span = f"{allowed.start}-{allowed.stop - 1}"

    def year(part: str, whole: str) -> int:
        try:
            y = int(part.strip())
        except ValueError:
            raise ValueError(Message("M_YEARS_NOT_YEAR", text=whole, span=span)) from None
        if y not in allowed:
            raise ValueError(Message("M_YEARS_OUTSIDE", year=y, span=span))
        return y

    if isinstance(text, bool) or not isinstance(text, (int, str)):
        raise ValueError(Message("M_YEARS_EXPECTED", span=span, text=repr(text)))
    if isinstance(text, int):
        return [year(str(text), str(text))]
    out: list[int] = []
    for part in text.split(","):
        part = part.strip()
        a, dash, b = part.partition("-")
        if dash and a.strip():
            first, last = year(a, part), year(b, part)
            if first > last:
                raise ValueError(Message("M_YEARS_BACKWARDS", part=part, first=first, last=last))
            out.extend(range(first, last + 1))
        elif part:
            out.append(year(part, part))
    return out


def sweep(
    years: list[int],
    eua: dict[str, str | float],
    *,
    cea_price_cny=(0.0,),
    ccer_price_cny=(0.0,),
    ccer_share=(0.0,),
    ccer_use=("compliance",),
    allocation_gap=(0.0,),
    recognition=(True,),
    default_carbon_price_eur=(None,),
    emissions=("declared",),
    baseline: str | None = None,
    verification_cost_eur: float = 0.0,
) -> ScenarioSet:
    """The cartesian product of the given values (the command line's comma lists)."""
    scenarios: dict[tuple, dict] = {}
    grid = itertools.product(
        eua,
        cea_price_cny,
        ccer_price_cny,
        ccer_share,
        ccer_use,
        allocation_gap,
        recognition,
        default_carbon_price_eur,
        emissions,
    )
    for e, c, cp, s, u, g, r, d, m in grid:
        if s == 0:  # without CCERs their price and use change nothing: one scenario, not several
            cp, u = 0.0, "compliance"
        spec = {
            "eua": e,
            "cea_price_cny": c,
            "ccer_price_cny": cp,
            "ccer_share": s,
            "ccer_use": u,
            "allocation_gap": g,
            "recognition": r,
            "default_carbon_price_eur": d,
            "emissions": m,
        }
        scenarios.setdefault(tuple(spec.values()), spec)
    return ScenarioSet(
        years=years,
        eua=eua,
        scenarios=list(scenarios.values()),
        baseline=baseline,
        verification_cost_eur=verification_cost_eur,
    )


def _mapping(doc: dict, key: str, p: Path, example: str) -> dict:
    v = doc.get(key)
    if v is None:
        return {}
    if not isinstance(v, dict):
        raise OptionError(
            Message("E_CONFIG_MAPPING", path=str(p), key=key, example=Message(example), kind=_kind(v))
        )
    return v


def _kind(v) -> Message | str:
    kinds = {
        list: "M_KIND_LIST",
        str: "M_KIND_TEXT",
        dict: "M_KIND_MAPPING",
        int: "M_KIND_NUMBER",
        float: "M_KIND_NUMBER",
        bool: "M_KIND_BOOLEAN",
    }
    return Message(kinds[type(v)]) if type(v) in kinds else type(v).__name__


def load_config(path: str | Path) -> ScenarioSet:
    """A YAML file of named scenarios; see README 'Scenarios'. Read bounded
    (:func:`cbam_calc.inputs.yaml_safe.read_yaml`: size, encoding, depth, aliases) and checked
    key by key: any problem is one OptionError naming the file and the key (``scenarios[2].eua``,
    ``scenario 'name': eua``) and what was expected."""
    from pydantic import ValidationError

    from cbam_calc.inputs.yaml_safe import read_yaml

    p = Path(str(path))
    doc = read_yaml(p) or {}
    if not isinstance(doc, dict) or "scenarios" not in doc:
        raise OptionError(Message("E_CONFIG_NO_SCENARIOS", path=str(p), kind=_kind(doc)))
    doc = dict(doc)
    eua = _mapping(doc, "eua", p, "M_CFG_EX_EUA")
    common = _mapping(doc, "defaults", p, "M_CFG_EX_DEFAULTS")
    installations = _mapping(doc, "installations", p, "M_CFG_EX_INSTALLATIONS")
    if eua:
        doc["eua"] = dict(eua)
        for name, v in eua.items():  # paths relative to the config file
            if isinstance(v, str) and v != REFERENCE and not Path(v).is_absolute():
                doc["eua"][name] = str(p.parent / v) if (p.parent / v).exists() else v
    for name, spec in installations.items():
        if spec is not None and not isinstance(spec, dict):
            raise OptionError(
                Message("E_CONFIG_INSTALLATION", path=str(p), name=repr(name), kind=_kind(spec))
            )
    scenarios = doc["scenarios"]
    if isinstance(scenarios, (dict, list)) and not scenarios:
        raise OptionError(Message("E_CONFIG_EMPTY", path=str(p)))
    if isinstance(scenarios, dict):  # check each named scenario first: errors name it
        for name, spec in scenarios.items():
            where = Message("M_CFG_SCENARIO", name=name)
            if spec is not None and not isinstance(spec, dict):
                raise OptionError(
                    Message("E_CONFIG_SCENARIO_MAPPING", path=str(p), where=where, kind=_kind(spec))
                )
            try:
                ScenarioParams(**{**common, **(spec or {}), "name": name})
            except ValidationError as e:
                raise OptionError(
                    Message("E_CONFIG_DETAIL", path=str(p), where=where, detail=describe(e))
                ) from None
            except TypeError:  # a key that is not text (1: 2), here or in defaults
                raise OptionError(Message("E_CONFIG_KEYS", path=str(p), where=where)) from None
    elif isinstance(scenarios, list):
        for i, spec in enumerate(scenarios):
            if not isinstance(spec, dict):
                raise OptionError(
                    Message(
                        "E_CONFIG_SCENARIO_MAPPING",
                        path=str(p),
                        where=Message("M_CFG_SCENARIO_AT", i=i),
                        kind=_kind(spec),
                    )
                )
    else:
        raise OptionError(Message("E_CONFIG_SCENARIOS_KIND", path=str(p), kind=_kind(scenarios)))
    try:
        return ScenarioSet(**{str(k): v for k, v in doc.items()})
    except ValidationError as e:
        raise OptionError(Message("E_FILE_DETAIL", path=str(p), detail=describe(e))) from None


def scenario_set_from_options(
    *,
    years: Sequence[int] | None = None,
    config: str | Path | None = None,
    cea_price_cny: Sequence[float] | None = None,
    ccer_price_cny: Sequence[float] | None = None,
    ccer_share: Sequence[float] | None = None,
    ccer_use: Sequence[str] | None = None,
    allocation_gap: Sequence[float] | None = None,
    recognition: Sequence[bool] | None = None,
    default_carbon_price_eur: Sequence[float | None] | None = None,
    emissions: Sequence[str] | None = None,
    cbam_factor: Sequence[str] | None = None,
    eua_price: Sequence[float] | None = (),
    eua_path: Sequence[str | Path] | None = (),
    baseline: str | None = None,
    verification_cost_eur: float = 0.0,
    compare_instruments: bool = False,
) -> ScenarioSet:
    """The scenario set that ``cbam scenario``'s options describe, one keyword per option.

    Three ways, as on the command line:

    - ``config``: a YAML file of named scenarios (:func:`load_config`); ``years`` narrows its years.
      Sweep values cannot be given with it.
    - sweep values (each a sequence, ``None`` when not given): the cartesian product of them
      (:func:`sweep`), over ``years`` (default: those of the default scenarios). ``allocation_gap``
      defaults to 0.05 here (not 0, as in ``sweep``): a sweep asks what CNETS costs.
      ``eua_price`` (flat certificate prices, EUR/tCO2e, named ``flat 80``) and ``eua_path``
      (price path CSVs, named by their file name) give the certificate price paths; without them,
      the reference prices.
    - neither: the default scenarios (:func:`default_scenarios`) in ``years``.

    Parameters
    ----------
    years : sequence of int, optional
        Years to compute (:func:`parse_years` reads ``"2026-2030"``); each must have reference data.
    cea_price_cny, ccer_price_cny : sequence of float, optional
        CNETS allowance and CCER prices, CNY per tCO2e.
    ccer_share : sequence of float, optional
        CCER share of verified emissions, at most the CNETS cap (0.05).
    ccer_use : sequence of {"compliance", "voluntary"}, optional
    allocation_gap : sequence of float, optional
        Share of verified emissions not covered by free allocation, 0 to 1.
    recognition : sequence of bool, optional
        Whether the EU recognises the price paid (Art 9 draft).
    default_carbon_price_eur : sequence of float, optional
        Art 9 default-track price for China, EUR per tCO2e.
    emissions : sequence of {"declared", "default"}, optional
        declared: actual values where given; default: the EU default values.
    cbam_factor : sequence of str, optional
        CBAM factor schedules, each applied to every scenario (of the sweep, the file or the
        default set), side by side: ``law`` (Directive 2003/87/EC Art 10a(1a)) or a policy proposal,
        ``proposal-2026-616`` (COM(2026) 616, not law; labelled a proposal in every output). With a
        proposal and no ``years``, the years run to the proposal's last (2038).
    baseline : str, optional
        Name of the scenario the others are compared with; default: no domestic price, not
        recognised.
    verification_cost_eur : float
        Yearly cost of verifying actual emissions, EUR, for the defaults-vs-actual table.
    compare_instruments : bool
        Add the instrument comparison of ``data/scenarios/instruments.yaml`` per installation and year.

    Returns
    -------
    ScenarioSet
        Checked: any value cbam-calc cannot use raises OptionError naming it.
    """
    from pydantic import ValidationError

    sweeps = {
        "cea_price_cny": cea_price_cny,
        "ccer_price_cny": ccer_price_cny,
        "ccer_share": ccer_share,
        "ccer_use": ccer_use,
        "allocation_gap": allocation_gap,
        "recognition": recognition,
        "default_carbon_price_eur": default_carbon_price_eur,
        "emissions": emissions,
    }
    given = {k: tuple(v) for k, v in sweeps.items() if v is not None}
    year_list = list(years) if years else None
    eua: dict[str, str | float] = {f"flat {p:g}": p for p in eua_price or ()}
    for p in eua_path or ():
        eua[Path(p).stem] = str(p)
    try:
        if config is not None:
            if given or eua:
                raise OptionError(Message("E_CONFIG_AND_SWEEP"))
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
                verification_cost_eur=verification_cost_eur,
                **given,
            )
        else:
            sset = default_scenarios()
            if year_list:
                sset = sset.model_copy(update={"years": sset._years_in_range(year_list)})
        if baseline:  # the option over the file's or the default set's baseline, checked
            names = [sc.label() for sc in sset.scenarios]
            if baseline not in names:
                raise OptionError(
                    Message(
                        "E_BASELINE", baseline=baseline, names=[Message("M_QUOTED", text=n) for n in names]
                    )
                )
            sset = sset.model_copy(update={"baseline": baseline})
        if verification_cost_eur:
            sset = sset.model_copy(update={"verification_cost_eur": verification_cost_eur})
        if compare_instruments:
            sset = sset.model_copy(update={"compare_instruments": True})
        if cbam_factor:
            sset = sset.under_schedules(list(dict.fromkeys(cbam_factor)))
            if not year_list and config is None and any(o != proposals.LAW for o in cbam_factor):
                sset = sset.model_copy(update={"years": list(proposals.scenario_years())})
    except ValidationError as e:
        raise OptionError(describe(e)) from None
    except ValueError as e:  # raised with a Message (parse_years, a schedule's name): shown as it is
        raise OptionError(e.args[0] if e.args and isinstance(e.args[0], Message) else str(e)) from None
    return sset
