"""Progress for a grading run: a live bar on a terminal, plain lines otherwise."""

from __future__ import annotations

import shutil
import sys
import time
from typing import TextIO

from .result import Result


def _clock(seconds: float) -> str:
    seconds = max(0, int(round(seconds)))
    return f"{seconds // 60}:{seconds % 60:02d}"


class Progress:
    """Counts of finished submissions by status, with an ETA.

    On a TTY one line is redrawn in place; otherwise (logs, CI, pipes) each
    finished submission prints one line that stays readable in a file.
    """

    def __init__(self, total: int, stream: TextIO | None = None) -> None:
        self.total = total
        self.stream = stream or sys.stderr
        self.live = self.stream.isatty()
        self.done = 0
        self.counts: dict[str, int] = {}
        self.started = time.monotonic()
        self._last_draw = 0.0

    def eta(self) -> str:
        if self.done == 0:
            return "?"
        elapsed = time.monotonic() - self.started
        return _clock(elapsed / self.done * (self.total - self.done))

    def finished(self, result: Result) -> None:
        self.done += 1
        status = result.status
        self.counts[status] = self.counts.get(status, 0) + 1
        if self.live:
            self.draw(force=True)
            return
        width = len(str(self.total))
        score = ""
        cells = result.cells()
        if cells:
            got = sum(cell.score for cell in cells)
            score = f" {got:g}/{sum(cell.max_score for cell in cells):g}"
        seconds = result.duration
        took = f" in {seconds:.1f} s" if seconds else ""
        print(
            f"[{self.done:>{width}}/{self.total}] {result.student_id}: "
            f"{status}{score}{took} (ETA {self.eta()})",
            file=self.stream,
            flush=True,
        )

    def draw(self, force: bool = False) -> None:
        if not self.live:
            return
        now = time.monotonic()
        if not force and now - self._last_draw < 0.2:
            return
        self._last_draw = now
        columns = shutil.get_terminal_size((80, 20)).columns
        counts = "  ".join(f"{k} {v}" for k, v in sorted(self.counts.items()))
        tail = f" {self.done}/{self.total}  {counts}  ETA {self.eta()}"
        bar_width = max(10, min(40, columns - len(tail) - 3))
        filled = int(bar_width * self.done / max(1, self.total))
        line = "[" + "#" * filled + "." * (bar_width - filled) + "]" + tail
        self.stream.write("\r" + line[: columns - 1].ljust(columns - 1))
        self.stream.flush()

    def close(self) -> None:
        if self.live:
            self.draw(force=True)
            self.stream.write("\n")
            self.stream.flush()
