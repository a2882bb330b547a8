"""Message codes in English and Chinese (``--lang en|zh``); report labels are in
:mod:`cbam_calc.core.labels`.
Long because: the English of every message code is one table, written once, here.

Messages are what results carry, warnings and reasons of rejected rows: a
:class:`Message` is a code with parameters whose str is its English text (MESSAGES); it is shown in
another language from the gettext catalogue ``cbam_calc/locale/<locale>/LC_MESSAGES/cbam_calc.po``,
read with Babel only when a message is shown in that language. Column names of the user's input
are never translated: they are kept as given.
"""

from __future__ import annotations

import functools
import json
import string
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cbam_calc.core.labels import (
    emissions_source,
    file_kind,
    json_type,
    price_status,
    record_figure,
    route_name,
    sector_shown,
    weekday_shown,
)

if TYPE_CHECKING:
    import numpy as np

# ---------------------------------------------------------------------------- message codes
# What results carry (warnings of a run, reasons of rejected rows): a code, its parameters, and its
# English text. The English is written here, once; other languages come from the gettext catalogue
# cbam_calc/locale/<locale>/LC_MESSAGES/cbam_calc.po (msgctxt = the code, msgid = the English
# below, msgstr = the translation), kept current by scripts/update_catalogue.py. A placeholder may
# name a vocabulary after a colon ({status:price_status}): its value is shown in the report's
# language. A list parameter is shown joined by ", "; a Message parameter in the report's language.
MESSAGES: dict[str, str] = {
    # warnings of a run (CalcSummary.warnings, batch warnings)
    "W_CSCF_PROJECTION": (
        "CSCF: the law sets no value for a year of this run, the highest possible value is used as a "
        "projection (free allocation is an upper bound, certificates a lower bound)"
    ),
    "W_UNPUBLISHED_PRICES": "certificate prices that are not published figures: {periods}",
    "M_PRICE_PERIOD": "{period} ({status:price_status})",  # an item of {periods}
    "W_NO_IMPORTER": (
        "no importer column: all lines are treated as one importer for the de minimis threshold"
    ),
    "W_BLANK_IMPORTER": (
        "{n} line(s) have no importer (row {rows}); they are treated as one unnamed importer for the "
        "de minimis threshold"
    ),
    "W_ACTUAL_WITHOUT_PRECURSORS": (
        "{n} line(s) with actual data give no precursor, and their good's IR 2025/2620 Column A "
        "benchmark is below its Column B one: {goods}. Column A benchmarks the good's own "
        "production step; the precursors' free allocation is added by IR 2025/2620 Eq 3-4, so "
        "these lines' free allocation leaves it out and their cost is higher than the law gives "
        "once it is declared: give precursor_mass_t_per_t and precursor_benchmark_tco2e_per_t (or "
        "precursor_sefa_tco2e_per_t) from the installation's data"
    ),
    "W_INSTRUMENT_OUT_OF_SCOPE": (
        "{n} line(s) give a carbon price under {mechanisms}: out of the scope of Art 9 (the EU ETS is "
        "no carbon price of a third country; CBAM does not apply to goods of the countries of Annex "
        "III), so it deducts nothing (Art 9 rests on a draft act)"
    ),
    "W_INSTRUMENT_NOT_RECOGNISED": (
        "{n} line(s) give a carbon price the draft Art 9 does not recognise in full: {reasons}; "
        "carbon_price_treatment and carbon_price_unrecognised_eur_per_t in the Lines table say how "
        "much and why (Art 9 rests on a draft act)"
    ),
    "M_INSTRUMENT_REASON_COUNT": "{reason} ({n})",  # an item of {reasons}
    "M_INSTRUMENT_RECOGNISED": "recognised",
    "M_INSTRUMENT_VOLUNTARY": "retired voluntarily or a voluntary standard's credit: reduces nothing",
    "M_INSTRUMENT_NOT_ACCEPTED": "a unit the mechanism does not take for compliance: reduces nothing",
    "M_INSTRUMENT_ABOVE_OFFSET_LIMIT": (
        "credits above the mechanism's own offset limit: the excess counts at zero"
    ),
    "M_INSTRUMENT_ABOVE_PARIS_CAP": (
        "Paris Art 6.2 / 6.4 units above {cap} of the mechanism's covered emissions: the excess "
        "counts at zero"
    ),
    "M_INSTRUMENT_EU_ETS": "EU ETS: no carbon price of a third country (out of scope)",
    "M_INSTRUMENT_ANNEX_III": "a mechanism of an Annex III country: CBAM does not apply (out of scope)",
    "M_INSTRUMENT_OTHER_COUNTRY": (
        "a mechanism of another country than the country of origin: reduces nothing"
    ),
    "M_INSTRUMENT_NO_MECHANISM": (
        "a credit used for compliance without its mechanism (carbon_price_mechanism): reduces nothing"
    ),
    "M_INSTRUMENT_NO_INSTRUMENT": "no carbon pricing instrument (None): reduces nothing",
    # what Art 9 does with a line's price paid (law.art9.PRICE_STATES; the summary by instrument)
    "M_PRICE_STATE_DEDUCTED": "deducted (actual track, price evidenced)",
    "M_PRICE_STATE_DEFAULT_TRACK": (
        "not deducted: default track (the country's default carbon price is deducted instead)"
    ),
    "M_PRICE_STATE_DEFAULT_VALUES": (
        "not deducted: default values (the price paid counts only with actual emissions)"
    ),
    "M_PRICE_STATE_NOT_EVIDENCED": (
        "not deducted: price paid not evidenced (no certified carbon price report)"
    ),
    "M_PRICE_STATE_NOT_APPLIED": "not deducted: Art 9 not applied",
    # the instrument comparison of cbam scenario --compare-instruments (compute/instrument_compare)
    "M_INSTR_TITLE": (
        "Instrument comparison: how the CNETS obligation (allocation gap {gap}) is met, per "
        "installation and year; the EU recognises what law/instruments.treat says under the Art 9 draft"
    ),
    "M_INSTR_RULE_STATUS": (
        "Art 9 figures rest on the DRAFT implementing regulation of {date} ({document}): not law"
    ),
    "M_INSTR_PRICES": (
        "prices: CEA {cea} CNY/tCO2e and CCER {ccer} CNY/tCO2e observed (reference_prices/); VCS "
        "USD {vcs} and ITMO USD {itmo} per tCO2e are ASSUMPTIONS, not observed market prices "
        "(data/parameters/credit_price_assumptions.yaml)"
    ),
    "M_INSTR_ASSUMED_OPTION": (
        "{option}: an ASSUMPTION, not law: {mechanism} does not take {unit} for compliance "
        "(data/carbon_pricing.yaml); computed as if it did, with no offset limit of its own beside "
        "the draft's {cap} Paris cap"
    ),
    "M_INSTR_TOTALS": "totals over the installations, {years}",
    "M_INSTR_NOTE_REFERENCE": "the reference option: the others are compared with it",
    "M_INSTR_NOTE_NO_CREDIT": ("no credit used: no allocation gap to cover, or not covered by CNETS"),
    "M_INSTR_NOTE_VOLUNTARY": (
        "{unit} retired voluntarily: it costs money and reduces nothing in the EU (Art 9 draft); "
        "it pays only if free"
    ),
    "M_INSTR_NOTE_PAYS_BELOW": "pays below the break-even credit price: cheaper in total than all CEA",
    "M_INSTR_NOTE_SAME_TOTAL_BELOW": (
        "the same total as all CEA up to the break-even credit price, dearer above: the EU deducts "
        "what is paid, so a cheaper credit only moves money from the domestic bill to the EU levy"
    ),
    "M_INSTR_NOTE_NEVER": "never cheaper in total than all CEA, at any credit price",
    "M_INSTR_COL_OPTION": "Option",
    "M_INSTR_COL_INSTALLATION": "Installation",
    "M_INSTR_COL_YEAR": "Year",
    "M_INSTR_COL_LINES": "Lines",
    "M_INSTR_COL_CREDIT": "Credit",
    "M_INSTR_COL_CREDIT_USE": "Use of the credit",
    "M_INSTR_COL_CEA_TCO2E": "CEA surrendered, tCO2e",
    "M_INSTR_COL_CREDIT_TCO2E": "Credits, tCO2e",
    "M_INSTR_COL_CEA_PRICE_CNY": "CEA price, CNY/tCO2e",
    "M_INSTR_COL_CREDIT_PRICE_CNY": "Credit price, CNY/tCO2e",
    "M_INSTR_COL_CREDIT_PRICE_USD": "Credit price, USD/tCO2e",
    "M_INSTR_COL_CREDIT_PRICE_STATUS": "Credit price status",
    "M_INSTR_COL_DOMESTIC_COST_CNY": "Domestic cost, CNY",
    "M_INSTR_COL_DOMESTIC_COST_EUR": "Domestic cost, EUR",
    "M_INSTR_COL_RECOGNISED_EUR": "Price paid that counts (Art 9 draft), EUR",
    "M_INSTR_COL_NOT_RECOGNISED_EUR": "Price paid that does not count, EUR",
    "M_INSTR_COL_TREATMENT": "Treatment of the credit (Art 9 draft)",
    "M_INSTR_COL_ART9_REDUCTION_TCO2E": "Art 9 reduction, certificates (actual-data lines only)",
    "M_INSTR_COL_EU_LEVY_EUR": "EU CBAM levy, EUR",
    "M_INSTR_COL_TOTAL_EUR": "Total carbon cost, EUR",
    "M_INSTR_COL_SAVING_VS_REFERENCE_EUR": "Saving against all CEA, EUR",
    "M_INSTR_COL_BREAK_EVEN_CREDIT_PRICE_CNY": "Break-even credit price, CNY/tCO2e",
    "M_INSTR_COL_BREAK_EVEN_CREDIT_PRICE_USD": "Break-even credit price, USD/tCO2e",
    "M_INSTR_COL_PAYS_AT_GIVEN_PRICE": "Cheaper at the price given",
    "M_INSTR_COL_NOTE": "Note",
    "W_REJECTED_ROWS": "rejected rows are not counted towards the de minimis threshold",
    "W_SHEET_CONTINUED": (
        "{sheet}: {rows} rows are more than one Excel sheet holds ({limit} rows): they continue on "
        "the sheet(s) {sheets}, each with the header repeated"
    ),
    "W_BLANK_ROWS": "{n} empty row(s) skipped",
    "W_TOTALS_ROWS": "{n} totals row(s) at the bottom of the table excluded (row {rows})",
    "W_MERGED_FILLED": "merged cells filled down: {column} rows {ranges}",
    "W_HIDDEN_ROWS": (
        "{n} row(s) hidden or filtered out in the workbook are counted (row {rows}): "
        "--skip-hidden leaves them out"
    ),
    "W_HIDDEN_ROWS_SKIPPED": (
        "{n} row(s) hidden or filtered out in the workbook are left out (row {rows}; --skip-hidden)"
    ),
    "W_DESTINATION_IGNORED": (
        "--ignore-destination: {n} row(s) with a destination outside the EU customs territory or not "
        "recognised are computed as if imported into the EU"
    ),
    "W_MONTH_ONLY": (
        "{n} line(s) give the month of import only (column '{column}'): the quarter's certificate "
        "price applies (2026: one price per quarter)"
    ),
    "W_IMPORT_DATE_ESTIMATED": (
        "{n} line(s): the import date is an ESTIMATE, the export date in '{column}' plus {days} "
        "day(s) of transit (--from-export-date); the CBAM price is that of the real date of "
        "release in the EU"
    ),
    "W_EXPORT_DATE_UNUSED": (
        "the export date in '{column}' is not used: the import dates come from '{import_column}'"
    ),
    "W_MASS_IN_KG": "net mass read in kilograms from '{column}' and converted to tonnes",
    "W_YEAR_MOVED": (
        "{n} line(s) dated outside {year} are computed as if imported on the same day of {year} (--year)"
    ),
    "W_PRICE_TERMS_WITHOUT_PRICE": "carbon price currency/basis given without a carbon_price_paid column",
    "W_OTHER_SHEETS": (
        "other sheets also look like shipment tables ({sheets}): only '{sheet}' was read; choose with --sheet"
    ),
    "W_SHEET_CHOSEN": (
        "the first sheet '{first}' holds no shipments table: '{sheet}', the one sheet that does, was read"
    ),
    "W_SHEET_MISSING_CHOSEN": (
        "no sheet '{asked}' (--sheet): '{sheet}', the one sheet that holds a shipments table, was read"
    ),
    "W_TEN_DIGIT_CODES": "10-digit codes read as their first 8 digits: {codes}",
    "M_TEN_DIGIT_CODE": "{code} -> {cn} ({n} line(s))",  # an item of {codes}
    "W_HIDDEN_SHEETS": (
        "hidden sheet(s) {sheets} skipped: '{sheet}' was read; to read a hidden sheet, name it with --sheet"
    ),
    "W_DUPLICATE_MEMBER": (
        "{file} has the same content as {first} (same SHA-256): counted once, under {first}"
    ),
    "M_SAME_CONTENT": "same content as {first}",  # the message of a repeated file in Files
    # warnings of cbam scenario
    "W_SCENARIO_ROWS_REJECTED": "{n} input row(s) rejected and left out (run cbam calc for the reasons)",
    "W_SCENARIO_LINES_LEFT_OUT": (
        "{n} line(s) cannot be computed with {emissions} emissions in {year} and are left out"
    ),
    "W_SCENARIO_OUTSIDE_CHINA": (
        "{n} line(s) from outside China carry no domestic carbon price in these scenarios"
    ),
    "W_PROPOSAL_NOT_LAW": (
        "CBAM factor of {label} in the scenarios marked [{name}]: a policy proposal, not law; "
        "before {starts} the law's values apply"
    ),
    "W_YEARS_AFTER_REFERENCE_DATA": (
        "{span}: years for scenarios only, after the reference data; their certificate prices and "
        "exchange rates are the {last} figures carried forward, labelled projection, not real "
        "figures; their benchmarks and CSCF are projections too"
    ),
    # notes of the break-even table of cbam scenario (compute.scenarios.break_even_table)
    "M_BE_DEFAULT_ONLY": "default values: the actual track of the Art 9 draft needs actual emissions",
    "M_BE_NO_PURCHASE": "no allowance is bought (no allocation gap, or CCERs cover it)",
    "M_BE_DEFAULT_LINES": "{n} line(s) on default values keep their levy",
    # the assumptions of a scenario run (compute.scenarios.run_scenarios: assumptions)
    "M_SCEN_DOMESTIC_PRICE_APPLIES_TO": (
        "lines from China in sectors covered by CNETS (iron and steel, cement, aluminium, power)"
    ),
    "M_SCEN_DOMESTIC_EMISSION_INTENSITY": (
        "actual direct emissions where given, else the EU default direct value without mark-up; "
        "installation overrides from the config"
    ),
    "W_CHART_NO_CJK_FONT": (
        "no Chinese font for the PNG charts (looked for {fonts} and others): they are drawn in "
        "English; install one (fonts-wqy-microhei or fonts-noto-cjk) for Chinese charts"
    ),
    # reasons of rejected rows: cells (inputs/parse.py)
    "R_NOT_A_NUMBER": "not a number",
    "R_NOT_FINITE": "not a finite number",
    "R_TOO_LARGE": "too large to be a real figure (over {largest})",
    "R_WRONG_UNIT": "the value is in {unit}, the column expects {expected}",
    "R_AMBIGUOUS_NUMBER": (
        "'{value}' is {a} or {b}, and nothing in its column tells whether the comma or the point "
        "marks decimals: write {a} or {b}, without a thousands separator"
    ),
    "R_SHARE_RANGE": "a share must be between 0 and 1 (or 0% to 100%)",
    "R_NOT_CN_CODE": "not a CN code: expected 8 digits like 7208 51 20 (or a 10-digit TARIC code)",
    "R_CN_DIGITS": "a CN code has 8 digits (a TARIC code 10), this one has {digits}",
    "R_AMBIGUOUS_CURRENCY": "'{symbol}' is used for {currencies}: write the ISO code (CNY, JPY, USD)",
    "R_NOT_CURRENCY": "not a currency: expected an ISO code like CNY, EUR, USD",
    "R_NOT_BASIS": "expected per_t_good (per tonne of good) or per_tco2e (per tCO2e)",
    "R_UNKNOWN_INSTRUMENT": "not a carbon pricing instrument cbam-calc knows; the known ones: {known}",
    "R_UNKNOWN_MECHANISM": "not a carbon pricing mechanism cbam-calc knows; the known ones: {known}",
    "R_UNKNOWN_USE": "expected compliance (合规) or voluntary (自愿); the known ones: {known}",
    "R_NOT_ROUTE": "a production route is one letter: A/B clinker, C-J steel, K/L aluminium",
    "R_NOT_YES_NO": "expected yes or no",
    "R_INVALID_DATE": "not a valid calendar date",
    "R_NUMBER_NOT_DATE": "a number that is not a date",
    "R_AMBIGUOUS_DATE": "ambiguous date: write {first} or {second} (year-month-day)",
    "R_NOT_A_DATE": "not a date: expected year-month-day like 2026-03-14",
    "R_NOT_QUARTER": "not a quarter: expected like 2026Q2",
    # reasons of rejected rows: rows and columns (inputs/readers.py, inputs/validate.py)
    "R_LINE_TOO_MANY_VALUES": (
        "this line has {values} values but the header has {columns} columns: an unquoted comma "
        "(decimal comma?) or a missing column name; quote the value or fix the header"
    ),
    "R_QUOTE_NOT_CLOSED": (
        "a quote opened on this line is not closed (within {lines} lines): this line is left out "
        "and reading resumes on the next; close the quote or remove it"
    ),
    "R_TOTALS_ROW": "totals row, not a shipment: excluded",
    "R_HIDDEN_ROW": "hidden row, left out (--skip-hidden)",
    "R_MERGED_MASS": "merged mass cell over rows {rows}: give each row its own mass (column {column})",
    "R_MERGED_NUMBER": ("merged number cell over rows {rows}: give each row its own value (column {column})"),
    "R_FORMULA_NO_VALUE": (
        "formula without a saved value: open the file in Excel and save it, so that the formula is computed"
    ),
    "R_MISSING_CN_CODE": "missing CN code",
    "R_CN_HEADING": "{heading} is a heading, not an 8-digit CN code: CBAM codes under it: {codes}",
    "R_CN_HEADING_MORE": (
        "{heading} is a heading, not an 8-digit CN code: CBAM codes under it: {codes} and {more} more"
    ),
    "R_CN_NO_LOST_ZERO": (
        "a CN code has 8 digits, this one has {digits}; no CBAM code starts with 0, so this is not a "
        "lost leading zero: check the code"
    ),
    "R_NOT_CBAM_GOOD": "CN {cn} is not a CBAM good (not in Annex I of Regulation (EU) 2023/956)",
    "R_NOT_CN2026_CODE": (
        "CN {cn} is not a CN 2026 code (it falls under {entry}, which Annex I covers); the CBAM codes "
        "under {heading} are {codes}"
    ),
    "R_NOT_CN2026_CODE_MORE": (
        "CN {cn} is not a CN 2026 code (it falls under {entry}, which Annex I covers); the CBAM codes "
        "under {heading} are {codes} and {more} more"
    ),
    "R_CN_SPLIT": "CN {cn} was split in CN 2026 into {codes}: give the new code",
    "R_MISSING_COUNTRY": "missing country",
    "R_UNKNOWN_COUNTRY": "unknown country: give the ISO code (CN) or the English name",
    "R_UNKNOWN_DESTINATION": "unknown destination: give the ISO code or the English name",
    "R_NOT_EU_DESTINATION": (
        "destination {destination} is outside the EU customs territory: CBAM applies only to imports "
        "into it (Art 2 of Regulation (EU) 2023/956); --ignore-destination computes it"
    ),
    "R_EU_MEMBER": "{country} is an EU member state: goods of Union origin are not CBAM imports",
    "R_ANNEX_III": (
        "{country} is listed in Annex III of Regulation (EU) 2023/956: CBAM does not apply to its goods"
    ),
    "R_MISSING_NET_MASS": "missing net mass",
    "R_MASS_NOT_POSITIVE": "net mass must be greater than 0",
    "R_MISSING_IMPORT_DATE": "missing import date",
    "R_MISSING_EXPORT_DATE": "missing export date (needed to estimate the import date, --from-export-date)",
    "R_MONTH_ONLY_WEEKLY": (
        "a month alone does not fix the price of a {year} import: from 2027 the certificate price "
        "is weekly (Reg 2023/956 Art 21(1a)), give the date of import"
    ),
    "R_QUARTER_ONLY_WEEKLY": (
        "a quarter alone does not fix the price of a {year} import: from 2027 the certificate price "
        "is weekly (Reg 2023/956 Art 21(1a)), give the date of import"
    ),
    "R_MISSING_DATE_OR_QUARTER": "missing import date or quarter",
    "R_QUARTER_CLASH": "the import date is in {date_quarter}, not {quarter}",
    "R_BEFORE_PERIOD": (
        "before the CBAM definitive period (certificates are due for imports from {first_day})"
    ),
    "R_AFTER_LAST_YEAR": "after {last_year}, the last year cbam-calc has reference data for",
    "R_NEGATIVE_EMISSIONS": "emissions cannot be negative",
    "R_INDIRECT_WITHOUT_DIRECT": (
        "see_indirect is given without see_direct: give both actual values, or neither for the default value"
    ),
    "R_NEGATIVE_PRICE_PAID": "a carbon price paid cannot be negative",
    "R_PRICE_NEEDS_CURRENCY": "a carbon price paid needs its currency (carbon_price_currency)",
    "R_PRICE_NEEDS_BASIS": "a carbon price paid needs its basis: per_t_good or per_tco2e",
    "R_NEGATIVE_REBATE": "a rebate cannot be negative",
    "R_NEGATIVE": "cannot be negative",
    "R_PRECURSOR_ACTUAL_ONLY": (
        "precursor free allocation applies to actual data only (IR 2025/2620 Eq 4): give see_direct "
        "or leave the precursor columns blank"
    ),
    "R_PRECURSOR_BOTH": "give precursor_benchmark or precursor_sefa, not both",
    "R_PRECURSOR_NEEDS_BENCHMARK": "a precursor mass needs precursor_benchmark (or precursor_sefa)",
    "R_MISSING_PRECURSOR_MASS": "missing the precursor mass per tonne of good",
    # reasons of rejected rows: the computation (compute/lines.py)
    "R_ELECTRICITY_NEEDS_ACTUAL": (
        "electricity needs its actual emission factor in see_direct (tCO2/MWh): the default grid "
        "factors of IR 2025/2621 Annex III are IEA data under CC BY-NC-SA and are not bundled"
    ),
    "R_INDIRECT_NEEDED": (
        "indirect emissions count for this good (not in Annex II): give see_indirect with see_direct "
        "(0 if there are none)"
    ),
    "R_NO_PRICE": "no certificate price for this period: give one with --price",
    "R_NO_FX_RATE": "no yearly EUR exchange rate for this currency and year: give one with --fx",
    # installations' communication templates (inputs/comm_template.py): errors refusing a template,
    # its warnings, how a product's route was found, and why a file of a folder was skipped
    "E_TEMPLATE_NOT_TEMPLATE": "not an EU communication template for installations (no sheet {sheet})",
    "E_TEMPLATE_NOT_XLSX": "not an .xlsx workbook: a communication template is read from an .xlsx",
    "E_TEMPLATE_UNCACHED": (
        "{n} cell(s) hold formulas saved without their values (first: cell {cell}); the values are "
        "never read as zeros: open and save it in Excel or LibreOffice, then read it again"
    ),
    "E_TEMPLATE_NO_HEADER": "no column '{header}' in header row {row}",
    "E_TEMPLATE_NO_NAME": "the installation has no name (Name of the installation)",
    "E_TEMPLATE_NO_SEE": "the product row gives CN {cn} but no SEE ({field})",
    "E_TEMPLATE_SEE_UNIT": "the SEE is in '{unit}', expected {expected}",
    "E_TEMPLATE_NOT_CN": "'{value}' is not a CN code (8 digits, or a 4- or 6-digit heading)",
    "E_TEMPLATE_HEADING_NOT_CBAM": "CN heading {cn} holds no CBAM good",
    "E_TEMPLATE_NOT_NUMBER": "'{value}' is not a number ({field})",
    "E_TEMPLATE_NEGATIVE": "{field} cannot be negative",
    "W_TEMPLATE_PERIOD": (
        "{file}: reporting period {start} to {end} is not {year}, the year of import (imports of a "
        "year use the installation's latest completed period)"
    ),
    "W_TEMPLATE_NO_PERIOD": "{file}: no reporting period (cells {cells})",
    "W_TEMPLATE_VERSION": (
        "{file}: template version '{version}' is not one cbam-calc was checked with ({known}): its "
        "columns were found by their headers"
    ),
    "W_TEMPLATE_ROWS_NO_CN": "{file}: {n} product row(s) with a process but no CN code skipped (row {rows})",
    "M_ROUTE_NOT_NEEDED": "the benchmark does not depend on the route",
    "M_ROUTE_FROM_TEMPLATE": "route {route} from the template ({routes_text})",
    "M_ROUTE_UNCERTAIN": (
        "the template does not decide the route among {routes}: the shipment file must give it"
    ),
    "M_SKIPPED_NOT_XLSX": "not an .xlsx file",
    "E_TEMPLATE_TWO_FILES": (
        "two communication templates give the same installation and CN {cn}: {first} and {second}, "
        "and no reporting period decides between them: keep one"
    ),
    # the join of shipment lines to the templates (inputs/template_match.py apply_templates)
    "E_TEMPLATES_REFUSED": (
        "{n} communication template(s) refused, so the run stops rather than cost their lines with "
        "default values; first: {error}"
    ),
    "E_EVIDENCED_NO_TEMPLATE": (
        "--evidenced '{value}' names no template given with --emissions (a template file, its "
        "folder, its installation's name, or all)"
    ),
    "R_TEMPLATE_ROUTE": (
        "template {file} (Summary_Products, row {row}, process '{process}') does not decide the "
        "production route of CN {cn}: give the route in the shipment file, one of {routes}"
    ),
    "R_TEMPLATE_CURRENCY": "{where}: '{value}' is not a currency, so its carbon price due cannot be used",
    "M_SEE_SOURCE": "SEE from {source}: {n} line(s)",
    "M_SEE_SOURCE_SHIPMENT": "SEE from the shipment file itself: {n} line(s)",
    "M_SEE_SOURCE_DEFAULT": "SEE from the EU default values (no template covers the line): {n} line(s)",
    "M_ONCE_EVIDENCED": (
        "{n} line(s) take a template's carbon price due, not evidenced as paid: once evidenced "
        "(--evidenced) it would deduct {tco2e} tCO2e, EUR {eur}"
    ),
    "W_TEMPLATE_SKIPPED": "{file}: not read as a communication template ({reason})",
    "W_TEMPLATE_UNUSED": (
        "{file}: no line of the shipment file takes a value from it (installation '{installation}')"
    ),
    "W_TEMPLATE_UNUSED_BATCH": (
        "{file}: no line of any member's file takes a value from it (installation '{installation}')"
    ),
    "E_EVIDENCED_WITHOUT_TEMPLATES": (
        "--evidenced names templates given with --emissions, and no template was given"
    ),
    "E_SCENARIO_NOTHING_AFTER_TEMPLATES": (
        "nothing could be computed: all {n} rows are rejected once the communication templates are "
        "joined (cbam calc --emissions gives the reasons)"
    ),
    "W_TEMPLATE_PERIOD_USED": (
        "{file}: reporting period {start} to {end} used for {n} line(s) imported in {years} "
        "(imports of a year use the installation's latest completed period)"
    ),
    # the carbon-prices table (inputs/carbon_prices.py): one row per instrument of an installation
    "E_CP_ROW": (
        "this carbon-prices row cannot be used ({value}): {reason}. A carbon price that cannot be "
        "read would leave its lines without their Art 9 deduction: correct the table"
    ),
    "E_CP_ROWS": (
        "this carbon-prices row cannot be used ({value}): {reason}; {more} other row(s) of the table "
        "cannot be used either. A carbon price that cannot be read would leave its lines without "
        "their Art 9 deduction: correct the table"
    ),
    "E_CP_TWO_COLUMNS": "columns '{first}' and '{second}' both mean {field}: keep one",
    # --currency (law/display_fx.py)
    "E_CURRENCY": "'{given}' is not supported; supported currencies: {supported}",
    "M_DISPLAY_RATE_NOTE": (
        "{currency} figures are shown at a DISPLAY rate: the ECB euro reference rate averaged over "
        "each line's price period (the quarter in 2026, the month of an application week's Tuesday "
        "from 2027); data to {data_to}, later periods take the last complete period's mean, "
        "labelled projection. It is not the rate of Art 9, which converts a carbon price paid at "
        "the yearly average; every CBAM figure is computed in EUR"
    ),
    # cbam report --for-importer (outputs/importer_report.py)
    "E_IMPORTER_NOT_XLSX": "{path}: --for-importer writes a workbook: name it .xlsx",
    "E_IMPORTER_NO_LINES": "the importer's workbook needs the run's lines (one file, the pandas engine)",
    "M_IMPORTER_SPLIT": (
        "{installation}, CN {cn}: actual and default lines on separate rows (each row's SEE weighted "
        "by its own mass, never mixed)"
    ),
    "M_IMPORTER_SPLIT_MORE": "{n} more installation and CN code pairs have actual and default rows apart",
    "M_IMPORTER_SEE": (
        "SEE per row = embedded emissions / net mass, summed over its lines (direct and indirect apart); "
        "SEE (total) = direct + indirect as in the template; the certificates count only the direct "
        "emissions of Annex II goods"
    ),
    "M_IMPORTER_PRICE": (
        "Effective CP due: the carbon price paid, net of free allocation and rebates, in EUR per tonne "
        "of good, where the draft Art 9 actual track applies: the row's EUR paid over its tonnes (a line "
        "off that track counts as 0; blank where no line is on it)"
    ),
    "M_IMPORTER_EVIDENCE": (
        "Carbon price evidence: evidenced where every line paying a price can evidence it, not "
        "evidenced where none can, partly evidenced otherwise, none where no line states a price paid"
    ),
    "M_IMPORTER_CERTIFICATES": (
        "CBAM certificates after free allocation, the Art 9 reduction and de minimis, as the run computed "
        "them; their total is the run's"
    ),
    "E_CP_MISSING_COLUMN": (
        "the carbon-prices table has no column {field} ({help}; Chinese header: {zh}); columns found: {found}"
    ),
    "E_CP_NO_HEADER": (
        "no carbon-prices header row found in the first {rows} rows: expected columns such as "
        "installation, unit, use, covered_share, price, basis, currency (or 生产设施, 碳定价工具, "
        "用途, 覆盖比例, 碳价, 计价基础, 币种)"
    ),
    "E_CP_SHEET_AND_FILE": (
        "the workbook has a carbon-prices sheet '{sheet}' and --carbon-prices gives {given}: keep "
        "one (rows of both for one installation would both apply)"
    ),
    "E_CP_TWO_SHEETS": "two sheets hold carbon prices ({sheets}): keep one",
    "R_CP_CN_DIGITS": "a CN code of {digits} digits: give 8 digits, or a heading of 4 or 6",
    "R_CP_UNKNOWN_KIND": "unknown type of instrument; the known ones: {known}",
    "R_CP_UNKNOWN": "not known in column '{column}'; the known ones: {known}",
    "R_CP_UNIT_MECHANISM": (
        "the unit names the mechanism {unit}, and the mechanism column says {mechanism}: which one?"
    ),
    "R_CP_MISSING_INSTALLATION": "missing installation: each carbon-prices row is an installation's",
    "R_CP_NOT_YEAR": "not a year: give the year of import, as 2026",
    "R_CP_MISSING_PRICE": "missing price (0 for an instrument with nothing paid)",
    "R_CP_SHARES_OVER_ONE": (
        "the shares covered by the rows of this installation, CN code and year add up to more than 100 %"
    ),
    "W_CP_LINE_OWN_PRICE": (
        "{n} line(s) give their own carbon price columns (row {rows}): they keep them, and the "
        "carbon-prices rows of their installation do not apply to them"
    ),
    "W_CP_ROWS_UNUSED": "{n} carbon-prices row(s) apply to no line (row {rows}): each says why",
    "W_CP_NOT_IN_SCENARIOS": (
        "the carbon-prices table applies to {n} line(s): joined and recorded, but the scenarios price "
        "CNETS and CCER from their own assumptions, so its rows do not change the scenario figures "
        "(cbam calc deducts them under Art 9)"
    ),
    "R_CP_NO_LINE": "no line of this installation (with this CN code and year of import)",
    "R_CP_NARROWER_WINS": (
        "narrower rows of this installation (with a CN code or a year) apply to every line it would cover"
    ),
    "R_CP_LINES_OWN_PRICE": "every line it would cover gives its own carbon price columns, which win",
}

