"""What grading one submission gives back: one typed object, built once.

A worker (a forked process today, a Dask worker tomorrow) returns a `Result`
to the main process, which writes it to the gradebook. Everything in it is
plain data, so it pickles.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field


@dataclass
class CellScore:
    score: float
    max_score: float
    outcome: str  # the sentence the student reads: "passed", "failed: ..."


@dataclass
class NotebookResult:
    status: str  # graded | error | missing | kernel_died | timeout
    cells: dict[str, CellScore] = field(default_factory=dict)  # by grade_id
    comments: dict[str, str | None] = field(default_factory=dict)


@dataclass
class Result:
    student_id: str
    status: str  # graded | error | kernel_died | timeout
    reason: str = ""
    notebooks: dict[str, NotebookResult] = field(default_factory=dict)
    flags: list[str] = field(default_factory=list)
    fingerprint: str = ""
    timestamp: str | None = None
    duration: float | None = None
    timings: dict[str, float] = field(default_factory=dict)
    # the trusted kernel this worker used must be replaced before reuse
    trusted_dirty: bool = False

    def cells(self) -> list[CellScore]:
        return [cell for nb in self.notebooks.values() for cell in nb.cells.values()]

    def detail(self) -> dict:
        """What the gradebook keeps beside nbgrader's own tables (JSON)."""
        return {
            "notebooks": {name: asdict(nb) for name, nb in self.notebooks.items()},
            "timings": self.timings,
        }
