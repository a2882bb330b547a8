"""Article 9: carbon price paid in the country of origin (DRAFT implementing act, 13 May 2026).

Not law yet: cbam-calc treats every rule here as a switchable assumption (:class:`Art9Track`) and
prints the choice in every output.

Actual track (actual emissions, carbon price report certified):
    R_g = P_paid,eff / P_ref x M_g             P_paid,eff: EUR per tonne of good, net of rebates
Default track (default values, or by choice):
    R_g = P_default x SEE_g / P_ref x M_g      P_default: the Commission's default carbon price
                                               for the country, EUR per tCO2e
Then R_g never makes N_g negative, and one good's surplus never offsets another's:
    R_g,applied = min(R_g, max(0, embedded_g - FAA_g))

The effective price paid is net of every rebate or compensation (free allocation, reductions,
refunds): P_paid,eff = max(0, P_gross x (1 - free allocation share) - rebate), converted with the
yearly average ECB rate. An entitlement whose amount cannot be evidenced removes the whole deduction.
"""

from __future__ import annotations

import numpy as np

from cbam_calc.core.messages import Message
from cbam_calc.core.model import Art9Track


def draft_act() -> tuple[str, str]:
    """The draft Art 9 implementing act cbam-calc follows.

    Returns
    -------
    date : str
        Date of publication, dd.mm.yyyy.
    document : str
        Its document number (Ares reference).

    References
    ----------
    ``art9_draft.yaml``; ``citation("art9_draft")``.
    """
    from cbam_calc.law.parameters import parameter

    p = parameter("art9_draft")
    published = p.extra["published"]
    return f"{published:%d.%m.%Y}", str(p.extra["document"])


# a line's track, as a small integer code into TRACKS
TRACKS = ("", "actual", "default")
TRACK_NONE, TRACK_ACTUAL, TRACK_DEFAULT = 0, 1, 2


def choose_track(
    mode: Art9Track,
    actual_data: np.ndarray,
    has_price_paid: np.ndarray,
    has_default_price: np.ndarray,
) -> np.ndarray:
    """The Art 9 track of each line: actual, default or none.

    Parameters
    ----------
    mode : Art9Track
        ``auto`` (actual where possible, else default), ``actual``, ``default`` or ``off``.
    actual_data : bool array
        Lines with actual emissions.
    has_price_paid : bool array
        Lines with a carbon price paid (the actual track needs both).
    has_default_price : bool array
        Lines whose country has a default carbon price.

    Returns
    -------
    numpy.ndarray of int8
        Code into :data:`TRACKS`: ``TRACK_NONE``, ``TRACK_ACTUAL`` or ``TRACK_DEFAULT``.

    References
    ----------
    Regulation (EU) 2023/956 Art 9; draft implementing regulation (``art9_draft.yaml``, not law).
    """
    none = np.zeros(len(actual_data), dtype=np.int8)
    if mode == Art9Track.OFF:
        return none
    actual_ok = actual_data & has_price_paid
    if mode == Art9Track.ACTUAL:
        return np.where(actual_ok, TRACK_ACTUAL, TRACK_NONE).astype(np.int8)
    if mode == Art9Track.DEFAULT:
        return np.where(has_default_price, TRACK_DEFAULT, TRACK_NONE).astype(np.int8)
    return np.where(actual_ok, TRACK_ACTUAL, np.where(has_default_price, TRACK_DEFAULT, TRACK_NONE)).astype(
        np.int8
    )


# what Art 9 does with a line's carbon price paid, as a small integer code into PRICE_STATES
PRICE_STATES = ("deducted", "default_track", "default_values", "not_evidenced", "not_applied")
(
    PRICE_DEDUCTED,
    PRICE_DEFAULT_TRACK,
    PRICE_DEFAULT_VALUES,
    PRICE_NOT_EVIDENCED,
    PRICE_NOT_APPLIED,
) = range(len(PRICE_STATES))