# ---------------------------------------------------------------------------- sources of prices
# Where a certificate price or an exchange rate comes from (law.prices: PricePoint.source,
# FxRate.source), as the Summary, the Parameters sheet and the HTML report show it.
MESSAGES.update(
    {
        # the prose of a reference table's source column, in Chinese its source_zh beside it
        # (reference_prices/cbam_certificate_price.csv, fx_eur_annual.csv: scripts/build_prices.py
        # writes both from the same figures)
        "M_DATA_TEXT": "{text}",
        "M_PERIOD_WEEK": "application week {key} ({start_day:weekday} {start} to {end_day:weekday} {end})",
        # a quarter's or a year's row used for a finer period (law.prices.PriceBook.lookup)
        "M_PRICE_STAND_IN_SOURCE": "the {candidate} figure stands in for {period}: {source}",
        "M_PRICE_SRC_FLAT": "price given by the user (--price)",
        "M_PRICE_SRC_PATH": "user price path",
        "M_PRICE_SRC_PATH_FILE": "user price path {file}",
        "M_FX_SRC_USER": "rate given by the user (--fx)",
        "M_FX_SRC_EURO": "euro",
        # the weekly-price convention (law.prices.weekly_convention, certificate_price.yaml)
        "M_WEEKLY_CONVENTION": (
            "from {first} the weekly price is published on a {published:weekday} and applies from "
            "the {start:weekday} to the next {end:weekday} included; a week's entry (e.g. "
            "{first}-W05) covers {start:weekday} of that ISO week to {end:weekday} of the next, so "
            "an import on a {end:weekday} takes the week before"
        ),
    }
)

