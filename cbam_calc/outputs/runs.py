"""Each command of ``cbam`` as one Python call: compute, write the files asked for, return the result.
Long because: one documented entry point per command, each with the checks of its outputs against
every input it reads.

What the command line does, a notebook can do the same way, and a test without a subprocess::

    from cbam_calc import CalcOptions
    from cbam_calc.outputs.runs import calc_to_files, report_to_files

    result = calc_to_files(["shipments.xlsx"], CalcOptions(year=2027), report="report.xlsx")
    report_to_files("shipments.xlsx", CalcOptions(), ["report.html"])

=====================  ========================================================
``cbam calc``          :func:`calc_to_files` (``--check``: ``check.check_report``)
``cbam report``        :func:`report_to_files`
``cbam batch``         :func:`batch_to_files`
``cbam scenario``      :func:`scenario_to_files`, with the scenario set of
                       ``compute.scenario_set.scenario_set_from_options``
``cbam explain``       :func:`explain_input`
``cbam template``      ``input_template.write_template``
=====================  ========================================================

Every function checks its outputs before it computes anything (an output that exists without
``force``, or that is, holds or lies inside one of the run's inputs: shipments, members and their
folders, price path, scenario file, stops it at once, whatever ``force`` says), writes each file
atomically, and calls ``on_written`` with a :class:`Written` after each file, so a caller can say
so as it happens. The ``check_*`` and ``*_formats``/``batch_files`` functions are those first
checks on their own: the command line calls them before it reads the options they do not need,
so its errors come in the order they always have. Heavy modules are imported inside the
functions (``cbam --help`` and ``cbam template`` never load the engine).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from cbam_calc.core import arguments
from cbam_calc.core.messages import Message

if TYPE_CHECKING:  # for the signatures only: importing them costs the engine's start-up
    from cbam_calc.compute.batch import BatchResult, FileOutcome
    from cbam_calc.compute.calculate import CalcResult
    from cbam_calc.compute.scenario_set import ScenarioSet
    from cbam_calc.compute.scenarios import ScenarioResult
    from cbam_calc.core.model import CalcOptions
    from cbam_calc.inputs.members import BatchFile

ENGINES = ("pandas", "dask")
# the report format comes from the output's name
REPORT_SUFFIXES = {".html": "html", ".htm": "html", ".xlsx": "xlsx"}
HTML_SUFFIXES = tuple(s for s, kind in REPORT_SUFFIXES.items() if kind == "html")


@dataclass(frozen=True)
class Written:
    """A file a run has written: ``str()`` of it is the line the command prints on stderr."""

    path: Path
    what: str = "report"  # report, lines, workbook, scenario workbook, chart
    detail: str = ""  # after the path, e.g. "/ (one parquet file per partition)"

    def __str__(self) -> str:
        return f"{self.what} written to {self.path}{self.detail}"

    def text(self, lang: str = "en") -> str:
        """The line in ``lang``."""
        if lang == "en":
            return str(self)
        from cbam_calc.core.labels import written_line

        return written_line(self.what, str(self.path), self.detail, lang)


OnWritten = Callable[[Written], None]


def _said(on_written: OnWritten | None, written: Written) -> None:
    if on_written is not None:
        on_written(written)


def _price_table(price_path: str | Path | None):
    if price_path is None:
        return None
    from cbam_calc.law.prices import load_price_path

    return load_price_path(price_path)


def read_emissions(emissions: str | Path | Sequence[str | Path] | None, jobs: int | None = None):
    """The communication templates of ``--emissions`` (files and folders; None: none), read once
    for the run (:func:`cbam_calc.inputs.comm_template.read_templates`). A refused template stops
    the run where they are joined to the lines (:func:`cbam_calc.inputs.template_match.template_list`)."""
    if emissions is None or (not isinstance(emissions, (str, Path)) and not len(emissions)):
        return None
    from cbam_calc.inputs.comm_template import read_templates

    return read_templates(_paths(emissions), jobs=jobs)


def _paths(inputs: str | Path | Sequence[str | Path]) -> list:
    """One input or several (a single path is not taken for a sequence of characters)."""
    return arguments.paths("inputs", inputs)


# ---------------------------------------------------------------------------- cbam calc
def check_calc_inputs(
    inputs: str | Path | Sequence[str | Path], engine: str = "pandas", scheduler: str | None = None
) -> None:
    """Raise OptionError unless ``engine`` can compute ``inputs``: the pandas engine computes one
    file; several parquet files, or a running Dask scheduler, need the dask engine."""
    from cbam_calc.core.errors import OptionError

    inputs = _paths(inputs)
    if engine not in ENGINES:
        raise OptionError(Message("E_ENGINE", engine=engine, engines=list(ENGINES)))
    if engine == "pandas" and len(inputs) > 1:
        raise OptionError(Message("E_PANDAS_ONE_FILE", n=len(inputs)))
    if scheduler and engine != "dask":
        raise OptionError(Message("E_SCHEDULER_NEEDS_DASK"))


def calc_to_files(
    inputs: str | Path | Sequence[str | Path],
    options: CalcOptions | None = None,
    *,
    sheet: str | None = None,
    price_path: str | Path | None = None,
    engine: str = "pandas",
    scheduler: str | None = None,
    report: str | Path | None = None,
    lines_out: str | Path | None = None,
    lang: str = "en",
    force: bool = False,
    on_written: OnWritten | None = None,
    emissions: str | Path | Sequence[str | Path] | None = None,
    evidenced: str | Sequence[str] | None = None,
    carbon_prices: str | Path | None = None,
) -> CalcResult:
    """Compute a shipments file and write its report and per-line table: ``cbam calc``.

    Parameters
    ----------
    inputs : path or list of paths
        One csv, xlsx or parquet file; with ``engine="dask"``, one or more parquet files.
    options : CalcOptions, optional
        Year, certificate price, Art 9 track, exchange rates, de minimis (``cbam calc``'s options).
    sheet : str, optional
        Sheet of a workbook (name or number); default the first.
    price_path : path, optional
        CSV of certificate prices by period replacing the reference prices (``--price-path``);
        recorded, with its SHA-256, in the report's Run sheet.
    engine : {"pandas", "dask"}
        dask: parquet inputs larger than memory, or a cluster at ``scheduler``.
    report : path, optional
        The xlsx report (Summary, Lines, grouping sheets, Rejected, Parameters, Run), ``-o``.
    lines_out : path, optional
        The per-line table: .csv or .parquet (with dask: a parquet dataset folder).
    lang : {"en", "zh"}
        Language of the report labels.
    force : bool
        Replace existing output files (an input is never replaced).
    on_written : callable, optional
        Called with a :class:`Written` after each file is written.
    emissions : path or list of paths, optional
        Installations' communication templates, files or folders (``--emissions``), joined to
        the lines (:func:`cbam_calc.inputs.template_match.apply_templates`); recorded, each with
        its SHA-256, in the Run sheet. The pandas engine only.
    evidenced : "all", or list of str, optional
        The templates whose carbon price due counts as evidenced (``--evidenced``): their files,
        folders or installations.

    Returns
    -------
    CalcResult
        The lines, the rejected rows and the summary. When every row is rejected, the report is
        still written (its Rejected sheet says why) and NothingComputedError is raised after it,
        holding the result as ``.result``.
    """
    from cbam_calc.core.errors import NothingComputedError, OptionError
    from cbam_calc.outputs.writers import check_output, require_suffix

    options = arguments.entry(locals())
    inputs = _paths(inputs)
    check_calc_inputs(inputs, engine, scheduler)
    require_suffix(report, (".xlsx",), Message("M_OUT_XLSX_REPORT"))
    if engine == "pandas":
        require_suffix(lines_out, (".csv", ".parquet"), Message("M_OUT_LINES"), "--lines-out")
    if emissions is not None and engine == "dask":
        raise OptionError(Message("E_PANDAS_ONLY", option="--emissions"))
    if carbon_prices is not None and engine == "dask":
        raise OptionError(Message("E_PANDAS_ONLY", option="--carbon-prices"))
    read = [
        *inputs,
        price_path,
        *(_paths(emissions) if emissions else []),
        carbon_prices,
    ]  # every file and folder the run reads
    for out in (report, lines_out):
        if out is not None:
            check_output(out, read, force, folder=engine == "dask" and out == lines_out)
    path_table = _price_table(price_path)
    templates = read_emissions(emissions)
    try:
        if engine == "dask":
            from cbam_calc.compute.distributed import calculate_dask

            if sheet:
                raise OptionError(Message("E_SHEET_NOT_PARQUET"))
            if lines_out is not None and Path(lines_out).suffix.lower() != ".parquet":
                raise OptionError(Message("E_DASK_LINES_OUT"))
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

            result = calculate(
                inputs[0],
                options,
                sheet=sheet,
                price_path=path_table,
                templates=templates,
                evidenced=evidenced,
                carbon_prices=carbon_prices,
            )
        failure = None
    except NothingComputedError as e:
        result, failure = e.result, e
    if report is not None:
        from cbam_calc.outputs.run_record import make_record
        from cbam_calc.outputs.xlsx import write_report

        # the Dask engine keeps no lines in memory: no per-line digest to check the report against
        record = make_record(result, price_path=price_path, sheet_asked=sheet) if engine == "pandas" else None
        write_report(result, report, lang=lang, inputs=read, force=force, record=record)
        _said(on_written, Written(Path(report)))
    if lines_out is not None and engine == "pandas":
        from cbam_calc.outputs.lines_out import write_lines

        write_lines(result.lines, lines_out, inputs=read, force=force)
        _said(on_written, Written(Path(lines_out), "lines"))
    elif lines_out is not None:  # written by the Dask workers
        _said(on_written, Written(Path(lines_out), "lines", "/ (one parquet file per partition)"))
    if failure is not None:
        raise failure
    return result


# ---------------------------------------------------------------------------- cbam report
def report_format(path: str | Path) -> str:
    """'html' or 'xlsx', from the report's name; OptionError for any other name."""
    from cbam_calc.core.errors import OptionError

    kind = REPORT_SUFFIXES.get(Path(path).suffix.lower())
    if kind is None:
        raise OptionError(Message("E_REPORT_FORMAT", path=str(path)))
    return kind


def report_formats(
    outputs: Sequence[str | Path], inputs: Sequence[str | Path] = (), force: bool = False
) -> list[tuple[Path, str]]:
    """Each report with its format (:func:`report_format`), once each is known to be writable."""
    from cbam_calc.outputs.writers import check_output

    kinds = [(Path(out), report_format(out)) for out in outputs]
    for out in outputs:
        check_output(out, inputs, force)
    return kinds


def report_to_files(
    input: str | Path,
    options: CalcOptions | None = None,
    outputs: Sequence[str | Path] = (),
    *,
    sheet: str | None = None,
    price_path: str | Path | None = None,
    lang: str = "en",
    force: bool = False,
    on_written: OnWritten | None = None,
    emissions: str | Path | Sequence[str | Path] | None = None,
    evidenced: str | Sequence[str] | None = None,
    carbon_prices: str | Path | None = None,
    for_importer: bool = False,
) -> CalcResult:
    """Compute a shipments file and write the reports people send on: ``cbam report``.

    Each of ``outputs`` is written in the format its name gives: .html or .htm a self-contained
    page (inline charts, the assumptions box; prints to PDF), .xlsx the workbook with native
    charts and the Run sheet ``cbam calc --check`` reads. The other parameters are those of
    :func:`calc_to_files`. When every row is rejected, the reports are still written (they list
    every rejected row) and NothingComputedError is raised after them.

    ``for_importer``: each output is instead the workbook the EU declarant needs from its
    supplier (``--for-importer``: :func:`cbam_calc.outputs.importer_report.write_importer_report`),
    which must be named .xlsx.
    """
    from cbam_calc.compute.calculate import calculate
    from cbam_calc.core.errors import NothingComputedError

    options = arguments.entry(locals())
    read = [input, price_path, *(_paths(emissions) if emissions else []), carbon_prices]
    outputs = [outputs] if isinstance(outputs, (str, Path)) else outputs
    if for_importer:
        from cbam_calc.outputs.importer_report import require_xlsx

        for out in outputs:
            require_xlsx(out)
    kinds = report_formats(outputs, read, force)
    templates = read_emissions(emissions)
    try:
        result = calculate(
            input,
            options,
            sheet=sheet,
            price_path=_price_table(price_path),
            templates=templates,
            evidenced=evidenced,
            carbon_prices=carbon_prices,
        )
        failure = None
    except NothingComputedError as e:
        result, failure = e.result, e
    for out, kind in kinds:
        if for_importer:
            from cbam_calc.outputs.importer_report import write_importer_report
            from cbam_calc.outputs.run_record import make_record

            record = make_record(result, price_path=price_path, sheet_asked=sheet)
            write_importer_report(result, out, lang=lang, inputs=read, force=force, record=record)
        elif kind == "xlsx":
            from cbam_calc.outputs.run_record import make_record
            from cbam_calc.outputs.xlsx import write_report

            record = make_record(result, price_path=price_path, sheet_asked=sheet)
            write_report(result, out, lang=lang, inputs=read, force=force, record=record)
        else:
            from cbam_calc.outputs.html import calc_html, write_html

            write_html(calc_html(result, lang), out, inputs=read, force=force)
        _said(on_written, Written(out))
    if failure is not None:
        raise failure
    return result


# ---------------------------------------------------------------------------- cbam explain
def explain_input(
    input: str | Path,
    line: int,
    options: CalcOptions | None = None,
    *,
    sheet: str | None = None,
    price_path: str | Path | None = None,
    emissions: str | Path | Sequence[str | Path] | None = None,
    evidenced: str | Sequence[str] | None = None,
    carbon_prices: str | Path | None = None,
) -> dict:
    """Every step of one line of a shipments file, with its numbers and legal source: ``cbam
    explain``. ``line`` is the row number as Excel shows it; a rejected line is explained by its
    reason. ``emissions``, ``evidenced``: communication templates joined to the lines, as with
    :func:`calc_to_files`; each figure taken from one names its template, sheet and cell. Render
    the result with ``explain.explain_text`` or ``explain.explain_json``."""
    from cbam_calc.compute.calculate import calculate
    from cbam_calc.outputs.explain import explain_line

    options = arguments.entry(locals())
    table = _price_table(price_path)
    templates = read_emissions(emissions)
    result = calculate(
        input,
        options,
        sheet=sheet,
        raise_if_empty=False,
        price_path=table,
        templates=templates,
        evidenced=evidenced,
        carbon_prices=carbon_prices,
    )
    return explain_line(result, line, templates)


# ---------------------------------------------------------------------------- cbam batch
def batch_files(
    inputs: str | Path | Sequence[str | Path],
    *,
    output: str | Path | None = None,
    html_out: str | Path | None = None,
    force: bool = False,
    price_path: str | Path | None = None,
    emissions: str | Path | Sequence[str | Path] | None = None,
    carbon_prices: str | Path | None = None,
) -> list[BatchFile]:
    """The member files of a batch (``inputs.members.discover``), once the outputs are known to be
    writable: no output may be a member, lie inside a members' folder (it would be a member of
    the next run), be the price path or a template (``emissions``). A communication template
    given with ``emissions`` is never a member, even inside a members' folder, nor is the
    ``carbon_prices`` file. OptionError when there is no file to compute."""
    from cbam_calc.core.errors import OptionError
    from cbam_calc.inputs.members import discover
    from cbam_calc.outputs.writers import check_output, refuse_inputs, require_suffix

    inputs = _paths(inputs)
    require_suffix(output, (".xlsx",), Message("M_OUT_CONSOLIDATED"))
    require_suffix(html_out, HTML_SUFFIXES, Message("M_OUT_WEB_PAGE"), "--html")
    outputs = [p for p in (output, html_out) if p is not None]
    templates = _paths(emissions) if emissions is not None else []
    templates += [carbon_prices] if carbon_prices is not None else []  # never a member either
    for out in outputs:  # the folders first: an output inside one is refused before any search
        refuse_inputs(out, [*inputs, price_path, *templates])
    files = [f for f in discover(inputs) if not _within(f.path, templates)]
    if not files:
        raise OptionError(Message("E_NO_FILES_IN", inputs=[str(i) for i in inputs]))
    for out in outputs:
        check_output(out, [*batch_inputs(inputs, files, price_path), *templates], force)
    return files


def _within(path: Path, places: Sequence[str | Path]) -> bool:
    """``path`` is one of ``places`` or inside one of them (folders)."""
    here = path.resolve()
    for place in places:
        there = Path(place).resolve()
        if here == there or there in here.parents:
            return True
    return False


def batch_inputs(
    inputs: str | Path | Sequence[str | Path], files: Sequence[BatchFile], price_path: str | Path | None
) -> list:
    """Everything a batch reads: its folders and files, each member file (a link to one from
    elsewhere too) and the price path."""
    return [*_paths(inputs), *(f.path for f in files), price_path]


def batch_to_files(
    inputs: str | Path | Sequence[str | Path],
    options: CalcOptions | None = None,
    *,
    files: Sequence[BatchFile] | None = None,
    sheet: str | None = None,
    price_path: str | Path | None = None,
    jobs: int | None = None,
    progress: Callable[[int, int, FileOutcome], None] | None = None,
    output: str | Path | None = None,
    html_out: str | Path | None = None,
    lang: str = "en",
    force: bool = False,
    on_written: OnWritten | None = None,
    emissions: str | Path | Sequence[str | Path] | None = None,
    evidenced: str | Sequence[str] | None = None,
    carbon_prices: str | Path | None = None,
) -> BatchResult:
    """Compute many files (members of an association), consolidate them and write the
    consolidated workbook and page: ``cbam batch``.

    Parameters
    ----------
    inputs : path or list of paths
        Folders (searched recursively for csv and Excel files) and files.
    files : list of BatchFile, optional
        The members as :func:`batch_files` found them (which also checked the outputs); default:
        found here.
    jobs : int, optional
        Worker processes; default one per core when there is more than one file and enough input.
    progress : callable, optional
        ``progress(done, total, outcome)`` after each file (``outputs.progress.ProgressBar`` draws a
        bar); its ``close()``, if it has one, is called once the files are computed, before any
        output is written.
    output, html_out : path, optional
        The consolidated workbook (.xlsx, with the Run sheet ``cbam calc --check`` reads) and the
        consolidated page (.html).
    emissions, evidenced : optional
        Installations' communication templates (files or folders), read once for the batch and
        joined to every member's lines, and those whose carbon price due is evidenced (see
        :func:`calc_to_files`); recorded, each with its SHA-256, in the Run sheet.

    The other parameters are those of :func:`calc_to_files`. A file that cannot be read, or of
    which nothing can be computed, is a failed file of the result; the batch goes on. Returns the
    :class:`~cbam_calc.compute.batch.BatchResult` (``.lines`` is 0 when nothing was computed).
    """
    from cbam_calc.compute.batch import run_batch

    options = arguments.entry(locals())
    if files is None:
        files = batch_files(
            inputs,
            output=output,
            html_out=html_out,
            force=force,
            price_path=price_path,
            emissions=emissions,
            carbon_prices=carbon_prices,
        )
    files = list(files)
    templates = read_emissions(emissions)
    table = None
    if carbon_prices is not None:  # read once, for every member; a bad row stops the batch here
        from cbam_calc.inputs.carbon_prices import read_carbon_prices

        table = read_carbon_prices(carbon_prices, read=options.read).require_clean()
    try:
        result = run_batch(
            _paths(inputs),
            options,
            price_path=_price_table(price_path),
            sheet=sheet,
            jobs=jobs,
            progress=progress,
            files=files,
            templates=templates,
            evidenced=evidenced,
            carbon_prices=table,
        )
    finally:
        close = getattr(progress, "close", None)
        if close is not None:
            close()
    members = [
        *batch_inputs(inputs, files, price_path),
        *(_paths(emissions) if emissions is not None else []),
        carbon_prices,
    ]
    if output is not None:
        from cbam_calc.outputs.batch_report import write_batch_xlsx
        from cbam_calc.outputs.run_record import make_batch_record

        record = make_batch_record(result, sheet=sheet, price_path=price_path)
        write_batch_xlsx(result, output, lang=lang, inputs=members, force=force, record=record)
        _said(on_written, Written(Path(output), "workbook"))
    if html_out is not None:
        from cbam_calc.outputs.html import write_html
        from cbam_calc.outputs.html_batch import batch_html

        write_html(batch_html(result, lang), html_out, inputs=members, force=force)
        _said(on_written, Written(Path(html_out)))
    return result


# ---------------------------------------------------------------------------- cbam scenario
def scenario_inputs(
    input: str | Path, scenario_set: ScenarioSet | None = None, config: str | Path | None = None
) -> list:
    """Everything a scenario run reads: the shipments file, the scenario file and the price path
    files its scenarios name."""
    from cbam_calc.compute.scenario_set import REFERENCE

    eua = scenario_set.eua.values() if scenario_set is not None else ()
    return [input, config, *(v for v in eua if isinstance(v, str) and v != REFERENCE)]


def check_scenario_outputs(
    input: str | Path,
    output: str | Path | None = None,
    force: bool = False,
    *,
    scenario_set: ScenarioSet | None = None,
    config: str | Path | None = None,
    png_dir: str | Path | None = None,
    emissions: str | Path | Sequence[str | Path] | None = None,
    carbon_prices: str | Path | None = None,
) -> None:
    """Raise unless the scenario workbook ``output`` can be written (.xlsx, none of the run's
    inputs (:func:`scenario_inputs`), not existing without ``force``) and the charts ``png_dir``
    too (matplotlib installed, the folder writable: ``scenario_report.check_png_output``)."""
    from cbam_calc.outputs.writers import check_output, require_suffix

    require_suffix(output, (".xlsx",), Message("M_OUT_SCENARIO_WORKBOOK"))
    read = [
        *scenario_inputs(input, scenario_set, config),
        *(_paths(emissions) if emissions is not None else []),
        carbon_prices,
    ]
    if output is not None:
        check_output(output, read, force)
    if png_dir is not None:
        from cbam_calc.outputs.scenario_report import check_png_output

        check_png_output(png_dir, force=force, inputs=read)


def scenario_to_files(
    input: str | Path,
    scenario_set: ScenarioSet,
    options: CalcOptions | None = None,
    *,
    sheet: str | None = None,
    output: str | Path | None = None,
    png_dir: str | Path | None = None,
    force: bool = False,
    on_written: OnWritten | None = None,
    config: str | Path | None = None,
    emissions: str | Path | Sequence[str | Path] | None = None,
    evidenced: str | Sequence[str] | None = None,
    carbon_prices: str | Path | None = None,
    lang: str = "en",
) -> ScenarioResult:
    """Run every scenario of ``scenario_set`` on a shipments file in every year, and write the
    scenario workbook and charts: ``cbam scenario``.

    Parameters
    ----------
    scenario_set : ScenarioSet
        From ``compute.scenario_set.scenario_set_from_options`` (the command's options),
        ``load_config`` (a YAML file), ``sweep`` or ``default_scenarios``.
    options : CalcOptions, optional
        Only ``fx``, ``de_minimis`` and ``ignore_destination`` apply; the scenarios set the rest.
    output : path, optional
        The scenario workbook (.xlsx: tables, native Excel charts, and the Run sheet
        ``cbam calc --check`` reads).
    png_dir : path, optional
        A folder for the charts as PNG images (needs matplotlib: cbam-calc[charts]).
    config : path, optional
        The scenario file ``scenario_set`` was loaded from: no output may replace it.
    emissions, evidenced : optional
        Installations' communication templates joined to the lines once, before the scenarios
        (see :func:`calc_to_files`): their SEE are the lines' actual data in every scenario, year
        and in the actual-versus-default table.
    lang : str
        ``en`` or ``zh``: the language of the scenario workbook (headers, names, charts).

    Returns the :class:`~cbam_calc.compute.scenarios.ScenarioResult` (its ``table``: one row per
    scenario and year). NothingComputedError when every row of the file is rejected.
    """
    from cbam_calc.compute.scenario_set import ScenarioSet
    from cbam_calc.compute.scenarios import run_scenarios
    from cbam_calc.core.errors import NothingComputedError
    from cbam_calc.inputs.readers import read_table
    from cbam_calc.inputs.validate import validate
    from cbam_calc.law.reference import reference_data
    from cbam_calc.outputs.scenario_report import write_scenario_png, write_scenario_xlsx

    options = arguments.entry(locals())
    arguments.instance(
        "scenario_set", scenario_set, ScenarioSet, "a ScenarioSet (scenario_set_from_options)", optional=False
    )
    read = [
        *scenario_inputs(input, scenario_set, config),
        *(_paths(emissions) if emissions is not None else []),
        carbon_prices,
    ]
    check_scenario_outputs(
        input,
        output,
        force,
        scenario_set=scenario_set,
        config=config,
        png_dir=png_dir,
        emissions=emissions,
        carbon_prices=carbon_prices,
    )
    ref = reference_data()
    validated = validate(
        read_table(input, sheet, options.read),
        ref,
        ignore_destination=options.ignore_destination,
        read=options.read,
    )
    if validated.lines.empty:
        raise NothingComputedError(Message("E_NOTHING_COMPUTED_SCENARIO", file=str(input)))
    from cbam_calc.inputs.carbon_prices import carbon_price_tables

    tables = carbon_price_tables(
        input if validated.raw.price_sheet else None, carbon_prices, options.read
    )  # before the scenarios: a bad row stops the run with its file, row and column
    result = run_scenarios(
        validated,
        scenario_set,
        options,
        ref,
        templates=read_emissions(emissions),
        evidenced=evidenced,
        carbon_prices=tables,
    )
    if output is not None:
        from cbam_calc.outputs.run_record import make_scenario_record

        record = make_scenario_record(result, input, sheet, options, scenario_set)
        write_scenario_xlsx(result, output, lang=lang, inputs=read, force=force, record=record)
        _said(on_written, Written(Path(output), "scenario workbook"))
    if png_dir is not None:
        for p in write_scenario_png(result, png_dir, lang=lang, force=force, inputs=read):
            _said(on_written, Written(p, "chart"))
    return result
