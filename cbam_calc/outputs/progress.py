"""How a batch shows its progress on a terminal, and the line it ends with."""

from __future__ import annotations

import sys
import time

from cbam_calc.compute.batch import BatchResult, FileOutcome


class ProgressBar:
    """A one-line bar on a terminal's stderr, drawn once a run has lasted a second; nothing at
    all when stderr is not a terminal (logs and pipes stay clean)."""

    def __init__(self, stream=None, delay: float = 1.0, width: int = 30) -> None:
        self.stream = stream or sys.stderr
        self.enabled = bool(getattr(self.stream, "isatty", lambda: False)())
        self.delay, self.width = delay, width
        self.start = time.perf_counter()
        self.last = 0.0
        self.failed = 0
        self.drawn = False

    def __call__(self, done: int, total: int, outcome: FileOutcome) -> None:
        self.failed += outcome.status == "failed"
        if not self.enabled:
            return
        now = time.perf_counter()
        if now - self.start < self.delay or (now - self.last < 0.1 and done < total):
            return
        self.last = now
        filled = int(self.width * done / max(total, 1))
        bar = "#" * filled + "." * (self.width - filled)
        failed = f", {self.failed} failed" if self.failed else ""
        self.stream.write(f"\r[{bar}] {done}/{total} files{failed}, {now - self.start:.0f} s")
        self.stream.flush()
        self.drawn = True

    def close(self) -> None:
        if self.drawn:
            self.stream.write("\r\x1b[K")
            self.stream.flush()


def final_line(batch: BatchResult, lang: str = "en") -> str:
    """The last line on stderr: files, failures, lines, rejected lines and time."""
    if lang != "en":
        from cbam_calc.core.labels import label

        return label(
            "batch_final_line",
            lang,
            files=len(batch.files),
            failed=len(batch.failed),
            lines=f"{batch.lines:,}",
            rejected=f"{batch.rejected_total:,}",
            seconds=f"{batch.seconds:.1f}",
        )
    return (
        f"{len(batch.files)} files ({len(batch.failed)} failed), {batch.lines:,} lines, "
        f"{batch.rejected_total:,} rejected, {batch.seconds:.1f} s"
    )