# ---------------------------------------------------------------------------- cbam data
# Why a reference file has no update date (law.inventory._dated), and the inventory's lines.
MESSAGES.update(
    {
        "M_INV_NO_DATE": "no update date stated (add it to {ledger})",
        "M_INV_DATE_STALE": "content differs from the version dated {date} in {ledger}",
        "M_INV_AS_OF": "reference data as of {date}",
        "M_INV_AS_OF_UNKNOWN": "reference data as of an unknown date",
        "M_INV_UNDATED": " ({n} file(s) with no update date: {files})",
        "M_INV_SPAN": "{start} to {end}",
        "M_INV_FROM": "from {start}",
        "M_INV_UNKNOWN": "unknown ({why})",
        "M_INV_LEGEND": (
            "status: law, draft, proposal (not law: scenarios only), projection (not a real figure), "
            "superseded (kept only to explain old reports); for prices, the status of their rows"
        ),
    }
)

# ---------------------------------------------------------------------------- how a run ends
# The command line's last line where a run stops other than on an error of its input (cli/__init__).
MESSAGES.update(
    {
        "M_CLI_TERMINATED": "terminated: no output was left half-written",
        "M_CLI_ABORTED": "aborted",
        "M_CLI_INTERRUPTED": "interrupted",
        "M_CLI_INTERNAL_ERROR": (
            "internal error: {kind}: {error} (this is a bug in cbam-calc; rerun with CBAM_DEBUG=1 for "
            "details and report it)"
        ),
    }
)

