"""Execute one sanitized notebook: student cells in the student's kernel, test
cells in the trusted kernel (see `autograder/trusted/session.py`).

The notebook comes back with every cell's outputs filled in as nbgrader's
`determine_grade` expects: a test cell that failed, or never ran because the
student's kernel had died or hung, has an error output.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import stat
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import zmq.asyncio
from nbformat import NotebookNode
from nbformat.v4 import new_output

from . import defaults
from .isolation import sandbox
from .isolation.kernel import GradingKernelClient, GradingKernelManager
from .outputs import feedback
from .trusted.session import Relay, Stopped, StudentKernel, TrustedKernel


@dataclass
class Execution:
    status: str = "graded"  # graded | kernel_died | timeout | error
    reason: str = ""
    timings: dict[str, float] = field(default_factory=dict)
    evidence: list[str] = field(default_factory=list)
    trusted_dirty: bool = False


def is_test(cell: NotebookNode) -> bool:
    return feedback.is_autograded_test(cell)


def cell_label(nb: NotebookNode, index: int) -> str:
    if 0 <= index < len(nb.cells):
        grade_id = nb.cells[index].metadata.get("nbgrader", {}).get("grade_id")
        if grade_id:
            return f"cell '{grade_id}'"
        return f"cell {index + 1}"
    return "the first cell"


def _error(ename: str, evalue: str) -> NotebookNode:
    return new_output(
        "error", ename=ename, evalue=evalue, traceback=[f"{ename}: {evalue}"]
    )


def mark_not_run(nb: NotebookNode, start: int, ename: str, evalue: str) -> None:
    """Every test cell from `start` on gets an error output (so it scores 0:
    nbgrader gives a test cell without an error its full points)."""
    for cell in nb.cells[start:]:
        if is_test(cell) and not any(o.output_type == "error" for o in cell.outputs):
            cell.outputs = [_error(ename, evalue)]


def read_kernel_log(path: Path, max_chars: int = defaults.KERNEL_LOG_CHARS) -> str:
    """The end of a kernel's own stdout/stderr. The kernel could have replaced
    the file by a link to anything: it is opened without following links, and
    read only if it is a regular file."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError:
        return ""
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            return ""
        os.lseek(fd, max(0, info.st_size - max_chars), os.SEEK_SET)
        return os.read(fd, max_chars).decode("utf-8", errors="replace")
    finally:
        os.close(fd)


