"""Grading throughput: `python -m autograder grade` against plain nbgrader.

Grades the same 100 submissions of one assignment three ways, each in a fresh
copy of the same course directory:

- baseline: `nbgrader autograde <assignment>`, serial, nbgrader's defaults;
- `python -m autograder grade --jobs 1`;
- `python -m autograder grade --jobs 2`.

The class mixes correct notebooks (the source's solutions), stubs (the
student version as released) and half-done ones (every other solution), so
tests pass and fail. It also checks that both pipelines give every student
the same score. Then it times one kernel start, stock and as the autograder
starts it, and nbgrader's start-up, to show where the time goes.

    .venv/bin/python benchmarks/grading.py [--submissions 100] [--rounds 1]

Writes benchmarks/results/grading.json. The machine is shared: wall-clock
figures move with other people's load, CPU seconds much less.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import resource
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results" / "grading.json"
PYTHON = sys.executable
BIN = str(Path(PYTHON).parent)


def pick_assignment(name: str | None) -> tuple[str, Path]:
    """The first real assignment if the exercises exist, else the test fixture."""
    if name:
        for folder in (ROOT / "exercises", ROOT / "tests" / "autograder_fixture"):
            if (folder / name).is_dir():
                return name, folder
        raise SystemExit(
            f"no assignment {name} in exercises/ or tests/autograder_fixture/"
        )
    if (ROOT / "exercises" / "a1_l2_penalty").is_dir():
        return "a1_l2_penalty", ROOT / "exercises"
    return "toy_l2", ROOT / "tests" / "autograder_fixture"


def strip_markers(source: str) -> str:
    lines = [
        line
        for line in source.splitlines()
        if not re.match(r"\s*### (BEGIN|END) SOLUTION", line)
    ]
    return "\n".join(lines)


def make_class(source_nb: Path, release_nb: Path, count: int, folder: Path) -> None:
    """`count` submissions: correct, stub, and half-done, in turn."""
    source = nbformat.read(source_nb, as_version=4)
    solutions = {
        cell.metadata.nbgrader["grade_id"]: strip_markers(cell.source)
        for cell in source.cells
        if cell.metadata.get("nbgrader", {}).get("solution")
    }
    released = nbformat.read(release_nb, as_version=4)
    kinds = ["correct", "stub", "half"]
    for number in range(count):
        kind = kinds[number % 3]
        nb = nbformat.from_dict(json.loads(json.dumps(released)))
        answered = 0
        for cell in nb.cells:
            grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
            if grade_id not in solutions:
                continue
            if kind == "correct" or (kind == "half" and answered % 2 == 0):
                cell.source = solutions[grade_id]
            answered += 1
        target = folder / f"student{number:03d}" / release_nb.name
        target.parent.mkdir(parents=True, exist_ok=True)
        nbformat.write(nb, target)


def run(cmd: list[str], cwd: Path, env: dict) -> tuple[float, float]:
    """Wall and CPU seconds (the command and everything it started)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        print(done.stdout[-2000:], done.stderr[-4000:], sep="\n")
        raise SystemExit(f"failed: {' '.join(cmd)}")
    cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    return wall, cpu


def scores(db: Path, assignment: str) -> dict[str, float]:
    """Each student's total auto score, straight from nbgrader's tables."""
    query = """
        SELECT submitted_assignment.student_id, SUM(grade.auto_score)
        FROM grade
        JOIN submitted_notebook ON grade.notebook_id = submitted_notebook.id
        JOIN submitted_assignment
             ON submitted_notebook.assignment_id = submitted_assignment.id
        JOIN assignment ON submitted_assignment.assignment_id = assignment.id
        WHERE assignment.name = ?
        GROUP BY submitted_assignment.student_id
    """
    with sqlite3.connect(db) as connection:
        return {
            s: round(v or 0.0, 6) for s, v in connection.execute(query, (assignment,))
        }


def timings(db: Path, assignment: str) -> dict[str, float]:
    """Mean per-submission phase times recorded by the autograder."""
    with sqlite3.connect(db) as connection:
        rows = [
            json.loads(detail).get("timings", {})
            for (detail,) in connection.execute(
                "SELECT detail FROM autograder_result WHERE assignment = ?",
                (assignment,),
            )
        ]
    keys = sorted({key for row in rows for key in row})
    return {
        key: round(sum(r.get(key, 0.0) for r in rows) / len(rows), 3) for key in keys
    }