# ---------------------------------------------------------------------------- cbam explain
# The working lines of ``cbam explain`` (outputs/explain.py): step titles, formulas and results.
# Figures arrive formatted; {sector:sector} and {route:route} are shown in the report's language.
MESSAGES.update(
    {
        "M_EX_PARTS": "{p0}{p1}{p2}{p3}",  # parts of a working line, one after the other
        "M_EX_T_GOOD": "The good",
        "M_EX_T_SEE_ACTUAL": "Specific embedded emissions (actual)",
        "M_EX_T_SEE_DEFAULT": "Specific embedded emissions (default value)",
        "M_EX_T_EMBEDDED": "Embedded emissions",
        "M_EX_T_FAA": "Free allocation adjustment",
        "M_EX_T_BENCHMARK": "CBAM benchmark",
        "M_EX_T_SEFA": "Specific embedded free allocation",
        "M_EX_T_ART9_ACTUAL": "Art 9 reduction (actual track, DRAFT)",
        "M_EX_T_ART9_DEFAULT": "Art 9 reduction (default track, DRAFT)",
        "M_EX_T_ART9": "Art 9 reduction",
        "M_EX_T_CERTIFICATES": "Certificates",
        "M_EX_T_PRICE": "Certificate price",
        "M_EX_T_COST": "Cost",
        "M_EX_GOOD": (
            "CN {cn}{desc}, sector {sector:sector}, origin {country}, {mass} {unit}, imported {when} "
            "(rules of {year})"
        ),
        "M_EX_DIRECT_ONLY": "Annex II good: direct emissions only",
        "M_EX_DIRECT_INDIRECT": "direct + indirect emissions count",
        "M_EX_SEE_ACTUAL_DIRECT": "actual SEE_direct = {see} tCO2e/{unit}",
        "M_EX_SEE_INDIRECT_NOT_COUNTED": " (indirect {see} given, not counted: Annex II)",
        "M_EX_SEE_ACTUAL": "actual SEE = direct {direct} + indirect {indirect}",
        "M_EX_SEE_FROM_TEMPLATE": "; from {where} (direct) and cell {cell} (indirect)",
        "M_EX_SEE_FROM_SOURCE": "; from the {source:emissions_source}",
        "M_EX_SEE_WIN_OVER": " (they win over {file}, row {row})",
        "M_EX_SEE_RESULT": "SEE = {see} tCO2e/{unit}",
        "M_EX_TABLE_COUNTRY": "table {name}",
        "M_EX_TABLE_OTHER": "table Other Countries and Territories (no value for the country)",
        "M_EX_TABLE_ANNEX_IV": "Annex IV (country of production unknown)",
        "M_EX_VALUE_DIRECT": "published direct value (Annex II: direct part only)",
        "M_EX_VALUE_ANNEX_IV": "published value",
        "M_EX_VALUE_TOTAL": "published total incl. indirect",
        "M_EX_ROUND_HALF_UP": "half up",
        "M_EX_DEFAULT": (
            "{table}, CN heading {heading}; {value} x (1 + {rate} mark-up of {year}), rounded "
            "{rounding} to {decimals} decimals"
        ),
        "M_EX_TCO2E": "{value} tCO2e",
        "M_EX_NO_FREE_ALLOCATION": "electricity receives no free allocation",
        "M_EX_FAA_ZERO": "FAA = 0",
        "M_EX_BM_PROJECTION": " (2028-2030 value reused: projection)",
        "M_EX_BM_REVISION": "; {note}",
        "M_EX_BM_REVISION_NOTE": (
            "benchmark of IR 2025/2620 as adopted for {first}: the revised benchmarks it foresees for "
            "imports from {since} are not adopted (as of {as_of})"
        ),
        "M_EX_BM_ROUTE": ", route {route} ({route:route}: {basis})",
        "M_EX_BM_ROUTE_TEMPLATE": "; {note} ({file}, sheet Summary_Communication)",
        "M_EX_BM_COLUMN_A": "Column A (actual data){route}, period {period}{projection}",
        "M_EX_BM_COLUMN_B": "Column B (default values){route}, period {period}{projection}",
        "M_EX_BM_RESULT": "BM = {value} tCO2e/t",
        "M_EX_PRECURSORS": " + precursors m x SEFA_i {term}",
        "M_EX_SEFA": "CBAM factor {year} x CSCF x BM = {factor} x {cscf} x {bm}{precursors}",
        "M_EX_SEFA_RESULT": "SEFA = {value} tCO2e/t",
        "M_EX_FAA_RESULT": "FAA = {value} tCO2e",
        "M_EX_PAID_TEMPLATE": (
            "; price due {due} {currency}/{unit} ({where}), rebate {rebate} (cell {rebate_cell}), "
            "currency cell {currency_cell}"
        ),
        "M_EX_PAID_NOT_EVIDENCED": (
            "; a price due, NOT evidenced as paid: no deduction until it is (--evidenced)"
        ),
        "M_EX_ART9_ACTUAL": ("P_paid,eff / P_ref x M = {paid} / {ref} x {mass}, capped so N >= 0{detail}"),
        "M_EX_ART9_DEFAULT": (
            "P_default x SEE / P_ref x M = {price} x {see} / {ref} x {mass}, capped so N >= 0"
        ),
        "M_EX_ART9_NONE": "no carbon price paid recognised for this line",
        "M_EX_R_RESULT": "R = {value} tCO2e",
        "M_EX_R_ZERO": "R = 0",
        "M_EX_CERTIFICATES_EXEMPT": (
            "{formula}; exempt if this importer's imports of CBAM goods "
            "in {year}, from all suppliers, stay at or under {threshold} t (this file: at or under it)"
        ),
        "M_EX_N_ZERO": "N = 0",
        "M_EX_N_RESULT": "N = {value} certificates (tCO2e)",
        "M_EX_PERIOD_QUARTER": "quarter {key}",
        "M_EX_PERIOD_YEAR": "year {key}",
        "M_EX_PRICE": "{period} ({status:price_status}{stand_in}){weekly}",
        "M_EX_PRICE_STAND_IN": ", {period} figure",
        "M_EX_WEEKLY": "; {convention}",
        "M_EX_PRICE_RESULT": "P = {value} EUR/tCO2e",
        "M_EX_COST_RESULT": "{cost} EUR ({per_t} EUR per {unit})",
        "M_EX_SRC_CBAM_FACTOR": "{src}; CBAM factor: {citation}",
        "M_EX_SRC_ART9": "Art 9 DRAFT implementing regulation of {date} (not law)",
        "M_EX_CSCF_PROJECTION": "CSCF {year}: projection, no value set by law",
        "M_EX_CSCF_LAW": "CSCF {year}: {title}",
    }
)

# ---------------------------------------------------------------------------- rejected: goods, routes
# Reasons the law modules give for a line (law.defaults, law.free_allocation); {choices:or} is a
# list shown "a or b".
MESSAGES.update(
    {
        "M_ROUTE_CHOICE": "{route} ({route:route})",
        # how the benchmark route of a line was chosen (benchmark_route_basis; RULES Route choice)
        "M_BASIS_SINGLE": "single value",
        "M_BASIS_GIVEN": "route given",
        "M_BASIS_DEFAULT_ROUTE": "route printed with the default value {printed}",
        "M_BASIS_COMBINED_GIVEN": "route given, one of those printed with the default value {printed}",
        "M_BASIS_COMBINED_HIGHEST": (
            "highest Column B value of the routes printed with the default value {printed}"
        ),
        "M_BASIS_HIGHEST": "highest Column B value ({why})",
        "M_BASIS_PRINTED_NO_B": "the printed {printed} has no Column B value for this code",
        "M_BASIS_NONE_PRINTED": "no route printed with the default value",
        "M_BASIS_PRINTED": "printed {printed}",
        "M_BASIS_NO_ROUTE": "no route printed",
        "M_BASIS_GIVEN_NOT_USED": "{basis}; route {given} given does not apply ({printed})",
        "M_TARIC_CHOICE": "{code} ({description})",
        "M_ROUTE_NAMES_NONE": "route {route} names none of them; ",
        "R_CN_COVERS_GOODS": (
            "CN {cn} covers {n} goods with their own default values (IR 2026/1740): {given}give the "
            "TARIC code {choices:or}, or give the route {grades:or}"
        ),
        "R_TARIC_ROUTE_CONTRADICTS": (
            "TARIC {code} is {description}, route {route} ({route:route}): route {given} contradicts "
            "it; give route {route} or none{instead}"
        ),
        "M_TARIC_INSTEAD": ", or the TARIC code {choices:or}",
        "M_TARIC_FIRST_8_DIGITS": (
            "{code}: not a code of the default-value tables, computed on its first 8 digits (CN {cn})"
        ),
        "R_NO_DEFAULT": (
            "no default value of IR 2025/2621 as amended by IR 2026/1740 for this CN code: give actual "
            "emissions (see_direct)"
        ),
        "R_NO_BENCHMARK": "no IR 2025/2620 Column {column} benchmark for this CN code",
        "R_ROUTE_NO_BENCHMARK": (
            "route '{route}' has no Column {column} benchmark for this CN code; give one of {choices}"
        ),
        "R_ROUTE_NEEDED": (
            "actual emissions need the installation's production route (IR 2025/2620 Annex point 5): "
            "give one of {choices}"
        ),
    }
)

# ---------------------------------------------------------------------------- notes of a line
# The note of each line of the Lines table (compute.notes): its parts joined by "; ".
MESSAGES.update(
    {
        "N_NOTES": "{parts:semi}",
        "N_IMPORT_DATE_ESTIMATED": "import date ESTIMATED: export date + {days} days (--from-export-date)",
        "N_MONTH_ONLY": "month only: the quarter's price applies",
        "N_TABLE_COUNTRY": "{country} table",
        "N_TABLE_OTHER": "Other Countries and Territories",
        "N_TABLE_ANNEX_IV": "highest value, origin unknown",
        "N_DEFAULT_VALUE": "default value {act} ({where}, +{rate} mark-up)",
        "N_INDIRECT_NOT_COUNTED": "indirect emissions given but not counted (Annex II good)",
        "N_NO_FREE_ALLOCATION": "electricity: no free allocation",
        "N_COLUMN_A_OWN_PROCESS": (
            "actual data: the Column A benchmark covers this good's own process only; give "
            "precursor_mass_t_per_t and precursor_benchmark_tco2e_per_t to add the precursors' free "
            "allocation (IR 2025/2620 Eq 4)"
        ),
        "N_BENCHMARK_ROUTE": "benchmark route {route}: {basis}",
        "N_BENCHMARK_PROJECTION": "benchmark after 2030 is a projection (2028-2030 values)",
        "N_PRICE_STATUS": "certificate price: {status:price_status}",
        "N_ART9_TRACK": "Art 9 {track} track (DRAFT rules)",
        "N_NEGATIVE_SAVING": "actual data cost more than the default values would: negative saving",
        "N_DE_MINIMIS": (
            "de minimis: nothing owed if the importer's imports of CBAM goods in the year, from all "
            "suppliers, stay at or under {threshold} t (Art 2a)"
        ),
    }
)

# ---------------------------------------------------------------------------- parameters table
# Texts of the Parameters table (compute.summary.parameters_table) and the averages of P_ref
# (law.prices.averaged_periods).
MESSAGES.update(
    {
        "M_AVG_QUARTERS": "mean of {n} quarters: {parts}",
        "M_AVG_WEEKS": "mean of {n} weeks: {parts}",
        "M_AVG_RUN_QUARTERS": "{first} to {last} ({n} quarters)",
        "M_AVG_RUN_WEEKS": "{first} to {last} ({n} weeks)",
        "M_AVG_PART": "{where} {price} ({status:price_status}{stand_in})",
        "M_PARAM_KEY_SECTOR_YEAR": "{sector:sector} {year}",
        "M_PARAM_KEY_ROUNDING": "base x (1 + mark-up), {mode}",
        "M_PARAM_KEY_ROUTE": " route {route}",
        "M_PARAM_KEY_DEFAULT": "{prefix}{route} {country} {year}",
        "M_PARAM_KEY_BENCHMARK": "{cn} column {column}{route} period {period}",
        "M_PARAM_STATUS_DRAFT_RULE": "{status:price_status} (rule: DRAFT)",
        "M_PARAM_PREF_SOURCE": (
            "yearly average of certificate prices, rounded to the cent ({averages}); {citation}"
        ),
        "M_PARAM_UNIT_PER_EUR": "{currency} per EUR",
        # a rule as its data file states it (text), in Chinese its text_zh beside it (the rounding
        # of default_markup.yaml)
        "M_PARAM_SRC_RULE_TEXT": "{text}",
        # the Art 9 DRAFT banner of every report (law.art9.status_message, draft_rule_message)
        "M_ART9_STATUS": (
            "DRAFT: Art 9 implementing regulation not adopted; figures rest on the draft of {date} "
            "({document})"
        ),
        "M_ART9_DRAFT_RULE": (
            "Art 9 carbon price paid: draft implementing regulation of {date}, track '{track}'"
        ),
        "M_ART9_DRAFT_RULE_OFF": (
            "Art 9 carbon price paid: draft implementing regulation of {date}, track '{track}' (off: no "
            "carbon price recognised)"
        ),
        "M_PARAM_STATUS_INSTRUMENT": "DRAFT (Art 9 implementing act)",
        "M_PARAM_STATUS_INSTRUMENT_MECHANISM": (
            "DRAFT (Art 9 implementing act); mechanism: law of its country"
        ),
        "M_PARAM_SRC_USER": "given by the user",
        "M_PARAM_SRC_TABLE": "{citation}, table {table}",
        # the act's name of the table of countries without one of their own (IR 2025/2621 Annex
        # I, 'Other Countries and Territories'), kept as the act names it, glossed in Chinese
        "M_TABLE_OTHER_NAME": "{name}",
        "M_PARAM_SRC_BENCHMARK": "{before}{basis}{after}{pending}",
        "M_PARAM_UNDATED": "{n} file(s) with no update date: {files}",
        "M_PARAM_AS_OF_SOURCE": (
            "newest update date of the reference tables and parameters (cbam data lists each, with its "
            "act, status and SHA-256)"
        ),
    }
)