def price_paid_state(
    mode: Art9Track, track: np.ndarray, evidenced: np.ndarray, actual_data: np.ndarray
) -> np.ndarray:
    """Whether the carbon price paid on each line is what Art 9 deducts, and if not why.

    Parameters
    ----------
    mode : Art9Track
        The Art 9 assumption of the run (``off``: Art 9 not applied at all).
    track : numpy.ndarray of int8
        Track of each line, a code into :data:`TRACKS` (:func:`choose_track`).
    evidenced : bool array or bool
        Whether the amount paid (and every rebate) can be evidenced.
    actual_data : bool array
        Lines with actual emissions.

    Returns
    -------
    numpy.ndarray of int8
        Code into :data:`PRICE_STATES`:

        - ``PRICE_DEDUCTED``: actual track and evidenced; R_g = P_paid,eff / P_ref x M_g.
        - ``PRICE_DEFAULT_TRACK``: default track; R_g = P_default x SEE_g / P_ref x M_g, the
          Commission's default carbon price of the country, not the price paid.
        - ``PRICE_DEFAULT_VALUES``: no track, the line on default values: the price paid counts
          only on the actual track (actual emissions), and no default track is open for it.
        - ``PRICE_NOT_EVIDENCED``: actual track, the amount not evidenced (no carbon price report
          certified by an accredited independent person): no deduction.
        - ``PRICE_NOT_APPLIED``: no track otherwise (Art 9 off, or no track open for the line).

    References
    ----------
    RULES.md "Art 9"; draft implementing regulation of 13.05.2026 (``art9_draft.yaml``, not law):
    actual track with actual emissions and a certified carbon price report, default track on
    default values (or by choice) with the country's default carbon price.
    """
    track = np.asarray(track)
    evidenced = np.broadcast_to(np.asarray(evidenced, dtype=bool), track.shape)
    on_default_values = ~np.asarray(actual_data, dtype=bool) & (mode != Art9Track.OFF)
    return np.select(
        [
            track == TRACK_DEFAULT,
            (track == TRACK_ACTUAL) & evidenced,
            track == TRACK_ACTUAL,
            on_default_values,
        ],
        [PRICE_DEFAULT_TRACK, PRICE_DEDUCTED, PRICE_NOT_EVIDENCED, PRICE_DEFAULT_VALUES],
        PRICE_NOT_APPLIED,
    ).astype(np.int8)


def price_state_message(state: int):
    """The message of a price state code (``M_PRICE_STATE_<STATE>``)."""
    from cbam_calc.core.messages import Message

    return Message(f"M_PRICE_STATE_{PRICE_STATES[state].upper()}")


def effective_price_paid_eur_per_t(
    price_paid: np.ndarray,
    per_tco2e: np.ndarray,
    see_tco2e_per_t: np.ndarray,
    free_allocation_share: np.ndarray,
    rebate: np.ndarray,
    units_per_eur: np.ndarray,
) -> np.ndarray:
    r"""Carbon price effectively paid, per tonne of good, net of free allocation and rebates.

    Parameters
    ----------
    price_paid : numeric array
        Carbon price paid [currency per t of good, or per tCO2e where ``per_tco2e``]; NaN as 0.
    per_tco2e : bool array
        ``price_paid`` and ``rebate`` are per tCO2e of the line's embedded emissions.
    see_tco2e_per_t : numeric array
        Specific embedded emissions SEE_g [tCO2e/t].
    free_allocation_share : numeric array
        Share of the emissions covered by free allocation abroad [ratio]; NaN as 0.
    rebate : numeric array
        Rebate or compensation [same unit as ``price_paid``]; NaN as 0.
    units_per_eur : numeric array
        Yearly average exchange rate [currency units per EUR].

    Returns
    -------
    numeric array
        P_paid,eff [EUR per t of good], never below 0.

    Notes
    -----
    .. math:: P_{paid,eff} = \max(0, P_{gross} (1 - s_{free}) - \mathrm{rebate}) / \mathrm{rate}

    References
    ----------
    Draft Art 9 implementing regulation (``art9_draft.yaml``, not law).
    """
    per_t = np.where(per_tco2e, see_tco2e_per_t, 1.0)
    gross = np.nan_to_num(price_paid) * per_t
    rebate_per_t = np.nan_to_num(rebate) * per_t
    net = gross * (1.0 - np.nan_to_num(free_allocation_share)) - rebate_per_t
    return np.maximum(net, 0.0) / units_per_eur


def reduction_actual_tco2e(
    effective_eur_per_t: np.ndarray, reference_price_eur: np.ndarray, net_mass_t: np.ndarray
) -> np.ndarray:
    r"""Art 9 reduction on the actual track, before the cap.

    Parameters
    ----------
    effective_eur_per_t : numeric array
        Carbon price effectively paid P_paid,eff [EUR per t of good].
    reference_price_eur : numeric array or float
        Art 9 reference price P_ref [EUR/tCO2e].
    net_mass_t : numeric array
        Net mass M_g [t].

    Returns
    -------
    numeric array
        R_g [tCO2e].

    Notes
    -----
    .. math:: R_g = P_{paid,eff} / P_{ref} \times M_g

    References
    ----------
    Draft Art 9 implementing regulation (``art9_draft.yaml``, not law).
    """
    return effective_eur_per_t / reference_price_eur * net_mass_t


def reduction_default_tco2e(
    default_price_eur_per_tco2e: np.ndarray,
    see_tco2e_per_t: np.ndarray,
    reference_price_eur: np.ndarray,
    net_mass_t: np.ndarray,
) -> np.ndarray:
    r"""Art 9 reduction on the default track, before the cap.

    Parameters
    ----------
    default_price_eur_per_tco2e : numeric array or float
        The Commission's default carbon price for the country, P_default [EUR/tCO2e].
    see_tco2e_per_t : numeric array
        Specific embedded emissions SEE_g [tCO2e/t].
    reference_price_eur : numeric array or float
        Art 9 reference price P_ref [EUR/tCO2e].
    net_mass_t : numeric array
        Net mass M_g [t].

    Returns
    -------
    numeric array
        R_g [tCO2e].

    Notes
    -----
    .. math:: R_g = P_{default} \times SEE_g / P_{ref} \times M_g

    References
    ----------
    Draft Art 9 implementing regulation (``art9_draft.yaml``, not law).
    """
    return default_price_eur_per_tco2e * see_tco2e_per_t / reference_price_eur * net_mass_t


