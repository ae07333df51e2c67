"""Run grading workers in parallel; the parent is the gradebook's only writer.

Each submission is graded in its own process, forked from this one (which has
already imported nbgrader and compiled the feedback template, so a worker
starts in milliseconds). A worker that exceeds the wall-clock limit is killed
with its kernel; one that dies is recorded as an error. Results are written
to the gradebook as they arrive, one transaction per submission.
"""

from __future__ import annotations

import ctypes
import gc
import multiprocessing
import os
import shutil
import signal
import sys
import tempfile
import time
import traceback
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from pathlib import Path

from . import defaults
from .result import Result
from .trusted.pool import TrustedPool
from .worker import GradeSettings, GradeTask, grade_task

# Time a worker gets beyond the per-submission limit to wrap up (kill its
# kernel, write its files) before the parent kills it.
GRACE_SECONDS = defaults.GRACE_SECONDS
PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>


@dataclass
class _Running:
    task: GradeTask
    process: multiprocessing.Process
    conn: Connection
    started: float
    kernel_pids: list[int]
    slot: int | None = None  # the trusted kernel this worker uses
    result: Result | None = None


def _die_with_parent(parent: int) -> None:
    """Ask Linux to kill this worker if the grader dies (kill -9, OOM): no
    orphan keeps grading. Its kernel then exits too (ipykernel watches its
    parent)."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):
        return  # not Linux: the wall-clock limit still applies
    if os.getppid() != parent:  # the parent died before prctl took effect
        os._exit(1)


def _worker_main(
    task: GradeTask, settings: GradeSettings, conn: Connection, parent: int
) -> None:
    # Our own process group: the parent can kill us and whatever we started.
    try:
        os.setpgid(0, 0)
    except OSError:
        pass
    _die_with_parent(parent)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    log_path = Path(settings.log_dir) / f"{task.student_id}.log"
    log_path.parent.mkdir(parents=True, exist_ok=True)
    log = os.open(log_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    os.dup2(log, 1)
    os.dup2(log, 2)
    sys.stdout = os.fdopen(1, "w", buffering=1, closefd=False)
    sys.stderr = os.fdopen(2, "w", buffering=1, closefd=False)
    try:
        result = grade_task(
            task, settings, on_kernel=lambda pid: conn.send(("kernel", pid))
        )
        conn.send(("result", result))
    except BaseException:
        traceback.print_exc()
        conn.send(("crash", traceback.format_exc(limit=3).strip().splitlines()[-1]))
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        conn.close()


def crashed_result(task: GradeTask, reason: str, status: str = "error") -> Result:
    """The row of a submission whose worker never reported back."""
    # No fingerprint: the next run grades this submission again.
    return Result(
        student_id=task.student_id,
        status=status,
        reason=reason,
        timestamp=task.timestamp,
    )


def run_all(
    tasks: list[GradeTask],
    settings: GradeSettings,
    jobs: int,
    on_result: Callable[[Result], None],
    on_start: Callable[[GradeTask], None] | None = None,
    tick: Callable[[], None] | None = None,
) -> None:
    """Grade every task with at most `jobs` workers at a time."""
    context = multiprocessing.get_context("fork")
    # Objects that exist now are never collected in the workers: without this,
    # each forked worker's first garbage collection touches (and so copies)
    # most of the parent's memory.
    gc.collect()
    gc.freeze()
    pending = deque(tasks)
    running: dict[int, _Running] = {}  # by process sentinel
    pool = TrustedPool(
        min(jobs, len(tasks)), Path(settings.source_dir), settings.sandbox_options
    )

    def finish(entry: _Running, result: Result, dirty: bool) -> None:
        if entry.slot is not None:
            pool.give_back(entry.slot, dirty or result.trusted_dirty)
        on_result(result)

    try:
        while pending or running:
            while pending and len(running) < jobs:
                task = pending.popleft()
                slot = None
                if task.problem is None:
                    slot, task.trusted = pool.take()
                # short: IPC socket paths must fit in 107 bytes
                task.scratch = tempfile.mkdtemp(prefix="ag-")
                parent_end, child_end = context.Pipe(duplex=False)
                process = context.Process(
                    target=_worker_main,
                    args=(task, settings, child_end, os.getpid()),
                    name=f"grade-{task.student_id}",
                    daemon=False,
                )
                process.start()
                child_end.close()
                try:
                    os.setpgid(process.pid, process.pid)
                except OSError:
                    pass  # the child did it first, or already exited
                running[process.sentinel] = _Running(
                    task, process, parent_end, time.monotonic(), [], slot
                )
                if on_start is not None:
                    on_start(task)

            limit = settings.wall_clock + GRACE_SECONDS
            now = time.monotonic()
            nearest = min(r.started + limit for r in running.values()) - now
            waitables = [r.conn for r in running.values() if not r.conn.closed]
            waitables += [r.process.sentinel for r in running.values()]
            ready = wait(waitables, timeout=max(0.0, min(nearest, 0.5)))

            for entry in list(running.values()):
                if entry.conn in ready:
                    _drain(entry)
            for sentinel in [s for s in ready if isinstance(s, int) and s in running]:
                entry = running.pop(sentinel)
                _drain(entry)
                entry.process.join()
                shutil.rmtree(entry.task.scratch, ignore_errors=True)
                crashed = entry.result is None
                if crashed:
                    # the worker could not stop its kernel itself
                    _kill_kernels(entry)
                    code = entry.process.exitcode
                    entry.result = crashed_result(
                        entry.task,
                        f"the grading process stopped unexpectedly (exit code {code})",
                    )
                finish(entry, entry.result, crashed)
            now = time.monotonic()
            for sentinel, entry in list(running.items()):
                if now - entry.started > limit:
                    _kill(entry)
                    running.pop(sentinel)
                    finish(
                        entry,
                        crashed_result(
                            entry.task,
                            f"killed after {limit:g} s: the submission exceeded its "
                            f"{settings.wall_clock:g} s limit and did not stop",
                            status="timeout",
                        ),
                        True,
                    )
            if tick is not None:
                tick()
    finally:
        for entry in running.values():
            _kill(entry)
        pool.close()
        gc.unfreeze()


def _drain(entry: _Running) -> None:
    while not entry.conn.closed and entry.conn.poll():
        try:
            kind, payload = entry.conn.recv()
        except (EOFError, OSError):
            entry.conn.close()
            return
        if kind == "kernel":
            entry.kernel_pids.append(int(payload))
        elif kind == "result":
            entry.result = payload
        elif kind == "crash":
            entry.result = crashed_result(
                entry.task, f"the grader failed on this submission: {payload}"
            )


def _kill_kernels(entry: _Running) -> None:
    """Kernels run in their own session; make sure none outlives its worker."""
    for pid in entry.kernel_pids:
        try:
            os.killpg(pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass


def _kill(entry: _Running) -> None:
    try:
        os.killpg(entry.process.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    _kill_kernels(entry)
    entry.process.join(timeout=5)
    entry.conn.close()
    shutil.rmtree(entry.task.scratch, ignore_errors=True)