# ---------------------------------------------------------------------------- fatal errors of inputs
# InputFileError: where (file, sheet, row, column) and what (core.errors); the commonest texts of
# the readers (inputs.readers, csv_arrow, validate, xlsx_guard).
MESSAGES.update(
    {
        "M_WHERE_SHEET": "sheet '{sheet}'",
        "M_WHERE_ROW": "row {row}",
        "M_WHERE_COLUMN": "column '{column}'",
        "M_WHERE_ERROR": "{where}: {detail}",
        "E_NO_HEADER_ROW": (
            "no header row found in the first {rows} rows: expected column names such as {expected} "
            "(or 商品编码, 原产国, 净重(吨), 进口日期); run `cbam template` for a ready input file"
        ),
        "E_MISSING_COLUMN": (  # help_zh: the column's help in Chinese, which {help} shows in zh
            "missing required column {column} ({help}; Chinese header: {zh}); columns found: {found}"
        ),
        "E_PASSWORD_PROTECTED": (
            "the workbook is password-protected: save an unprotected copy (File > Info > Protect "
            "Workbook > remove the password)"
        ),
        "E_NOT_A_WORKBOOK": "this {suffix} file is not an Excel workbook ({kind})",
        "M_CONTENT_TEXT": "its content is plain text: if it is a CSV, rename it .csv",
        "M_CONTENT_NOT_WORKBOOK": (
            "its content is neither a zip-based workbook (.xlsx, .ods) nor an Excel 97 file (.xls)"
        ),
        "E_WORKBOOK_UNREADABLE": (
            "cannot read the workbook ({error}); is it a complete, unencrypted Excel file?"
        ),
        "E_NO_SHEET": "no sheet '{sheet}': the workbook has {sheets}{which}",
        "M_SHEETS_WITH_TABLE": "; sheets with a shipments table: {sheets}",
        "E_FIRST_SHEET_NO_TABLE": "the first sheet has no shipments table; choose one with --sheet: {sheets}",
        "E_NOT_XLSX_ZIP": "not an .xlsx workbook (its content is not a zip archive)",
        # a file that is no table (inputs.sniff): {what:file_kind} what it looks like
        "E_LOOKS_LIKE": (
            "this looks like {what:file_kind}, not {expected}: export the shipments sheet as CSV or xlsx"
        ),
        "E_LOOKS_LIKE_ARCHIVE": (
            "this looks like {what:file_kind}, not {expected}: unpack it and give the shipments file inside"
        ),
        "M_AN_EXCEL_WORKBOOK": "an Excel workbook",
        "M_A_CSV_TABLE": "a CSV table",
    }
)

# ---------------------------------------------------------------------------- zh-inputs: file errors
# The fatal errors of the readers (inputs.readers, csv_arrow, sniff, encodings, xlsx_guard,
# validate, carbon_prices), of --emissions and of the options, and what a line took from its
# communication template (inputs.template_match: template_use, emissions_source,
# carbon_price_source).
MESSAGES.update(
    {
        # where a figure of a template is (emissions_source, carbon_price_source, R_TEMPLATE_CURRENCY)
        "M_TEMPLATE_AT_ROW": "template {file} ({sheet}, row {row})",
        "M_TEMPLATE_AT_CELL": "template {file} ({sheet}, cell {cell})",
        "M_PRICE_DUE_EVIDENCED": "{where}, due, evidenced",
        "M_PRICE_DUE_NOT_EVIDENCED": "{where}, due, not evidenced",
        "M_CP_SOURCE_FILE": "carbon-prices file {file}",
        "M_CP_SOURCE_SHEET": "carbon-prices sheet {file}",
        # what a line took from its template (template_use): its parts, joined
        "M_TEMPLATE_USE": "{parts:enum}",
        "M_USE_SEE": "SEE",
        "M_USE_ROUTE": "route {route}",
        "M_USE_PRICE_DUE": "carbon price due",
        "M_USE_PRICE_REPLACED": "carbon price due replaced by the carbon-prices table",
        "M_USE_SHIPMENT_WINS": "the shipment file's SEE win over the template's",
        # the file itself
        "E_NO_SUCH_FILE": "no such file",
        "E_FOLDER_NOT_FILE": "this is a folder, not a file",
        "E_NOT_REGULAR": (
            "not a regular file (a pipe, a terminal or a device): save the shipments to a .csv or .xlsx "
            "file and give its path"
        ),
        "E_CANNOT_OPEN": "cannot open the file: {reason}",
        "E_SHEET_NOT_SPREADSHEET": "--sheet only applies to spreadsheets",
        # what the file is (inputs.sniff): {what:file_kind} what it looks like
        "E_FILE_EMPTY": "the file is empty ({what:file_kind}): export the shipments sheet as CSV or xlsx",
        "E_PARQUET_NAMED": "this is a parquet file saved with a {suffix} name: rename it .parquet",
        "E_SAVED_NOT_WORKBOOK": (
            "this is {what:file_kind} saved with a {suffix} name, not a real workbook or CSV: open it in "
            "Excel (or WPS, LibreOffice) and save it as xlsx"
        ),
        "E_CSV_NAMED": "this is CSV text saved with a {suffix} name: rename it .csv",
        "E_RENAME_IT": "this is {what:file_kind} saved with a {suffix} name: rename it {right}",
        "E_PROTECTED_NAMED": (
            "this is {what:file_kind} saved with a {suffix} name: save an unprotected copy as xlsx"
        ),
        "M_NO_SUFFIX": "no",  # {suffix} of a file without one ("saved with a no name")
        "M_KIND_ZIP_HOLDING": "a zip archive (holding {names})",
        # CSV (inputs.csv_arrow, inputs.encodings)
        "E_SPREADSHEET_NOT_CSV": "this is a spreadsheet, not a CSV: give it an .xlsx (or .xls) extension",
        "E_BINARY_NOT_CSV": "not a text file (binary content): expected a CSV",
        "E_NOT_UTF8_NOR_GB18030": (
            "the text is neither UTF-8 nor Chinese GB18030{seen}: give its encoding with --encoding, "
            "e.g. --encoding {likely}; or save it as CSV UTF-8"
        ),
        "M_LIKELY_ENCODINGS": "cp1252 (Western Europe), latin-1, cp1254 (Turkish) or shift_jis (Japanese)",
        "M_LINE_READS": ' (line {line} reads "{sample}")',
        "E_NOT_DECODED": "the text does not decode as {encoding}: check --encoding",
        "E_BYTES_NOT_ENCODING": (
            "the bytes {shown} at byte offset {offset} are not {encoding} text: give the file's own "
            "encoding with --encoding (e.g. {likely}) or save it as CSV UTF-8"
        ),
        "M_END_OF_FILE": "the end of the file",
        "E_VALUE_TOO_LONG": (
            "a value longer than {mib} MiB ({chars} characters): no shipment has one; remove it and "
            "save the file again"
        ),
        "E_MALFORMED_CSV": "malformed CSV: {detail}",
        "M_RECORDS_MISMATCH": "the records do not match the lines",
        # columns of the header (inputs.csv_arrow, inputs.validate)
        "E_TWO_COLUMNS_NAMED": "two columns are named '{name}' (columns {first} and {second}): keep one",
        "E_MASS_NO_UNIT": (
            "'{header}' gives no unit: rename it net_mass_t / 净重(吨) for tonnes or net_mass_kg / "
            "净重(千克) for kilograms"
        ),
        "E_TWO_MASS_COLUMNS": (
            "both '{tonnes}' (tonnes) and '{kilograms}' (kilograms) are given: keep one mass column"
        ),
        "E_COLUMN_OPTION_NOT_FOUND": (
            "--column {field}={header}: no column '{header}' in the file; columns found: {found}"
        ),
        "E_TWO_EXPORT_DATES": (
            "--from-export-date: columns '{first}' and '{second}' are both export dates: say which with "
            "--column export_date={first}"
        ),
        "E_EXPORT_NOT_IMPORT_DATE": (
            "column '{column}' is an export date, not the import date that fixes the CBAM price: give "
            "--column import_date={column} to use it as the import date, or --from-export-date DAYS to "
            "add the transit time"
        ),
        "E_NO_DATA_ROWS": "no data rows below the header (row {row})",
        # workbooks (inputs.readers, inputs.xlsx_guard)
        "E_NO_SHEETS": "the workbook has no sheets",
        "E_SHEET_UNREADABLE": "cannot read the sheet ({error})",
        "E_SHEET_EMPTY": "the sheet is empty",
        "E_ALL_SHEETS_HIDDEN": "every sheet is hidden: choose one with --sheet: {sheets}",
        "E_WORKBOOK_DAMAGED": "the workbook is damaged ({error}); open it in Excel and save it again",
        "E_XLS_TOO_LARGE": (
            "the .xls file is {size} MB, above the limit of {limit} MB: save it as .xlsx or CSV"
        ),
        "E_WORKBOOK_TOO_LARGE": (
            "the workbook expands to {size} GB, above the limit of {limit} GB: split it or save it as CSV"
        ),
        "E_ZIP_BOMB": "part {part} expands {ratio} times: this looks like a zip bomb, refused",
        "E_WORKBOOK_UNSAFE": "the workbook structure cannot be read safely ({error})",
        "E_SHEET_TOO_MANY_MARKS": (
            "the sheet is refused: it marks more than {limit} {what}; unhide or unmerge them and save, or "
            "save the sheet as CSV"
        ),
        "M_MARKS_HIDDEN_ROWS": "hidden rows",
        "M_MARKS_MERGED_RANGES": "merged ranges",
        "M_SHEET_SPAN": "its cells span {extent} ({rows} rows x {cols} columns{where})",
        "M_REPEATS_COUNTED": ", repeats counted",
        "E_SHEET_SPARSE": (
            "the sheet is refused: {span} but only {written} cells are written: delete the stray cells far "
            "from the table (Ctrl+End shows the last one) and save, or save the sheet as CSV"
        ),
        "E_SHEET_TOO_LARGE": (
            "the sheet is refused: {span}, above the limit of {limit} cells: split it or save it as CSV"
        ),
        "E_CELL_TOO_LARGE": "a cell holds more than {mb} MB: the sheet is refused",
        "E_ODS_ELEMENT_TOO_LARGE": "an element of content.xml is too large: the file is refused",
        # parquet (inputs.readers)
        "E_PARQUET_NO_COLUMNS": "the parquet file has no columns",
        "E_PARQUET_NO_ROWS": "the parquet file has no rows",
        "E_PARQUET_UNREADABLE": "cannot read the parquet file ({error})",
        "E_PARQUET_CELLS": (
            "the column holds {kind} (parquet type {type}): store one number or text per cell (flatten or "
            "drop the column, or write it as a string column)"
        ),
        "M_PARQUET_LISTS": "lists",
        "M_PARQUET_MAPS": "maps (key-value pairs)",
        "M_PARQUET_RECORDS": "records (a struct)",
        "M_PARQUET_BYTES": "bytes, not text",
        # the environment
        "E_DATE_PREPARED": (
            "environment variable {variable}='{value}' is not a date: expected YYYY-MM-DD, e.g. "
            "2026-03-14 (or unset it for today's date)"
        ),
        "E_PARQUET_NO_KNOWN_COLUMN": (
            "no known column name among the parquet columns ({shown}): name them {expected}, net_mass_t, "
            "import_date (run `cbam template` for the list)"
        ),
    }
)

