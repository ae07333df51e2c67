"""grades.csv and report.html, rebuilt from the gradebook.

report.html is one self-contained file (plots are inline SVG, no scripts, no
links outside the course folder): a score histogram, each test's pass rate,
the slowest submissions, every submission that errored, and the flags.
"""

from __future__ import annotations

import csv
import io
import os
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

from ..course import AssignmentInfo, Course
from .gradebook import Row
from .pages import render

BASE_COLUMNS = ["student_id", "score", "max_score", "status", "reason", "flags"]
PROBLEM_STATUSES = ("error", "kernel_died", "timeout")


def write_csv(path: Path, info: AssignmentInfo, rows: list[Row]) -> None:
    """One row per submission; a column per autograded test cell (its score)."""
    test_columns = [info.column(cell) for cell in info.grade_cells]
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".csv.tmp")
    with tmp.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(BASE_COLUMNS + test_columns)
        for row in rows:
            writer.writerow(
                [
                    row.student_id,
                    f"{row.score:g}",
                    f"{row.max_score:g}",
                    row.status,
                    row.reason,
                    "; ".join(row.flags),
                ]
                + [f"{row.cells.get(column, 0.0):g}" for column in test_columns]
            )
    tmp.replace(path)


def write_html(
    path: Path, course: Course, info: AssignmentInfo, rows: list[Row]
) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".html.tmp")
    tmp.write_text(render_html(course, info, rows, path.parent), encoding="utf-8")
    tmp.replace(path)


# --- plots ----------------------------------------------------------------------
def _svg(figure) -> str:
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", bbox_inches="tight")
    text = buffer.getvalue()
    return text[text.index("<svg") :]  # drop the XML prolog: inline in HTML


def _figure(width: float, height: float):
    from matplotlib.figure import Figure

    return Figure(figsize=(width, height), dpi=100)


@contextmanager
def _style():
    """The course's figure style, without touching matplotlib's global state."""
    import matplotlib as mpl

    from l2course.figures.style import apply_course_style

    with mpl.rc_context({"svg.fonttype": "none", "svg.hashsalt": "report"}):
        apply_course_style()
        yield


def score_histogram(info: AssignmentInfo, rows: list[Row]) -> str:
    from l2course.figures.style import COLORS

    with _style():
        figure = _figure(6.4, 3.0)
        ax = figure.add_subplot()
        top = max(info.max_score, 1.0)
        bins = min(20, max(5, int(top)))
        ax.hist(
            [row.score for row in rows],
            bins=bins,
            range=(0, top),
            color=COLORS["data"],
            edgecolor="white",
        )
        ax.set_xlabel(f"score (out of {info.max_score:g})")
        ax.set_ylabel("submissions")
        ax.set_title(f"Scores of {len(rows)} submissions")
        return _svg(figure)


def pass_rates(info: AssignmentInfo, rows: list[Row]) -> tuple[str, list[tuple]]:
    """Share of submissions with full points on each test cell."""
    from l2course.figures.style import COLORS

    table = []
    for cell in info.grade_cells:
        column = info.column(cell)
        passed = sum(1 for row in rows if row.cells.get(column, 0.0) >= cell.max_score)
        table.append((column, cell.max_score, passed, len(rows)))
    with _style():
        figure = _figure(6.4, 0.45 * len(table) + 1.0)
        ax = figure.add_subplot()
        names = [name for name, *_ in table][::-1]
        rates = [100 * p / n if n else 0 for _, _, p, n in table][::-1]
        ax.barh(names, rates, color=COLORS["l1"])
        ax.set_xlim(0, 100)
        ax.set_xlabel("% of submissions with full points")
        for y, rate in enumerate(rates):
            ax.text(min(rate + 1, 92), y, f"{rate:.0f}%", va="center", fontsize=9)
        ax.set_title("Pass rate per test cell")
        return _svg(figure), table


def slowest(rows: list[Row], count: int = 10) -> tuple[str, list[Row]]:
    from l2course.figures.style import COLORS

    timed = sorted(
        (row for row in rows if row.duration is not None),
        key=lambda row: row.duration,
        reverse=True,
    )[:count]
    if not timed:
        return "", []
    with _style():
        figure = _figure(6.4, 0.4 * len(timed) + 1.0)
        ax = figure.add_subplot()
        ax.barh(
            [row.student_id for row in timed][::-1],
            [row.duration for row in timed][::-1],
            color=[
                COLORS["penalty"] if row.status != "graded" else COLORS["muted"]
                for row in timed
            ][::-1],
        )
        ax.set_xlabel("seconds to grade (kernel start + run + feedback)")
        ax.set_title(f"The {len(timed)} slowest submissions")
        return _svg(figure), timed


# --- page -------------------------------------------------------------------------
CSS = """
body { font-family: system-ui, sans-serif; max-width: 60rem; margin: 2rem auto;
       padding: 0 1rem; color: #111; }
table { border-collapse: collapse; margin: 0.5rem 0 1.5rem; }
th, td { border-bottom: 1px solid #ddd; padding: 0.25rem 0.6rem; text-align: left;
         vertical-align: top; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
.status-graded { color: #0a6b3b; } .status-error, .status-kernel_died,
.status-timeout { color: #b42318; font-weight: 600; }
figure { margin: 1rem 0; } figure svg { max-width: 100%; height: auto; }
.note { color: #555; }
"""


def render_html(
    course: Course, info: AssignmentInfo, rows: list[Row], here: Path
) -> str:
    counts: dict[str, int] = {}
    for row in rows:
        counts[row.status] = counts.get(row.status, 0) + 1
    scores = sorted(row.score for row in rows)
    context = {
        "name": info.name,
        "css": CSS,
        "db_path": str(course.db_path),
        "when": datetime.now().strftime("%Y-%m-%d %H:%M"),
        "rows": rows,
        "counts": sorted(counts.items()),
        "mean": sum(scores) / len(scores) if scores else 0.0,
        "median": scores[len(scores) // 2] if scores else 0.0,
        "max_score": info.max_score,
    }
    if rows:
        context["histogram"] = score_histogram(info, rows)
        context["rates_svg"], context["rates"] = pass_rates(info, rows)
        context["slowest_svg"], context["slowest"] = slowest(rows)
        context["problems"] = [r for r in rows if r.status in PROBLEM_STATUSES]
        context["flagged"] = [r for r in rows if r.flags]
        context["everyone"] = [
            (r, _feedback_link(course, info, r.student_id, here)) for r in rows
        ]
    return render("report.html.j2", **context)


def _feedback_link(course: Course, info: AssignmentInfo, student: str, here: Path):
    if not info.notebooks:
        return None
    page = course.feedback_dir(student, info.name) / f"{info.notebooks[0]}.html"
    if not page.exists():
        return None
    return os.path.relpath(page, here)
