"""The seams other parts plug into: the sandbox's kernel wrapper, the static
scan, and the progress display."""

from __future__ import annotations

import io
import json
import sys
import types
from pathlib import Path

import nbformat
import pytest
from jupyter_core.utils import run_sync

sys.path.insert(0, str(Path(__file__).resolve().parent))
import autograder_class as ac  # noqa: E402

from autograder import kernel, worker  # noqa: E402
from autograder.progress import Progress  # noqa: E402


def fake_sandbox(calls: list) -> types.ModuleType:
    module = types.ModuleType("autograder.sandbox")

    def wrap_kernel_command(argv, *, workdir, connection_dir):
        calls.append(("wrap", list(argv), Path(workdir), Path(connection_dir)))
        return ["env", "SANDBOXED=yes", *argv]

    def kernel_env(env):
        calls.append(("env", "OPENBLAS_NUM_THREADS" in env))
        return {**env, "FROM_SANDBOX": "1"}

    module.wrap_kernel_command = wrap_kernel_command
    module.kernel_env = kernel_env
    return module


def test_kernel_launch_goes_through_the_sandbox(tmp_path, monkeypatch):
    calls: list = []
    sandbox = fake_sandbox(calls)
    monkeypatch.setattr(
        kernel, "optional_module", lambda name: sandbox if name == "sandbox" else None
    )
    workdir, conn = tmp_path / "work", tmp_path / "c"
    workdir.mkdir()
    nb = nbformat.v4.new_notebook(
        cells=[
            nbformat.v4.new_code_cell(
                "import os\nprint(os.environ.get('SANDBOXED'), "
                "os.environ.get('FROM_SANDBOX'), os.getcwd())"
            )
        ]
    )
    km = kernel.GradingKernelManager(connection_dir=str(conn))
    pids: list[int] = []
    km.on_launch = pids.append
    executor = worker.GradeExecute(timeout=30)
    try:
        executor.preprocess(nb, {"metadata": {"path": str(workdir)}}, km=km)
    finally:
        run_sync(km.shutdown_kernel)(now=True)
    kind, argv, got_workdir, got_conn = calls[1] if calls[0][0] == "env" else calls[0]
    assert kind == "wrap"
    assert got_workdir == workdir and got_conn == conn
    assert argv[0] == sys.executable and "-f" in argv
    assert ("env", True) in calls, "kernel_env sees the autograder's defaults"
    assert nb.cells[0].outputs[0].text.split() == ["yes", "1", str(workdir)]
    info = km.get_connection_info()
    assert info["transport"] == "ipc", "IPC works across a network namespace"
    assert Path(km.connection_file).parent == conn
    assert Path(info["ip"]).parent == conn, "the IPC sockets live there too"
    assert pids and pids[0] > 0


def test_without_a_sandbox_module_the_plain_command_runs(monkeypatch, tmp_path):
    monkeypatch.setattr(kernel, "optional_module", lambda name: None)
    km = kernel.GradingKernelManager(connection_dir=str(tmp_path / "c"))
    assert km.kernel_spec.argv[:2] == [sys.executable, "-c"]
    assert km.kernel_spec.interrupt_mode == "message"


@pytest.mark.slow
def test_scan_flags_reach_grades_csv_and_report(tmp_path, monkeypatch):
    """With an autograder.scan module, its evidence lands in the flags column
    and report.html, without changing the score."""
    from autograder.course import Course
    from autograder.grading import grade
    from autograder.release import generate

    scan = types.ModuleType("autograder.scan")

    def scan_notebook(nb):
        text = "\n".join(cell.source for cell in nb.cells)
        return ["imports subprocess (cell 4)"] if "subprocess" in text else []

    scan.scan_notebook = scan_notebook
    monkeypatch.setattr(
        worker, "optional_module", lambda name: scan if name == "scan" else None
    )

    course = Course(tmp_path / "course", ac.FIXTURE_DIR, cell_timeout=5)
    generate(course, ac.ASSIGNMENT)
    released = ac.release_notebook(course.root)
    sneaky = {
        **ac.CORRECT,
        "l2_penalty": "import subprocess\n" + ac.CORRECT["l2_penalty"],
    }
    plan = {
        "honest": (
            f"{ac.ASSIGNMENT}.ipynb",
            json.dumps(ac._submission(released, ac.CORRECT)).encode(),
            None,
        ),
        "sneaky": (
            f"{ac.ASSIGNMENT}.ipynb",
            json.dumps(ac._submission(released, sneaky)).encode(),
            None,
        ),
    }
    folder = ac.write_class_folder(plan, tmp_path / "class")
    summary = grade(course, ac.ASSIGNMENT, folder, jobs=2, stream=io.StringIO())
    rows = (summary.outputs["grades"]).read_text().splitlines()
    sneaky_row = next(row for row in rows if row.startswith("sneaky,"))
    honest_row = next(row for row in rows if row.startswith("honest,"))
    assert "imports subprocess (cell 4)" in sneaky_row
    assert sneaky_row.split(",")[1] == honest_row.split(",")[1] == "5"
    report = summary.outputs["report"].read_text()
    flagged = report.split("Flagged for review")[1].split("<h2>")[0]
    assert "sneaky" in flagged and "imports subprocess" in flagged
    assert "honest" not in flagged


def test_progress_plain_lines_and_live_bar():
    plain = io.StringIO()
    progress = Progress(2, plain)
    result = {
        "student_id": "ann",
        "status": "graded",
        "duration": 1.25,
        "notebooks": {"nb": {"cells": {"t": {"score": 1.0, "max_score": 2.0}}}},
    }
    progress.finished(result)
    assert plain.getvalue().startswith("[1/2] ann: graded 1/2 in 1.2 s (ETA")

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    live = Terminal()
    progress = Progress(2, live)
    progress.finished(result)
    progress.close()
    text = live.getvalue()
    assert (
        text.startswith("\r[")
        and "1/2" in text
        and "ETA" in text
        and "graded 1" in text
    )
