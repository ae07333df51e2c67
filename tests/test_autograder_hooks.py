"""The seams other parts plug into: the sandbox's kernel wrapper and the
progress display."""

from __future__ import annotations

import io
import sys
import types
from pathlib import Path

import nbformat
import own_loop  # noqa: E402

from autograder import grade_notebook
from autograder.isolation import kernel
from autograder.isolation.cells import run_cell
from autograder.progress import Progress
from autograder.result import CellScore, NotebookResult, Result


def fake_sandbox(calls: list) -> types.ModuleType:
    module = types.ModuleType("autograder.sandbox")

    def wrap_kernel_command(argv, *, workdir, connection_dir, mpl_seed=()):
        calls.append(("wrap", list(argv), Path(workdir), Path(connection_dir)))
        return ["env", "SANDBOXED=yes", *argv]

    def kernel_env(env):
        calls.append(("env", "OPENBLAS_NUM_THREADS" in env))
        return {**env, "FROM_SANDBOX": "1"}

    module.wrap_kernel_command = wrap_kernel_command
    module.matplotlib_font_cache = lambda python: ()
    module.kernel_env = kernel_env
    return module


def test_kernel_launch_goes_through_the_sandbox(tmp_path, monkeypatch):
    calls: list = []
    sandbox = fake_sandbox(calls)
    monkeypatch.setattr(kernel, "sandbox", sandbox)
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
    pids: list[int] = []

    async def run():
        km, client = await grade_notebook.start_kernel(
            workdir, conn, None, 30, pids.append
        )
        try:
            return km, await run_cell(client, nb.cells[0].source, timeout=30)
        finally:
            client.stop_channels()
            await km.shutdown_kernel(now=True)

    km, ran = own_loop.run(run())
    nb.cells[0].outputs = ran.outputs
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


def test_kernels_run_this_python_whatever_the_notebook_names(tmp_path):
    km = kernel.GradingKernelManager(connection_dir=str(tmp_path / "c"))
    assert km.kernel_spec.argv[:2] == [sys.executable, "-c"]
    assert km.kernel_spec.interrupt_mode == "message"


def test_progress_plain_lines_and_live_bar():
    plain = io.StringIO()
    progress = Progress(2, plain)
    result = Result(
        "ann",
        "graded",
        duration=1.25,
        notebooks={"nb": NotebookResult("graded", {"t": CellScore(1.0, 2.0, "")})},
    )
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