def _limited_folder(path: Path, size: int) -> bool:
    """Put a size-limited tmpfs on `path` (as root), so that a kernel cannot
    fill the host's disk through the folder its sockets live in."""
    if os.geteuid() != 0:
        return False
    try:
        import subprocess

        done = subprocess.run(
            [
                "mount",
                "-t",
                "tmpfs",
                "-o",
                f"size={size},mode=0700",
                "tmpfs",
                str(path),
            ],
            capture_output=True,
            timeout=10,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return False
    return done.returncode == 0


def _unmount(path: Path) -> None:
    import subprocess

    subprocess.run(
        ["umount", "-l", str(path)], capture_output=True, timeout=10, check=False
    )


def _folder_bytes(path: Path) -> int:
    total = 0
    for root, _dirs, files in os.walk(path):
        for name in files:
            try:
                total += os.lstat(os.path.join(root, name)).st_blocks * 512
            except OSError:
                pass
    return total


async def start_kernel(
    workdir: Path,
    conn_dir: Path,
    sandbox_options: dict | None,
    timeout: float,
    on_launch: Callable[[int], None] | None = None,
) -> tuple[GradingKernelManager, Any]:
    km = GradingKernelManager(
        connection_dir=str(conn_dir), sandbox_options=sandbox_options
    )
    km.context = zmq.asyncio.Context()
    if on_launch is not None:
        km.on_launch = on_launch
    await km.start_kernel(cwd=str(workdir))
    client = km.client()
    client.start_channels()
    await client.wait_for_ready(timeout=timeout)
    return km, client


async def connect_trusted(connection: dict, timeout: float) -> Any:
    """A client of a trusted kernel that another process started and owns,
    once its IOPub subscription is live (a fresh subscriber misses what is
    published before it joins, the end of a cell included)."""
    client = GradingKernelClient(context=zmq.asyncio.Context())
    client.load_connection_info(connection)
    client.start_channels()
    await client.wait_for_ready(timeout=timeout)
    return client


async def execute(
    nb: NotebookNode,
    *,
    workdir: Path,
    scratch: Path,
    setup_cells: list[str],
    test_sources: dict[str, str] | None = None,
    cell_timeout: float,
    deadline: float,
    sandbox_options: dict | None,
    trusted_connection: dict | None = None,
    on_kernel: Callable[[int], None] | None = None,
) -> Execution:
    result = Execution()
    if test_sources is not None:
        _only_instructor_tests(nb, test_sources)
    conn_dir = scratch / "conn"
    conn_dir.mkdir(parents=True, exist_ok=True)
    # Without a mount namespace the kernel's private copy of its folder and
    # its /tmp live in the connection folder too (see isolation/sandbox.py).
    cap = defaults.CONNECTION_BYTES
    if sandbox.detect().method != "bwrap":
        cap += 2 * defaults.SCRATCH_BYTES
    mounted = _limited_folder(conn_dir, cap)
    started = time.monotonic()
    km = client = None
    trusted: TrustedKernel | None = None
    own_trusted = None
    try:
        startup = max(
            5.0, min(defaults.KERNEL_START_SECONDS, deadline - time.monotonic())
        )

        async def start_student() -> StudentKernel:
            manager, student_client = await start_kernel(
                workdir, conn_dir, sandbox_options, startup, on_kernel
            )
            started_student = StudentKernel(manager, student_client)
            await started_student.start(startup)
            return started_student

        async def start_trusted() -> TrustedKernel:
            if trusted_connection is not None:
                pooled = TrustedKernel(
                    await connect_trusted(trusted_connection, startup)
                )
                await pooled.prepare(setup_cells, startup)
                return pooled
            trusted_dir = Path(tempfile.mkdtemp(prefix="t-", dir=scratch))
            (trusted_dir / "work").mkdir()
            manager, trusted_client = await start_kernel(
                trusted_dir / "work", trusted_dir / "conn", sandbox_options, startup
            )
            fresh = TrustedKernel(trusted_client, manager)
            await fresh.prepare(setup_cells, startup)
            return fresh

        # The student's kernel starts while the trusted one gets its fresh
        # namespace: the two do not wait for each other.
        both = await asyncio.gather(
            start_student(), start_trusted(), return_exceptions=True
        )
        for part in both:
            if isinstance(part, StudentKernel):
                km, client = part.manager, part.client
            elif isinstance(part, TrustedKernel):
                trusted = part
                own_trusted = part.manager
        for part in both:
            if isinstance(part, BaseException):
                raise part
        student, trusted = both
        result.timings["kernel_start"] = time.monotonic() - started
        await _run_cells(
            nb, student, trusted, cell_timeout, deadline, result, conn_dir, cap
        )
    except Stopped as stop:
        result.status, result.reason = stop.status, stop.reason
        mark_not_run(nb, 0, feedback.KERNEL_DIED, stop.reason)
    except Exception as error:  # the grader's own failure: say what it was
        # the trusted kernel may be left mid-request: replace it
        result.trusted_dirty = True
        result.status = "error"
        result.reason = "the kernels failed: " + " ".join(str(error).split())[:240]
        mark_not_run(nb, 0, feedback.KERNEL_DIED, "the grader could not run this test")
    finally:
        result.timings["execute"] = time.monotonic() - started
        if trusted is not None:
            result.trusted_dirty = result.trusted_dirty or bool(trusted.dirty)
            trusted.client.stop_channels()
        for manager in (km, own_trusted):
            if manager is not None:
                try:
                    await manager.shutdown_kernel(now=True)
                except Exception:  # already gone
                    pass
        if client is not None:
            client.stop_channels()
        log = read_kernel_log(conn_dir / "kernel.log")
        if log:
            import sys

            sys.stderr.write(log)
            sys.stderr.flush()
        if mounted:
            _unmount(conn_dir)
        shutil.rmtree(conn_dir, ignore_errors=True)
    return result


def _only_instructor_tests(nb: NotebookNode, sources: dict[str, str]) -> None:
    """A cell that claims to be a test but is not one of the assignment's
    (a student wrote its metadata) becomes an ordinary cell, run in the
    student's kernel and scored by nobody; the source of every real test is
    the gradebook's, whatever the notebook holds."""
    for cell in nb.cells:
        if not is_test(cell):
            continue
        grade_id = cell.metadata.nbgrader.get("grade_id")
        if grade_id in sources:
            cell.source = sources[grade_id]
        else:
            del cell.metadata["nbgrader"]


async def _run_cells(
    nb, student, trusted, cell_timeout, deadline, result, conn_dir, cap
):
    relay = Relay(trusted.client, student)
    stopped: Stopped | None = None
    first_cell = time.monotonic()
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        left = deadline - time.monotonic()
        if left <= 0:
            result.status = "timeout"
            result.reason = (
                "stopped at the time limit per submission, before "
                + cell_label(nb, index)
            )
            mark_not_run(
                nb,
                index,
                feedback.WALL_CLOCK,
                "the submission ran out of time before this",
            )
            break
        timeout = min(cell_timeout, left)
        if is_test(cell):
            if stopped is not None:
                continue
            verdict = await trusted.test(cell.source, relay, timeout)
            cell.outputs = verdict.run.outputs
            cell.execution_count = verdict.run.execution_count
            if verdict.stopped is not None:
                stopped = verdict.stopped
                if stopped.status == "kernel_died":
                    cell.outputs = [_error(feedback.KERNEL_DIED, stopped.reason)]
                    result.status = "kernel_died"
                    result.reason = (
                        f"the kernel died while {cell_label(nb, index)} called the "
                        "student's code (os._exit, a crash, or too much memory?); "
                        "later tests were not run"
                    )
                    mark_not_run(
                        nb,
                        index + 1,
                        feedback.KERNEL_DIED,
                        "the kernel died before this ran",
                    )
                else:
                    cell.outputs = [_error("CellTimeoutError", stopped.reason)]
                    mark_not_run(
                        nb,
                        index + 1,
                        feedback.KERNEL_DIED,
                        f"not run: {stopped.reason} in an earlier test",
                    )
                    result.reason = (
                        f"{cell_label(nb, index)}: {stopped.reason}; "
                        "later tests were not run"
                    )
                    await student.manager.shutdown_kernel(now=True)
            elif verdict.run.status == "timeout":
                cell.outputs.append(
                    _error("CellTimeoutError", f"the test ran past {timeout:g} s")
                )
            continue
        if stopped is not None:
            continue
        await student.stop_serving(time.monotonic() + timeout)
        run = await student.run(cell.source, timeout)
        cell.outputs = run.outputs
        cell.execution_count = run.execution_count
        if _folder_bytes(conn_dir) > cap:
            run.status = "died"
            await student.manager.shutdown_kernel(now=True)
            result.evidence.append("the kernel filled its connection folder")
        if run.status == "died":
            stopped = Stopped("the kernel died", "kernel_died")
            result.status = "kernel_died"
            result.reason = (
                f"the kernel died while running {cell_label(nb, index)} "
                "(os._exit, a crash, or too much memory?); later cells were not run"
            )
            cell.outputs.append(
                _error(feedback.KERNEL_DIED, "the kernel died while this ran")
            )
            mark_not_run(
                nb, index + 1, feedback.KERNEL_DIED, "the kernel died before this ran"
            )
        elif run.status == "timeout":
            cell.outputs.append(
                _error("CellTimeoutError", f"the cell ran past {timeout:g} s")
            )
            await student.manager.interrupt_kernel()
            try:
                await asyncio.wait_for(_settle(student.client), 5)
            except TimeoutError:
                await student.manager.shutdown_kernel(now=True)
                stopped = Stopped(
                    f"{cell_label(nb, index)} did not stop when interrupted"
                )
                mark_not_run(nb, index + 1, feedback.KERNEL_DIED, stopped.reason)
    result.timings["cells"] = time.monotonic() - first_cell


async def _settle(client) -> None:
    """Wait until the interrupted kernel is idle again."""
    await client.execute_interactive(
        "pass", store_history=False, silent=True, timeout=5
    )