# zh-inputs: errors of a run (nothing computed, options, outputs, --price-path, --check)
MESSAGES.update(
    {
        "E_NOTHING_COMPUTED": "{where}: nothing could be computed, all {n} row(s) rejected{detail}",
        "M_NOTHING_FIRST": "; first: row {row}, column '{column}'{value}: {reason}",
        "E_NOTHING_COMPUTED_SCENARIO": (
            "{file}: nothing could be computed, all rows rejected (run cbam calc for the reasons)"
        ),
        "E_NOTHING_IN_BATCH": "nothing could be computed in any of the {n} files",
        # engines and options (outputs.runs, compute.distributed, cli.options)
        "E_ENGINE": "engine '{engine}': expected one of {engines}",
        "E_PANDAS_ONE_FILE": (
            "{n} inputs: the pandas engine computes one file; use --engine dask for several parquet "
            "files, or cbam batch for a folder of member files"
        ),
        "E_SCHEDULER_NEEDS_DASK": "--scheduler needs --engine dask",
        "E_PANDAS_ONLY": "{option} works with the pandas engine (one file)",
        "E_SHEET_NOT_PARQUET": "--sheet does not apply to parquet inputs",
        "E_DASK_LINES_OUT": "with --engine dask, --lines-out writes a parquet dataset: name it lines.parquet",
        "E_DASK_PARQUET_ONLY": (
            "{path}: the dask engine reads parquet files (convert csv/xlsx with pandas: "
            "pd.read_csv(...).to_parquet(...)), or use --engine pandas"
        ),
        "E_PARQUET_NO_ROW_GROUPS": "no rows: the parquet files have no row groups",
        "E_REPORT_FORMAT": (
            "{path}: the report format comes from the name: .html (a page that prints to PDF from any "
            "browser) or .xlsx (the workbook)"
        ),
        "E_NO_FILES_IN": "no csv or Excel files to compute in {inputs}",
        "E_ENCODING_UNKNOWN": "--encoding '{encoding}': not a text encoding Python knows; e.g. {likely}",
        "E_NO_SUCH_LINE": (
            "--line {row}: no such data row in the input (data rows run from {first} to {last}; the "
            "header is not a data row)"
        ),
        "E_NO_FX": "no EUR/{currency} rate for {year}: give one with --fx {currency}=RATE",
        "E_EUA_PATH_GAPS": "--eua-path {spec}: no price for {years} (the path runs {first}-{last} with gaps)",
        "E_EUA_PATH_ENDS": "--eua-path {spec}: no price for {years}; the path ends in {last}",
        # outputs (outputs.writers, core.paths)
        "E_OUTPUT_EXISTS": "{target} already exists: use --force to replace it",
        "E_OUTPUT_IS_FOLDER": "{target} is a folder",
        "E_OUTPUT_NO_FOLDER": "{target}: the folder {folder} does not exist",
        "E_OUTPUT_SUFFIX": "{path}: {option} writes {what}: name it {suffixes:or}",
        "M_OUT_XLSX_REPORT": "the xlsx report (cbam report writes .html)",
        "M_OUT_LINES": "the per-line table",
        "M_OUT_CONSOLIDATED": "the consolidated workbook",
        "M_OUT_WEB_PAGE": "a web page",
        "M_OUT_SCENARIO_WORKBOOK": "the scenario workbook (--png DIR writes the charts as images)",
        "M_OUT_FORMAT": "the {format} output",
        "M_OUT_INPUT_WORKBOOK": "an input workbook",
        "E_CANNOT_WRITE": "{target}: cannot be written ({reason}); {what}",
        "M_REASON_IN": "{reason} in {folder}",
        "M_WRITE_DISK_FULL": "the disk is full: free some space or write to another folder",
        "M_WRITE_QUOTA": "the disk quota is used up: free some space or write to another folder",
        "M_WRITE_READ_ONLY": "the folder is on a read-only file system: write to another folder",
        "M_WRITE_NO_PERMISSION": "no permission to write there: write to another folder",
        "M_WRITE_ELSEWHERE": "write to another folder",
        "M_WRITE_FREE_SPACE": "free some space or write to another folder",
        "E_OUTPUT_IS_INPUT": (
            "{target}: {why}; cbam-calc never writes over, into or around its inputs, choose another "
            "output name"
        ),
        "M_IS_INPUT_FILE": "this is an input file",
        "M_IS_INPUT_FOLDER": "this is an input folder",
        "M_HOLDS_INPUT": "this folder holds the input {input}",
        "M_INSIDE_INPUT": "this lies inside the input folder {input}",
        # --price-path (law.prices)
        "E_PRICE_PATH_MISSING": "{path}: no such price path file",
        "E_PRICE_PATH_UNREADABLE": "{path}: not a readable CSV ({error})",
        "E_PRICE_PATH_COLUMNS": (
            "{path}: missing column {missing} (expected period, price_eur_per_tco2e, optional status "
            "and source)"
        ),
        "E_PRICE_PATH_PERIOD": (
            "{path}, row {row}, column 'period': '{period}' is not a year (2027), a quarter (2026Q3) or "
            "a week (2027-W05)"
        ),
        "E_PRICE_PATH_TWICE": "{path}, row {row}, column 'period': {period} is given twice",
        "E_PRICE_PATH_NO_WEEK": "{path}, row {row}, column 'period': {year} has no ISO week {week}",
        "E_PRICE_PATH_WEEK_UNUSED": (
            "{path}, row {row}, column 'period': {period} is never used: imports of {year} take the "
            "price of their quarter, not of a week"
        ),
        "E_PRICE_PATH_PRICE": (
            "{path}, row {row}, column 'price_eur_per_tco2e': '{value}' is not a positive price"
        ),
        # cbam calc --check (outputs.run_record, report_check, check)
        "E_RECORD_DAMAGED": (
            "the run record is damaged ({what}): write the report again with cbam calc -o (or cbam "
            "batch/scenario -o) from its inputs"
        ),
        "E_NO_SUCH_REPORT": "no such report",
        "E_CHECK_HTML": (
            "an HTML page keeps no run record and is not checked: check the workbook written with it "
            "(cbam report -o report.xlsx), which shows the same figures"
        ),
        "E_NO_RUN_SHEET": (
            "no '{sheet}' sheet: this report was not written by cbam calc -o, or by a version without "
            "run records"
        ),
        "E_NO_RECORD_JSON": "the Run sheet holds no record_json row",
        "E_RECORD_NEWER": (
            "the run record is of format {format}, written by a newer cbam-calc ({version}); cbam-calc "
            "{ours} reads format 1: check it with that version or newer (pip install -U cbam-calc)"
        ),
        "M_VERSION_NOT_RECORDED": "version not recorded",
        "E_RECORD_UNKNOWN_FORMAT": (
            "unknown run record format {format}: not a record cbam-calc writes; write the report again "
            "with cbam calc -o (or cbam batch/scenario -o) from its inputs"
        ),
        "E_NOT_READABLE_REPORT": "not a readable xlsx report ({error})",
        "E_CHECK_INPUT_NOT_FOUND": (
            "{report}: input {file} not found (looked where the report recorded it and beside the "
            "report): give it after the report, cbam calc --check {report} PATH"
        ),
        "E_CHECK_FILE_NOT_FOUND": (
            "{report}: {what} {file} not found (looked where the report recorded it and beside the "
            "report): put it back there or beside the report"
        ),
        "M_CHECK_PRICE_PATH": "price path",
        "M_CHECK_TEMPLATE": "template",
        "M_CHECK_CARBON_PRICES": "carbon prices",
    }
)

# zh-inputs: the scenario file (--config, compute.scenario_set), --baseline, --png
MESSAGES.update(
    {
        "E_CONFIG_MAPPING": "{path}: {key}: expected a mapping ({example}), not {kind}",
        "M_CFG_EX_EUA": "a name for each price path: a CSV file or a flat price, e.g. flat 80: 80",
        "M_CFG_EX_DEFAULTS": "of scenario keys, e.g. cea_price_cny: 80",
        "M_CFG_EX_INSTALLATIONS": "of installation names to their overrides",
        "M_KIND_LIST": "a list",
        "M_KIND_TEXT": "text",
        "M_KIND_MAPPING": "a mapping",
        "M_KIND_NUMBER": "a number",
        "M_KIND_BOOLEAN": "true/false",
        "E_CONFIG_NO_SCENARIOS": "{path}: expected a mapping with a 'scenarios' section, not {kind}",
        "E_CONFIG_INSTALLATION": "{path}: installations.{name}: expected a mapping of overrides, not {kind}",
        "E_CONFIG_EMPTY": (
            "{path}: scenarios: empty; give at least one scenario, e.g. high CEA: {{cea_price_cny: 150}}"
        ),
        "M_CFG_SCENARIO": "scenario '{name}'",
        "M_CFG_SCENARIO_AT": "scenarios[{i}]",
        "E_CONFIG_SCENARIO_MAPPING": "{path}: {where}: expected a mapping of scenario keys, not {kind}",
        "E_CONFIG_KEYS": "{path}: {where}: its keys and those of defaults must be names",
        "E_CONFIG_SCENARIOS_KIND": (
            "{path}: scenarios: expected a mapping of scenario names to their keys, or a list, not {kind}"
        ),
        "E_CONFIG_DETAIL": "{path}: {where}: {detail}",
        "E_FILE_DETAIL": "{path}: {detail}",
        "E_CONFIG_AND_SWEEP": "give either --config or sweep options (--cea-price ...), not both",
        "E_BASELINE": "--baseline '{baseline}' is not a scenario name; the scenarios are: {names:semi}",
        "M_QUOTED": "'{text}'",
        "E_INSTR_NO_PRICE": "{path}: no reference {currency} price for {credit}",
        "E_INSTR_REFERENCE": "{path}: reference_option '{option}' is not an option",
        "E_PNG_NEEDS_MATPLOTLIB": "--png needs matplotlib: pip install 'cbam-calc[charts]'",
        "E_PNG_IS_FILE": "{path}: --png writes the charts into a folder, and this is a file",
        "E_PNG_PARENT_IS_FILE": "{path}: --png cannot make this folder: {parent} is a file",
    }
)

# zh-inputs: usage errors of the command line (cli/: click.BadParameter, click.UsageError), shown
# in the run's language by cli._main where their message is a code
MESSAGES.update(
    {
        "E_PAIR_FORMAT": "'{value}': expected CODE=NUMBER, e.g. CN=12.5",
        "E_FINITE": "{value}: expected a finite number",
        "E_GREATER_THAN_ZERO": "'{value}': must be greater than 0",
        "E_NOT_NEGATIVE": "'{value}': must not be negative",
        "E_YEAR_RANGE": "{value}: cbam-calc has reference data for {first}-{last}",
        "E_COLUMN_PAIR": "'{value}': expected FIELD=HEADER, e.g. import_date=报关日期",
        "E_DE_MINIMIS_CONTRADICTS": "--no-de-minimis contradicts --de-minimis {value}",
        "E_EVIDENCED_NEEDS_EMISSIONS": "--evidenced names templates given with --emissions",
        "E_CHECK_WITH_EMISSIONS": "--check reads the templates the report recorded: leave out --emissions",
        "E_NO_INPUT": "give an input file (or --check report.xlsx)",
        "E_BY": "'{value}': expected some of {allowed}",
        "E_NOT_NUMBER": "'{value}' is not a number",
        "E_MUST_NOT_BE_NEGATIVE": "{value} must not be negative",
        "E_CCER_SHARE_CAP": (
            "{value} exceeds the CNETS cap of {cap} of verified emissions (MEE Order No. 19, Art 29)"
        ),
        "E_NOT_A_SHARE": "{value} is not a share between 0 and 1",
        "E_ONE_OF": "'{value}': expected one of {allowed}",
        "E_YEARS": "{detail} (expected like 2026-2034 or 2026,2030)",
        "M_USAGE_HINT": "{hint}: {message}",  # a usage error naming its option (--fx: ...)
    }
)

# misc-zh: the credit price status of the instrument comparison (compute.instrument_compare._price)
MESSAGES.update(
    {
        "M_INSTR_PRICE_GIVEN": "given",  # a number of data/scenarios/instruments.yaml
        "M_INSTR_PRICE_OBSERVED": "observed ({period})",  # reference_prices/ccer_price.csv
        # the status credit_price_assumptions.yaml states (status), in Chinese its status_zh beside it
        "M_INSTR_PRICE_ASSUMED": "{status}",
        "M_INSTR_PRICE_STATUSES": "{statuses:enum}",  # the statuses of an option's CNY and USD prices
    }
)

# inputs-zh: where the readers found what they read (inputs.comm_template.CommTemplate.where, the
# explain steps of a template line)
MESSAGES.update(
    {
        "M_TEMPLATE_FIGURE_CELL": "{file}, sheet {sheet}, cell {cell}",
    }
)

