"""Work done in worker processes so that a crash of one task is that task's failure, not the run's.

A spreadsheet reader is native code: a hostile or damaged workbook can make it abort (SIGABRT on
a failed allocation), segfault, or be killed by the kernel for its memory. In the process that
runs the batch that would end the batch and lose every other member's figures, so ``cbam batch``
reads such members in worker processes. ``concurrent.futures.ProcessPoolExecutor`` cannot say
which task killed a worker (the whole pool breaks and every pending future fails), so this is a
small pool of its own: each worker is given one task at a time and the parent always knows which
task each worker holds. A worker that dies holding a task gives that task's :class:`Crashed`
(with its exit code or signal); a new worker takes the next task. The cost over a plain pool is
nothing: one pipe message per task each way.
"""

from __future__ import annotations

import contextlib
import os
import signal
import tempfile
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from multiprocessing.connection import wait

READY = "ready"


@dataclass(frozen=True)
class Crashed:
    """A task whose worker process died while computing it; ``said``: the first line the worker
    wrote to standard error for that task (a native reader's last words, e.g. "memory allocation
    of 549755813888 bytes failed")."""

    exitcode: int | None
    said: str = ""

    def reason(self) -> str:
        code = self.exitcode
        if code is not None and code < 0:
            try:
                name = signal.Signals(-code).name
            except ValueError:
                name = "unknown"
            what = f"signal {-code}, {name}"
            if -code == signal.SIGKILL:
                what += ": killed, most likely for using too much memory"
        else:
            what = f"exit code {code}"
        return f"{what}: {self.said}" if self.said else what


@dataclass(frozen=True)
class Failed:
    """A task whose function raised in the worker, or whose result could not be sent back."""

    error: str


class WorkersUnavailable(RuntimeError):
    """Worker processes could not start here (no task had been given to one): the caller computes
    the tasks of :attr:`pending` another way."""

    def __init__(self, why: str, pending: list[int]) -> None:
        super().__init__(why)
        self.pending = pending


def _serve(conn, fn: Callable, stderr_path: str) -> None:
    """A worker: says it is ready, then computes the tasks it is sent until it is sent None. Its
    standard error goes to ``stderr_path``, emptied at each task: a crashing reader's backtrace
    is not the user's to read; its first line becomes part of the task's :class:`Crashed`."""
    err = os.open(stderr_path, os.O_WRONLY | os.O_TRUNC)
    os.dup2(err, 2)
    os.close(err)
    conn.send(READY)
    while True:
        task = conn.recv()
        if task is None:
            return
        i, args = task
        os.ftruncate(2, 0)
        os.lseek(2, 0, os.SEEK_SET)
        try:
            result = fn(*args)
        except Exception as e:  # the parent records it as the task's failure
            conn.send((i, Failed(f"{type(e).__name__}: {e}")))
            continue
        try:
            conn.send((i, result))
        except Exception as e:  # e.g. a result that cannot be pickled
            conn.send((i, Failed(f"its result could not be sent back ({type(e).__name__}: {e})")))


class _Worker:
    def __init__(self, ctx, fn: Callable) -> None:
        fd, self.stderr_path = tempfile.mkstemp(prefix="cbam-worker-", suffix=".err")
        os.close(fd)
        self.conn, child = ctx.Pipe()
        self.proc = ctx.Process(target=_serve, args=(child, fn, self.stderr_path), daemon=True)
        try:
            self.proc.start()
        except BaseException:
            self.discard()
            raise
        child.close()
        self.ready = False
        self.task: int | None = None

    def first_words(self) -> str:
        """The first line the worker wrote to standard error for its last task, at most 200
        characters."""
        try:
            with open(self.stderr_path, "rb") as f:
                head = f.read(2000).decode("utf-8", "replace")
        except OSError:
            return ""
        lines = [ln.strip() for ln in head.splitlines() if ln.strip()]
        return lines[0][:200] if lines else ""

    def discard(self) -> None:
        with contextlib.suppress(OSError):
            os.unlink(self.stderr_path)


class IsolatedRunner:
    """Runs ``fn(*tasks[i])`` for every ``i`` in at most ``workers`` worker processes of ``ctx``;
    :meth:`results` yields ``(i, result)``, the result a :class:`Crashed` or :class:`Failed` where
    the task did not give one. Tasks are handed out in the order given."""

    def __init__(self, fn: Callable, tasks: dict[int, tuple], workers: int, ctx) -> None:
        self.fn = fn
        self.tasks = tasks
        self.workers = max(1, workers)
        self.ctx = ctx
        self.pending: deque[int] = deque(tasks)
        self.active: list[_Worker] = []
        self.started_ok = False

    @property
    def finished(self) -> bool:
        return not self.pending and all(w.task is None for w in self.active)

    def _give(self, w: _Worker) -> None:
        i = self.pending.popleft()
        w.task = i
        w.conn.send((i, self.tasks[i]))

    def _fill(self) -> None:
        for w in self.active:
            if w.task is None and self.pending:
                self._give(w)
        while self.pending and len(self.active) < self.workers:
            try:
                w = _Worker(self.ctx, self.fn)
            except OSError as e:
                if not self.active:
                    raise WorkersUnavailable(f"{type(e).__name__}: {e}", list(self.pending)) from e
                return  # the workers already running go on with the rest
            self.active.append(w)
            self._give(w)

    def results(self, block: bool = True) -> Iterator[tuple[int, object]]:
        """The results as they come; with ``block=False`` only those already there."""
        while not self.finished:
            self._fill()
            waiting = [w for w in self.active if w.task is not None]
            ready = set(wait([x for w in waiting for x in (w.conn, w.proc.sentinel)], None if block else 0))
            if not ready:
                return
            for w in waiting:
                if w.conn not in ready and w.proc.sentinel not in ready:
                    continue
                dead = w.proc.sentinel in ready
                try:
                    while w.task is not None and w.conn.poll():
                        msg = w.conn.recv()
                        if msg == READY:
                            w.ready = self.started_ok = True
                            continue
                        i, result = msg
                        w.task = None
                        yield i, result
                except (EOFError, OSError):
                    dead = True
                if dead and w.task is not None:
                    yield from self._died(w)

    def _died(self, w: _Worker) -> Iterator[tuple[int, object]]:
        w.proc.join()
        self.active.remove(w)
        w.conn.close()
        i, w.task = w.task, None
        if not w.ready and not self.started_ok:
            w.discard()  # no worker ever started: not this task's fault
            self.pending.appendleft(i)
            self.close()
            raise WorkersUnavailable(
                f"a worker process ended on start ({Crashed(w.proc.exitcode).reason()})", list(self.pending)
            )
        said = w.first_words()
        w.discard()
        yield i, Crashed(w.proc.exitcode, said)

    def close(self) -> None:
        """Stops the workers (those still holding a task are terminated)."""
        for w in self.active:
            try:
                if w.task is None:
                    w.conn.send(None)
                else:
                    w.proc.terminate()
            except OSError:
                w.proc.terminate()
        for w in self.active:
            w.proc.join(5)
            if w.proc.is_alive():
                w.proc.kill()
                w.proc.join()
            w.conn.close()
            w.discard()
        self.active = []
