"""The ``cbam`` command: a thin layer of options over the cbam_calc library.

One module per command (``calc``, ``explain``, ``report``, ``batch``, ``scenario``, ``template``,
``data``, ``emissions``):
each turns its options into one call of a documented library function and prints what it
returns; ``options`` holds what several commands share. This module holds the group and
``main``. Heavy modules (pandas, openpyxl, the engine) are imported inside the commands, so
``cbam --help`` starts at once. No Python traceback reaches a user: errors print one line and set
the exit code (1 nothing computed, 2 bad input or option, 70 internal error; set CBAM_DEBUG=1 for
a traceback).
"""

from __future__ import annotations

import os
import signal
import sys
import threading

import click

from cbam_calc.cli import batch, calc, data, emissions, explain, report, scenario, template

EXIT_INTERNAL = 70
EXIT_TERMINATED = 128 + signal.SIGTERM  # 143, as a shell reports a run ended by SIGTERM


class Terminated(KeyboardInterrupt):
    """SIGTERM, raised in the main thread as Ctrl-C is: every ``finally`` and ``except
    BaseException`` runs, so a half-written output's temporary file is removed as on Ctrl-C."""


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


COMMANDS = (
    calc.calc,
    explain.explain,
    report.report,
    batch.batch,
    scenario.scenario,
    template.template,
    data.data,
    emissions.emissions,
)
for _command in COMMANDS:
    cli.add_command(_command)


def run() -> None:
    """The ``cbam`` script and ``python -m cbam_calc``: :func:`main`, then the end of the process."""
    end_process(main())


def end_process(code: int) -> None:
    """End the process with ``code``, at once where the interpreter has nothing left to do but
    free memory: a million-line run holds some 900 MB in a few hundred thousand objects, and
    freeing them one by one at exit took 0.3 s of the 4 s of `cbam calc` (bench/README.md).

    Every output is already written, closed and renamed into place by then
    (outputs.writers.atomic_write); what the interpreter's exit would still run is flushed here:
    the standard streams and logging's handlers. It exits the ordinary way (every object freed,
    every atexit hook run) when another thread is alive, a child process was started
    (multiprocessing, dask), a stream cannot be flushed (a closed pipe: Python's own message
    then), or CBAM_SLOW_EXIT is set."""
    if os.environ.get("CBAM_SLOW_EXIT") or threading.active_count() > 1 or "distributed" in sys.modules:
        sys.exit(code)
    if "multiprocessing" in sys.modules and sys.modules["multiprocessing"].active_children():
        sys.exit(code)
    try:
        for stream in (sys.stdout, sys.stderr):
            if stream is not None:
                stream.flush()
    except (OSError, ValueError):
        sys.exit(code)
    if "logging" in sys.modules:
        sys.modules["logging"].shutdown()
    os._exit(code)


def main(argv: list[str] | None = None) -> int:
    """The command with its arguments (``sys.argv`` when None): one-line errors, meaningful exit
    codes returned, never raised, so that Python code and tests can call it."""
    from cbam_calc.core.runtime import tune_for_batch_work

    tune_for_batch_work()
    previous = _terminate_like_interrupt()
    try:
        return _main(argv)
    finally:
        if previous is not None:  # main() called from Python: its caller's handler again
            signal.signal(signal.SIGTERM, previous)
        if "cbam_calc.inputs.csv_arrow" in sys.modules:  # no reader thread outlives the command
            sys.modules["cbam_calc.inputs.csv_arrow"].settle()


def _terminate_like_interrupt():
    """SIGTERM raises :class:`Terminated` in this process (not in a child it forked, which ends as
    SIGTERM ends a process). Returns the handler it replaced (None off the main thread)."""
    if threading.current_thread() is not threading.main_thread():
        return None
    pid = os.getpid()

    def handler(signum, frame):
        if os.getpid() != pid:  # a forked child: the default action
            signal.signal(signal.SIGTERM, signal.SIG_DFL)
            os.kill(os.getpid(), signal.SIGTERM)
            return
        raise Terminated()

    return signal.signal(signal.SIGTERM, handler)


def _main(argv: list[str] | None) -> int:
    try:
        code = cli.main(args=argv, prog_name="cbam", standalone_mode=False)
        return code if isinstance(code, int) else 0  # click returns an Exit's code here
    except click.exceptions.Exit as e:
        return e.exit_code
    except click.ClickException as e:
        lang = _lang_of(argv)
        if lang != "en" and hasattr(e.message, "text"):  # our usage errors are message codes
            click.echo(_usage_error_line(e, lang), err=True)
        else:
            e.show()
        return e.exit_code
    except click.Abort as e:  # click turns Ctrl-C (and so SIGTERM) into Abort
        if isinstance(e.__cause__, Terminated):
            _say("M_CLI_TERMINATED", argv)
            return EXIT_TERMINATED
        _say("M_CLI_ABORTED", argv)
        return 130
    except Terminated:
        _say("M_CLI_TERMINATED", argv)
        return EXIT_TERMINATED
    except KeyboardInterrupt:
        _say("M_CLI_INTERRUPTED", argv)
        return 130
    except Exception as e:
        from cbam_calc.core.errors import CbamError

        if isinstance(e, CbamError):
            lang = _lang_of(argv)
            click.echo(_error_line(e, lang), err=True)
            return e.exit_code
        if os.environ.get("CBAM_DEBUG"):
            raise
        _say("M_CLI_INTERNAL_ERROR", argv, kind=type(e).__name__, error=str(e))
        return EXIT_INTERNAL


def _say(code: str, argv: list[str] | None, **params) -> None:
    """One line on stderr in the run's --lang: how a run ended that is not an error of the input."""
    from cbam_calc.core.messages import Message

    click.echo(Message(code, **params).text(_lang_of(argv)), err=True)


def _lang_of(argv: list[str] | None) -> str:
    """The --lang of the command line (``en`` where none is given or it is not one cbam-calc
    speaks): an error may be raised before click has parsed the options, or while it parses them."""
    from cbam_calc.core.labels import LANGS

    args = list(sys.argv[1:] if argv is None else argv)
    for i, arg in enumerate(args):
        value = args[i + 1] if arg == "--lang" and i + 1 < len(args) else arg.partition("=")[2]
        if (arg == "--lang" or arg.startswith("--lang=")) and value in LANGS:
            return value
    return "en"


def _usage_error_line(e, lang: str) -> str:
    """A usage error of ours (click.BadParameter, click.UsageError raised with a message code) as
    ``error: --option: <message>`` in ``lang``; click shows it in English (e.show())."""
    from cbam_calc.core.labels import label
    from cbam_calc.core.messages import Message

    hint = getattr(e, "param_hint", None)
    if hint is None and getattr(e, "param", None) is not None:
        hint = e.param.get_error_hint(e.ctx)
    if isinstance(hint, (list, tuple)):
        hint = " / ".join(hint)
    text = Message("M_USAGE_HINT", hint=hint, message=e.message) if hint else e.message
    return f"{label('error_prefix', lang)}{text.text(lang)}"


def _error_line(e, lang: str) -> str:
    """``error: <message>`` in ``lang``."""
    if lang == "en":
        return f"error: {e}"
    from cbam_calc.core.labels import label

    return f"{label('error_prefix', lang)}{e.text(lang)}"


if __name__ == "__main__":
    run()