def kernel_start_costs(rounds: int = 8) -> dict[str, dict[str, float]]:
    """Wall and CPU seconds from launching a kernel to its first kernel_info
    reply: stock ipykernel, and the autograder's trimmed launch."""
    from jupyter_client.blocking import BlockingKernelClient
    from jupyter_client.connect import write_connection_file

    from autograder.isolation.kernel import KERNEL_PROGRAM

    variants = {
        "stock ipykernel": [PYTHON, "-m", "ipykernel_launcher"],
        "autograder kernel": [PYTHON, "-c", KERNEL_PROGRAM],
    }
    out = {}
    for name, argv in variants.items():
        wall = cpu = 0.0
        for _ in range(rounds):
            folder = tempfile.mkdtemp(prefix="agbench-")
            connection, _ = write_connection_file(
                os.path.join(folder, "k.json"),
                transport="ipc",
                ip=os.path.join(folder, "k"),
            )
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            start = time.perf_counter()
            process = subprocess.Popen(
                [*argv, "-f", connection],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            client = BlockingKernelClient(connection_file=connection)
            client.load_connection_file()
            client.start_channels()
            client.kernel_info()
            client.get_shell_msg(timeout=60)
            wall += time.perf_counter() - start
            client.stop_channels()
            process.kill()
            process.wait()
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpu += (after.ru_utime + after.ru_stime) - (
                before.ru_utime + before.ru_stime
            )
            shutil.rmtree(folder, ignore_errors=True)
        out[name] = {"wall_s": round(wall / rounds, 3), "cpu_s": round(cpu / rounds, 3)}
    return out


CHANNEL_STUDENT = """import numpy as np
def penalty(w, lam):
    return float(lam * np.sum(np.asarray(w) ** 2))
def apply(f, w):
    return f(w)
"""
CHANNEL_TEST = """import time
start = time.perf_counter()
for _ in range({calls}):
    penalty(np.ones(5), 0.5)
middle = time.perf_counter()
for _ in range({calls}):
    apply(lambda v: 1.0, np.ones(5))
end = time.perf_counter()
print((middle - start) / {calls} * 1000, (end - middle) / {calls} * 1000)
"""


def channel_call_costs(calls: int = 200) -> dict[str, float]:
    """Milliseconds per call from a test in the trusted kernel to a student's
    function, and per call that makes one callback: both kernels sandboxed,
    through `autograder.grade_notebook.execute` as grading runs them."""
    import asyncio

    from nbformat.v4 import new_code_cell, new_notebook

    from autograder.grade_notebook import execute

    def cell(source: str, grade_id: str, test: bool):
        meta = {"grade": test, "solution": not test, "grade_id": grade_id}
        return new_code_cell(source, metadata={"nbgrader": {**meta, "points": 1}})

    nb = new_notebook(
        cells=[
            cell(CHANNEL_STUDENT, "answers", False),
            cell(CHANNEL_TEST.format(calls=calls), "timing", True),
        ]
    )
    scratch = Path(tempfile.mkdtemp(prefix="ag-"))
    (scratch / "work").mkdir()
    try:
        asyncio.run(
            execute(
                nb,
                workdir=scratch / "work",
                scratch=scratch,
                setup_cells=["import numpy as np"],
                cell_timeout=300,
                deadline=time.monotonic() + 600,
                sandbox_options=None,
            )
        )
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    printed = "".join(o.get("text", "") for o in nb.cells[1].outputs).split()
    call, callback = (float(x) for x in printed[:2])
    return {
        "call_ms": round(call, 2),
        "call_with_one_callback_ms": round(callback, 2),
        "load_average": [round(x, 2) for x in os.getloadavg()],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--assignment", help="default: a1_l2_penalty, else toy_l2")
    parser.add_argument("--submissions", type=int, default=100)
    parser.add_argument(
        "--rounds", type=int, default=1, help="repeat and keep the best"
    )
    parser.add_argument("--output", type=Path, default=RESULTS)
    args = parser.parse_args()

    load_at_start = [round(x, 2) for x in os.getloadavg()]
    assignment, exercises = pick_assignment(args.assignment)
    env = {**os.environ, "PATH": BIN + os.pathsep + os.environ.get("PATH", "")}
    work = Path(tempfile.mkdtemp(prefix="grading-bench-"))
    try:
        template = work / "course"
        subprocess.run(
            [
                PYTHON,
                "-m",
                "autograder",
                "release",
                assignment,
                "--no-check",
                "--course-dir",
                str(template),
                "--exercises",
                str(exercises),
            ],
            check=True,
            env=env,
            capture_output=True,
        )
        notebook = next((template / "source" / assignment).glob("*.ipynb"))
        release_nb = template / "release" / assignment / notebook.name
        make_class(notebook, release_nb, args.submissions, work / "class")

        def fresh(name: str) -> Path:
            course = work / name
            if course.exists():
                shutil.rmtree(course)
            shutil.copytree(template, course)
            return course

        results: dict[str, dict] = {}
        agreements = {}
        for _ in range(args.rounds):
            # baseline: submissions where nbgrader expects them, then autograde
            course = fresh("baseline")
            shutil.copytree(work / "class", course / "submitted")
            for student in (course / "submitted").iterdir():
                (student / assignment).mkdir()
                for nb in list(student.glob("*.ipynb")):
                    nb.rename(student / assignment / nb.name)
            wall, cpu = run(["nbgrader", "autograde", assignment], course, env)
            _keep_best(
                results, "nbgrader autograde (serial)", wall, cpu, args.submissions
            )
            baseline_scores = scores(course / "gradebook.db", assignment)

            for jobs in (1, 2):
                course = fresh(f"jobs{jobs}")
                wall, cpu = run(
                    [
                        PYTHON,
                        "-m",
                        "autograder",
                        "grade",
                        assignment,
                        str(work / "class"),
                        "--course-dir",
                        str(course),
                        "--exercises",
                        str(exercises),
                        "--jobs",
                        str(jobs),
                    ],
                    ROOT,
                    env,
                )
                key = f"autograder --jobs {jobs}"
                _keep_best(results, key, wall, cpu, args.submissions)
                ours = scores(course / "gradebook.db", assignment)
                agreements[key] = ours == baseline_scores
                results[key]["phases_s"] = timings(course / "gradebook.db", assignment)

        # nbgrader's own start-up: the same command with nothing to grade
        course = fresh("startup")
        (course / "submitted").mkdir(exist_ok=True)
        start_wall, start_cpu = _startup(course, assignment, env)

        base = results["nbgrader autograde (serial)"]
        for entry in results.values():
            entry["speedup_vs_baseline"] = round(
                entry["submissions_per_minute"] / base["submissions_per_minute"], 2
            )
        report = {
            "assignment": assignment,
            "submissions": args.submissions,
            "mix": "1/3 correct, 1/3 stub as released, 1/3 every other solution",
            "machine": {
                "cores": os.cpu_count(),
                "python": platform.python_version(),
                # 1-, 5- and 15-minute load: other people's work on the same cores
                "load_average_at_start": load_at_start,
                "load_average_at_end": [round(x, 2) for x in os.getloadavg()],
            },
            "runs": results,
            "same_scores_as_nbgrader": agreements,
            "where_the_time_goes": {
                "nbgrader_app_startup_s": {"wall": start_wall, "cpu": start_cpu},
                "kernel_start_to_first_reply": kernel_start_costs(),
                "trusted_to_student_channel": channel_call_costs(),
            },
        }
        args.output.parent.mkdir(parents=True, exist_ok=True)
        args.output.write_text(json.dumps(report, indent=2) + "\n")
        print(json.dumps(report, indent=2))
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _startup(course: Path, assignment: str, env: dict) -> tuple[float, float]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(
        ["nbgrader", "autograde", assignment], cwd=course, env=env, capture_output=True
    )
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    return round(wall, 2), round(cpu, 2)


def _keep_best(results: dict, key: str, wall: float, cpu: float, count: int) -> None:
    entry = {
        "wall_s": round(wall, 2),
        "cpu_s": round(cpu, 2),
        "submissions_per_minute": round(60 * count / wall, 1),
        "cpu_s_per_submission": round(cpu / count, 3),
    }
    if key not in results or results[key]["wall_s"] > entry["wall_s"]:
        results[key] = entry


if __name__ == "__main__":
    main()