def reduction_tco2e(
    track: np.ndarray,
    effective_eur_per_t: np.ndarray,
    default_price_eur_per_tco2e: np.ndarray,
    see_tco2e_per_t: np.ndarray,
    reference_price_eur: np.ndarray,
    net_mass_t: np.ndarray,
    evidenced: np.ndarray,
    embedded_tco2e: np.ndarray,
    faa_tco2e: np.ndarray,
) -> np.ndarray:
    r"""The Art 9 reduction each line uses: its track's R_g, kept only where evidenced, capped.

    Parameters
    ----------
    track : numpy.ndarray of int8
        Track of each line, a code into ``TRACKS`` (:func:`choose_track`).
    effective_eur_per_t : numeric array
        Carbon price effectively paid, P_paid,eff [EUR per tonne of good] (actual track).
    default_price_eur_per_tco2e : numeric array or float
        Default carbon price of the country, P_default [EUR/tCO2e] (default track).
    see_tco2e_per_t : numeric array
        Specific embedded emissions that count, SEE_g [tCO2e/t].
    reference_price_eur : numeric array or float
        Art 9 reference price of the year, P_ref [EUR/tCO2e].
    net_mass_t : numeric array
        Net mass M_g [t].
    evidenced : bool array or bool
        Whether the amount paid (and every rebate) can be evidenced; False removes the whole
        deduction.
    embedded_tco2e, faa_tco2e : numeric array
        Embedded emissions and free allocation adjustment of the line [tCO2e], for the cap.

    Returns
    -------
    numeric array
        R_g,applied [tCO2e]: 0 on lines without a track or not evidenced.

    Notes
    -----
    .. math::

        R_g = P_{paid,eff} / P_{ref} \times M_g                  \quad \text{actual track}

        R_g = P_{default} \times SEE_g / P_{ref} \times M_g      \quad \text{default track}

        R_{g,applied} = \min(R_g, \max(0, \mathrm{embedded}_g - \mathrm{FAA}_g))

    References
    ----------
    Regulation (EU) 2023/956 Art 9; draft implementing regulation of 13.05.2026
    (``art9_draft.yaml``, not law).
    """
    reduction = np.where(
        track == TRACK_ACTUAL,
        reduction_actual_tco2e(effective_eur_per_t, reference_price_eur, net_mass_t),
        np.where(
            track == TRACK_DEFAULT,
            reduction_default_tco2e(
                default_price_eur_per_tco2e, see_tco2e_per_t, reference_price_eur, net_mass_t
            ),
            0.0,
        ),
    )
    reduction = np.where(evidenced, np.nan_to_num(reduction), 0.0)  # not evidenced: no deduction
    return cap_reduction(reduction, embedded_tco2e, faa_tco2e)


def cap_reduction(
    reduction_tco2e: np.ndarray, embedded_tco2e: np.ndarray, faa_tco2e: np.ndarray
) -> np.ndarray:
    r"""The reduction a line can use: never more than what remains after the FAA, never below 0.

    Parameters
    ----------
    reduction_tco2e : numeric array
        R_g before the cap [tCO2e].
    embedded_tco2e : numeric array
        Embedded emissions embedded_g [tCO2e].
    faa_tco2e : numeric array
        Free allocation adjustment FAA_g [tCO2e].

    Returns
    -------
    numeric array
        R_g,applied [tCO2e]: one good's surplus never offsets another's.

    Notes
    -----
    .. math:: R_{g,applied} = \min(\max(R_g, 0), \max(0, \mathrm{embedded}_g - \mathrm{FAA}_g))

    References
    ----------
    Draft Art 9 implementing regulation (``art9_draft.yaml``, not law).
    """
    room = np.maximum(embedded_tco2e - faa_tco2e, 0.0)
    return np.minimum(np.maximum(reduction_tco2e, 0.0), room)


def status_message() -> Message:
    """What the outputs say of Art 9's legal status: a DRAFT act, not adopted (its date, document)."""
    date, document = draft_act()
    return Message("M_ART9_STATUS", date=date, document=document)


def draft_rule_message(track: str) -> Message:
    """The DRAFT rule a run applies: the Art 9 draft of its date, on ``track`` (--art9)."""
    return Message(
        "M_ART9_DRAFT_RULE_OFF" if track == Art9Track.OFF.value else "M_ART9_DRAFT_RULE",
        date=draft_act()[0],
        track=track,
    )