# check-zh: cbam calc --check's differences and notes (outputs.check, report_check,
# scenario_check; law.inventory.FileChange), in the run's language
MESSAGES.update(
    {
        "M_CHECK_TEXTS_ONLY": "{report}: every figure matches, but {n} text cell(s) do NOT match",
        "M_CHECK_NOTE": "note: {note}",
        "M_CHECK_TEXTS_NOTE": (
            "only texts differ, every figure matches: a text may differ in its wording only (a "
            "translation changed since the report was written) or in its meaning (a sector, a key, a "
            "status such as projection or published): read each; --check exits 1 for any difference"
        ),
        "M_CHECK_INPUT_CHANGED": "input {file} has changed since the report (SHA-256 differs)",
        "M_CHECK_PRICE_PATH_CHANGED": "price path {file} has changed since the report",
        "M_CHECK_TEMPLATE_CHANGED": "template {file} has changed since the report (SHA-256 differs)",
        "M_CHECK_TEMPLATE_MOVED": "template {file} moved: read from {found}",
        "M_CHECK_CARBON_PRICES_CHANGED": (
            "carbon prices {file} have changed since the report (SHA-256 differs)"
        ),
        "M_CHECK_REFERENCE_DIFFER": (
            "the reference data differ from the report's (cbam-calc {version} then): figures may move "
            "for that reason"
        ),
        "M_CHECK_VERSION_DIFFERS": (
            "written by cbam-calc {then}, checked with {now}: a change of the code may move figures too"
        ),
        "M_CHECK_SCENARIO_SET": "its scenario set cannot be read ({problem})",
        "M_CHECK_RECORD_MISSING": (
            "Run record: {key:record_figure} is missing (the record holds no such figure), inputs give "
            "{value}"
        ),
        "M_CHECK_RECORD_NOT_FINITE": (
            "Run record: {key:record_figure} is {then}, not a finite figure; inputs give {value}"
        ),
        "M_CHECK_RECORD_DIFFERS": "{key:record_figure}: report {then}, now {value}",
        "M_CHECK_NO_LINES_DIGEST": (
            "Run record: the lines SHA-256 is missing, so the lines cannot be checked against it"
        ),
        "M_CHECK_LINES_DIFFER": "line figures differ (certificates or cost of at least one line)",
        "M_CHECK_MEMBER_NO_DIGEST": "Run record: member {member} ({file}) has no lines SHA-256",
        "M_CHECK_MEMBER_DIFFERS": "member {member} ({file}): line figures differ (certificates or cost)",
        "M_CHECK_SCENARIO_DIFFER": "scenario figures differ (at least one scenario-year)",
        "M_CHECK_NO_TABLE_HASHES": (
            "this report records no SHA-256 per reference table (cbam-calc {version} kept only one for "
            "all): cbam-calc cannot name the tables that changed"
        ),
        "M_CHECK_ONLY_METADATA": (
            "no reference table or parameter changed, only the metadata beside them (sidecars, dates)"
        ),
        "M_CHECK_JOINED": "{first}; {second}",
        "M_CHECK_LINES_TOGETHER": "{lines} (by the changes above together)",
        "M_CHECK_LINES_WITH_INPUT": "{lines} (with the input)",
        "M_CHECK_NO_LINE_MOVED": "no line of this report moved",
        "M_CHECK_ONE_LINE_MOVED": "1 line changed (row {row})",
        "M_CHECK_LINES_MOVED": "{n} lines changed (rows {rows:enum})",
        "M_CHECK_LINES_MOVED_MORE": "{n} lines changed (rows {rows:enum} and {more} more)",
        "M_CHECK_MOVED_ROW": "row {row}: {then} -> {now}",
        "M_CHECK_NOT_COMPUTED": "not computed",
        "M_CHECK_LINE_FIGURES": "certificates {certificates}, cost EUR {cost}",
        "M_REF_FILE_NEW": "{name} ({path}): new since the report ({now})",
        "M_REF_FILE_GONE": "{name} ({path}): no longer in the reference data (then {then})",
        "M_REF_FILE_ACTS": "{name} ({path}): {then} -> {now}",
        "M_REF_FILE_CHANGED": "{name} ({path}): changed since the report ({now})",
        "M_REF_FILE_KEPT": "{change}; the report's version is kept as {kept}",
        "M_CHECK_NOTHING": "nothing",
        "M_CHECK_CELL": "report {got}, inputs give {want}",
        "M_CHECK_CELL_NO_FIGURE": "report {got}, inputs give no figure here",
        "M_CHECK_AT": "{cell}: {why}",
        "M_CHECK_AT_NAMED": "{cell} ({name}): {why}",
        "M_CHECK_SHEET_MISSING": "sheet '{sheet}' is missing from the report",
        "M_CHECK_SHEETS_NOT_WRITTEN": "sheets cbam-calc does not write, not compared: {sheets:enum}",
        "M_CHECK_EXTRA_ROW": "{cell}: a row the inputs do not give ({row})",
        "M_CHECK_MISSING_ROW": "{cell}: missing from the report (inputs give {row})",
        "M_CHECK_ROWS": "{sheet}: the report has {got} rows, the inputs give {want}",
        "M_CHECK_RUN_ROW_MISSING": "{sheet}: the row '{row}' is missing (inputs give {want})",
        "M_CHECK_FIGURES_IN_ALL": "{n} cells differ in all ({sheets:enum})",
        "M_CHECK_TEXTS_IN_ALL": "{n} texts differ in all ({sheets:enum})",
        "M_CHECK_SHEET_COUNT": "{sheet} {n}",
        "M_CHECK_LAYOUT": (
            "a scenario workbook of layout {layout}, written by cbam-calc {version} (this version "
            "writes layout {current}): its sheets are not those this version writes, so they are not "
            "written again and compared cell by cell"
        ),
        "M_CHECK_UNKNOWN_VERSION": "an unknown version",
        "M_CHECK_LAYOUT_NEWER": (
            "{head}; compared: the Run record's figures and the scenario table's digest only"
        ),
        "M_CHECK_LAYOUT_COMPARED": (
            "{head}; compared: the Run record's figures, the scenario table's digest and, cell by cell "
            "at full precision, the tables it holds under their keys: {compared:enum}; write it again with "
            "cbam scenario -o for this version's layout"
        ),
        "M_CHECK_LAYOUT_COMPARED_NOT_ALL": (
            "{head}; compared: the Run record's figures, the scenario table's digest and, cell by cell "
            "at full precision, the tables it holds under their keys: {compared:enum}; not compared: "
            "{others:enum}; write it again with cbam scenario -o for this version's layout"
        ),
        "M_CHECK_NONE": "none",
        "M_CHECK_LAYOUT_SHEET_MISSING": "sheet '{sheet}' of layout {layout} is missing from the report",
        "M_CHECK_SHEET_ROWS": "{sheet} ({rows} rows)",
        "M_CHECK_SHEET_REPEATS": "{sheet} (the scenario table's figures again)",
        "M_CHECK_COLUMNS_NOT_HELD": (
            "columns this version computes and the report does not hold: {columns:enum}"
        ),
        "M_CHECK_COLUMNS_GONE": "columns of the report this version no longer computes: {columns:enum}",
        "M_CHECK_COLUMNS_NOTE": "{sheet}: {parts:semi} (not compared)",
    }
)

# Placeholder vocabularies: {value:name} shows value through VOCABULARIES[name](value, lang).
VOCABULARIES: dict[str, Callable[[str, str], str]] = {
    "price_status": price_status,
    "sector": sector_shown,
    "route": route_name,
    "file_kind": file_kind,
    "emissions_source": emissions_source,
    "weekday": weekday_shown,
}
VOCABULARIES["record_figure"] = record_figure  # check-zh: a run record's figure key

LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"
DOMAIN = "cbam_calc"
LOCALES = {"zh": "zh_CN"}  # --lang -> gettext locale of the catalogue
LIST_SEPARATOR = ", "
# a list shown by {items:or} ("a or b"), {items:semi} ("a; b")
SEPARATORS = {"or": {"en": " or ", "zh": " 或 "}, "semi": {"en": "; ", "zh": "；"}}
SEPARATORS["enum"] = {"en": ", ", "zh": "、"}  # {items:enum}: "a, b" (a list of parts)


def catalogue_path(lang: str) -> Path:
    return LOCALE_DIR / LOCALES[lang] / "LC_MESSAGES" / f"{DOMAIN}.po"


@functools.cache
def translations(lang: str, drafts: bool = False) -> dict[tuple[str, str], str]:
    """The catalogue of ``lang``: (code, English) -> translated template. Read with Babel the first
    time a message is shown in that language (never for English, so never at start-up). An entry
    counts only for the English it was made for: a changed English text falls back to English
    until the catalogue is updated. Entries marked fuzzy (drafts not yet reviewed) are left out
    unless ``drafts``, as msgfmt does."""
    if lang not in LOCALES:
        return {}
    from babel.messages.pofile import read_po  # only here: Babel costs ~60 ms to import

    with open(catalogue_path(lang), "rb") as f:
        catalogue = read_po(f, locale=LOCALES[lang], domain=DOMAIN)
    return {
        (m.context, m.id): m.string
        for m in catalogue
        if m.id and m.context and m.string and (drafts or not m.fuzzy)
    }


def template(code: str, lang: str = "en", drafts: bool = False) -> str | None:
    """The template of ``code`` in ``lang`` (None where the catalogue has no text for it)."""
    en = MESSAGES[code]
    if lang == "en" or lang not in LOCALES:
        return en
    return translations(lang, drafts).get((code, en))


class _Formatter(string.Formatter):
    def __init__(self, lang: str) -> None:
        self.lang = lang

    def format_field(self, value: Any, format_spec: str) -> str:
        if format_spec in SEPARATORS and isinstance(value, (list, tuple)):  # {items:or}: "a or b"
            sep = SEPARATORS[format_spec]
            return sep.get(self.lang, sep["en"]).join(render(v, self.lang) for v in value)
        if isinstance(value, (Message, list, tuple)):
            value = render(value, self.lang)
        if format_spec in VOCABULARIES:
            return VOCABULARIES[format_spec](str(value), self.lang)
        return format(value, format_spec)


@functools.cache
def _has_spec(text: str) -> bool:
    return any(spec for _, name, spec, _ in string.Formatter().parse(text) if name is not None)


def _fill(text: str, params: dict[str, Any], lang: str) -> str:
    if not params:
        return text
    if lang != "en":  # a parameter NAME_zh is NAME's own text in that language ({help} in Chinese)
        suffix = f"_{lang}"
        own = {k[: -len(suffix)]: v for k, v in params.items() if k.endswith(suffix)}
        if own:
            params = {**params, **own}
    if not _has_spec(text) and all(type(v) in (str, int, float) for v in params.values()):
        return text.format_map(params)  # the common case, in C
    return _Formatter(lang).vformat(text, (), params)


class Message(str):
    """A message: a code and its parameters, rendered in the language asked.

    The str itself is the English text, so results keep their text (JSON, CSV, the Rejected table,
    ``in`` and ``startswith`` work as before) and gain a code: ``m.code``, ``m.params``,
    ``m.text("zh")``. ``Message.plain(text)`` is a message without a code yet: English in every
    language. Build one per distinct message, never one per line."""

    code: str
    params: dict[str, Any]

    def __new__(cls, code: str, /, **params: Any) -> Message:
        params = {k: _plain(v) for k, v in params.items()}
        return cls._make(code, params, _fill(MESSAGES[code], params, "en"))

    @classmethod
    def _make(cls, code: str, params: dict[str, Any], english: str) -> Message:
        self = str.__new__(cls, english)
        self.code, self.params = code, params
        return self

    @classmethod
    def plain(cls, text: str) -> Message:
        """A message without a code yet: shown as written, in every language."""
        return text if isinstance(text, Message) else cls._make("", {}, str(text))

    def text(self, lang: str = "en", drafts: bool = False) -> str:
        """The message in ``lang``; in English where the catalogue has no text for its code."""
        english = str.__str__(self)
        if lang == "en" or not self.code:
            return english
        t = template(self.code, lang, drafts)
        return english if t is None else _fill(t, self.params, lang)

    def __reduce__(self):  # pickled with its code (batch workers, Dask)
        return (Message._make, (self.code, self.params, str.__str__(self)))

    def __repr__(self) -> str:
        return f"Message({self.code!r}, {str.__repr__(self)})" if self.code else str.__repr__(self)

    def to_json(self) -> dict[str, Any]:
        """{code, params}, nested messages included (the text is kept beside it)."""
        return {"code": self.code, "params": {k: _json(v) for k, v in self.params.items()}}

    @classmethod
    def from_json(cls, text: str, code: str = "", params: dict[str, Any] | None = None) -> Message:
        """The message of a text and its code and params as :meth:`to_json` gives them."""
        if not code or code not in MESSAGES:
            return cls.plain(text)
        return cls._make(code, {k: _unjson(v) for k, v in (params or {}).items()}, str(text))


def _plain(v: Any) -> Any:
    """A parameter as a JSON value: numpy scalars as Python numbers, tuples as lists."""
    if isinstance(v, (list, tuple)):
        return [_plain(x) for x in v]
    if hasattr(v, "item") and not isinstance(v, str):  # numpy scalar
        return v.item()
    return v


def _json(v: Any) -> Any:
    if isinstance(v, Message):
        return {"code": v.code, "params": {k: _json(x) for k, x in v.params.items()}}
    if isinstance(v, (list, tuple)):
        return [_json(x) for x in v]
    return v


def _unjson(v: Any) -> Any:
    if isinstance(v, dict) and set(v) == {"code", "params"} and v["code"] in MESSAGES:
        return Message(v["code"], **{k: _unjson(x) for k, x in v["params"].items()})
    if isinstance(v, list):
        return [_unjson(x) for x in v]
    return v


def render(value: Any, lang: str = "en") -> str:
    """A message (or a plain value, a list of them) as shown in ``lang``."""
    if isinstance(value, Message):
        return value.text(lang)
    if isinstance(value, (list, tuple)):
        return LIST_SEPARATOR.join(render(v, lang) for v in value)
    return str(value)


def code_of(value: Any) -> str:
    return value.code if isinstance(value, Message) else ""


def params_json(value: Any) -> str:
    """The parameters of a message as JSON text ('' for a value without a code)."""
    if not isinstance(value, Message) or not value.code:
        return ""
    return json.dumps(value.to_json()["params"], ensure_ascii=False, sort_keys=True)


def message_columns(values) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """A column of messages (an object array, as Issues collects them) as three columns of plain
    text for a table: the English text, the code ('' where none) and the parameters as JSON. Done
    once per distinct message, never per row."""
    import numpy as np
    import pandas as pd

    arr = np.asarray(values, dtype=object)
    if not len(arr):
        empty = np.array([], dtype=object)
        return empty, empty.copy(), empty.copy()
    rows, uniques = pd.factorize(arr, use_na_sentinel=False)  # a numpy array keeps the Messages
    texts = np.array([str.__str__(u) if isinstance(u, str) else str(u) for u in uniques], dtype=object)
    codes = np.array([code_of(u) for u in uniques], dtype=object)
    params = np.array([params_json(u) for u in uniques], dtype=object)
    return texts[rows], codes[rows], params[rows]


def render_messages(texts, codes, params, lang: str):
    """Columns of :func:`message_columns` (a table's reason, code, params) as text in ``lang``:
    the English text where the catalogue has none. One rendering per distinct message."""
    import numpy as np
    import pandas as pd

    if lang == "en":
        return texts
    from cbam_calc.core.arrays import factorize_frame

    index = texts.index if isinstance(texts, pd.Series) else None
    key = pd.DataFrame(
        {
            "t": np.asarray(texts, dtype=object),
            "c": np.asarray(codes, dtype=object),
            "p": np.asarray(params, dtype=object),
        }
    )
    rows, uniques = factorize_frame(key)
    shown = np.array(
        [
            Message.from_json(t, c or "", json.loads(p) if isinstance(p, str) and p else None).text(lang)
            for t, c, p in uniques.itertuples(index=False)
        ],
        dtype=object,
    )
    out = shown[rows] if len(key) else np.array([], dtype=object)
    return pd.Series(out, index=index, dtype=object) if index is not None else out


def message_fields(messages) -> tuple[list[str], list[str], list[dict[str, Any]]]:
    """Texts, codes and JSON params of messages, for a model's fields (warnings, warning_codes,
    warning_params)."""
    ms = [Message.plain(m) for m in messages]
    return [str.__str__(m) for m in ms], [m.code for m in ms], [m.to_json()["params"] for m in ms]


def messages_of(texts, codes=(), params=()) -> list[Message]:
    """Messages back from the fields :func:`message_fields` gives (codes and params may be
    missing: those messages are shown as written)."""
    codes, params = list(codes), list(params)
    return [
        Message.from_json(t, codes[i] if i < len(codes) else "", params[i] if i < len(params) else None)
        for i, t in enumerate(texts)
    ]


# run-zh: the structured assumptions of a scenario run in words (outputs.scenario_assumptions)
MESSAGES.update(
    {
        "M_SCEN_SAME_EVERY_YEAR": "{first}-{last}: {value} every year",
        "M_SCEN_IN_YEAR": "{year}: {value}",
        # the CEA and CCER reference prices (law.reference.china_carbon_price) and their files
        "M_SCEN_CEA_PRICE": "{value} ({period}, the yearly volume-weighted price; {file})",
        "M_SCEN_CCER_PRICE": "{value} ({period}, the monthly volume-weighted price; {file})",
        "M_SCEN_TEMPLATE_USED": "{installation} ({file})",
        "M_SCEN_SEE_SHEET": "see the sheet {sheet}",
    }
)

# inputs-zh: the errors still plain English (issue 14): the YAML files a user gives
# (inputs.yaml_safe; {what:file_kind} the kind of file), batch and template folders, --column,
# the damaged run record (E_RECORD_DAMAGED's {what}), and the scenario file's checks (pydantic's
# errors by their type)
MESSAGES.update(
    {
        "E_YAML_NO_SUCH": "{path}: no such {what:file_kind}",
        "E_YAML_TOO_BIG": (
            "{path}: this {what:file_kind} is {size} bytes; a {what:file_kind} is at most {limit} "
            "bytes of YAML"
        ),
        "E_YAML_UNREADABLE": "{path}: cannot read this {what:file_kind} ({reason})",
        "E_YAML_NOT_UTF8": "{path}: this {what:file_kind} is not UTF-8: save it as UTF-8 and run again",
        "E_YAML_NOT_UTF8_NOR_GB18030": (
            "{path}: this {what:file_kind} is not UTF-8: save it as UTF-8 and run again (nor is it "
            'Chinese GB18030: line {line} would read "{sample}")'
        ),
        "E_YAML_TOO_DEEP": (
            "{path}: this {what:file_kind} is nested more than {depth} levels deep (line {line}): "
            "check its brackets and indentation"
        ),
        "E_YAML_TOO_MANY_VALUES": (
            "{path}: this {what:file_kind} stands for more than {limit} values once its aliases "
            "(*name) are expanded: write the scenarios out instead of nesting aliases"
        ),
        "E_YAML_SELF_ALIAS": (
            "{path}: this {what:file_kind} has an alias inside its own anchor (it contains itself)"
        ),
        "E_YAML_INVALID": "{path}: this {what:file_kind} is not valid YAML ({detail})",
        "E_YAML_TOO_NESTED": "{path}: this {what:file_kind} is nested too deeply to read",
        # batch folders (inputs.members) and template folders (inputs.comm_template)
        "E_NO_SUCH_FILE_OR_FOLDER": "{path}: no such file or folder",
        "E_NO_BATCH_FILES": (
            "no csv or Excel files in {inputs} (looked for {suffixes}, hidden and ~$ files skipped)"
        ),
        # --column FIELD=HEADER (inputs.columns.check_fields; M_: as --column's usage error)
        "E_COLUMN_NO_FIELD": "--column {field}={header}: no field '{field}'; the fields are {fields}",
        "M_COLUMN_NO_FIELD": "{field}={header}: no field '{field}'; the fields are {fields}",
        # what is damaged in a run record (E_RECORD_DAMAGED {what}; outputs.run_record);
        # {kind:json_type} a JSON value's type as Python names it (str, list, dict, missing)
        "M_RECORD_NOT_TEXT": "record_json is not a text",
        "M_RECORD_NOT_JSON": "record_json is not valid JSON: {error}, character {pos}",
        "M_RECORD_NOT_RECORD": "record_json holds a {kind:json_type}, not a record",
        "M_RECORD_KEY_TYPE": "{key} is {got:json_type}, not {wanted:json_type}",
        "M_RECORD_UNKNOWN_COMMAND": "unknown command {command}",
        "M_RECORD_INPUT_COUNT": "{n} inputs recorded for cbam {command}",
        "M_RECORD_NO_SCENARIO_SET": "a scenario record without its scenario_set",
        "M_RECORD_TEMPLATES_NOT_LIST": "templates is not a list",
        "M_RECORD_EVIDENCED": "{what}: evidenced is not true or false",
        "M_RECORD_CARBON_PRICES": "carbon_prices is not a list of one file",
        "M_RECORD_REFERENCE_FILES": "reference_files is not a table",
        "M_RECORD_OPTIONS": "its options cannot be read ({problem})",
        "M_RECORD_ENTRY_KIND": "{what} is a {kind:json_type}, not a file entry",
        "M_RECORD_ENTRY_NO_TEXT": "{what} has no {key} text",
        "M_RECORD_ENTRY_SHEET": "{what}: its sheet is not a text",
        "M_RECORD_INPUT": "input {i}",
        "M_RECORD_PRICE_PATH": "price_path",
        "M_RECORD_TEMPLATE": "template {i}",
        "M_RECORD_CARBON_PRICES_ENTRY": "carbon prices",
        # the scenario file's checks (compute.scenario_set.describe): where, and what, by
        # pydantic's error type; M_PYD_DETAIL keeps pydantic's own words where no code says it
        "M_PYD_PROBLEMS": "{parts:semi}",
        "M_PYD_AT": "{where}: {problem}",
        "M_PYD_UNKNOWN_KEY": "unknown key",
        "M_PYD_MISSING": "Field required",
        "M_PYD_NOT_NUMBER": "not a number",
        "M_PYD_NOT_INTEGER": "not a whole number",
        "M_PYD_NOT_BOOLEAN": "expected true or false",
        "M_PYD_NOT_TEXT": "expected text",
        "M_PYD_NOT_MAPPING": "expected a mapping",
        "M_PYD_NOT_LIST": "expected a list",
        "M_PYD_CHOICES": "expected {choices:or}",
        "M_PYD_AT_LEAST": "must be at least {limit}",
        "M_PYD_ABOVE": "must be greater than {limit}",
        "M_PYD_AT_MOST": "must be at most {limit}",
        "M_PYD_BELOW": "must be less than {limit}",
        "M_PYD_DETAIL": "{detail}",
        # the scenario file's own checks (compute.scenario_set validators, parse_years)
        "M_SCEN_YEAR_OUTSIDE": "{year} is outside {first}-{last}",
        "M_SCEN_NO_YEAR": "no year given",
        "M_SCEN_FLAT_PRICE": "eua '{name}': a flat price must be positive",
        "M_SCEN_NAMES_DIFFER": "scenario names must differ: {names}",
        "M_SCEN_UNKNOWN_EUA": "scenario '{name}': unknown eua path '{eua}' (defined: {defined})",
        "M_SCEN_BASELINE_NOT_NAME": "baseline '{baseline}' is not a scenario name ({names})",
        "M_SCEN_CCER_CAP": (
            "{value} exceeds the CNETS cap of {cap} ({percent}) of verified emissions (MEE Order No. "
            "19, Art 29)"
        ),
        "M_YEARS_NOT_YEAR": "'{text}' is not a year or a range of years like {span}",
        "M_YEARS_OUTSIDE": "{year} is outside {span}, the years a scenario can compute",
        "M_YEARS_EXPECTED": "expected a year, a range like {span} or a list of years, not {text}",
        "M_YEARS_BACKWARDS": "{part}: the range runs backwards (write {last}-{first})",
    }
)
VOCABULARIES["json_type"] = json_type  # inputs-zh: a JSON value's type (M_RECORD_KEY_TYPE)

# inputs-zh: options' own checks (law.proposals, core.model), shown through the pydantic errors
MESSAGES.update(
    {
        "M_CBAM_FACTOR_UNKNOWN": "cbam_factor '{option}': expected one of {schedules}",
        "M_DE_MINIMIS_CHOICE": "expected True, False or one of {choices}, not {value}",
        "M_NOT_FINITE_OPTION": "{key}: expected a finite number, not {value}",
        # cbam batch --strict (cli.batch): why the run exits 1
        "E_STRICT": "--strict: {rejected} rejected row(s) and {failed} failed file(s)",
    }
)
