"""Run one cell in a kernel and keep its outputs, within a time and size budget.

Both kernels of a submission (the student's and the trusted one) run their
cells through `run_cell`, which is jupyter_client's `execute_interactive`
plus three things nbclient would otherwise give: outputs as nbformat nodes,
a cap on what is kept, and a dead kernel noticed at once instead of at the
timeout.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from nbformat import NotebookNode
from nbformat.v4 import new_output, output_from_msg

from .. import defaults

TRUNCATED = "\n... output truncated by the autograder ...\n"


class KernelDied(Exception):
    """The kernel process is gone."""


@dataclass
class CellRun:
    outputs: list[NotebookNode] = field(default_factory=list)
    execution_count: int | None = None
    status: str = "ok"  # ok | error | timeout | died
    truncated: bool = False


class OutputCollector:
    """Keeps a cell's outputs, at most `limit` characters of them in all.

    Every output type counts. Past the limit only what decides a grade is
    kept, shortened: an error, an execute_result (partial credit) and the
    first stderr stream (nbgrader scores a test that writes to stderr 0).
    """

    def __init__(self, run: CellRun, limit: int) -> None:
        self.run = run
        self.limit = limit
        self.used = 0

    def __call__(self, msg: dict) -> None:
        kind = msg["msg_type"]
        content = msg["content"]
        if kind == "execute_input":
            self.run.execution_count = content.get("execution_count")
            return
        if kind == "clear_output":
            self.run.outputs.clear()
            return
        if kind not in ("stream", "display_data", "execute_result", "error"):
            return
        size = len(json.dumps(content, default=str))
        self.used += size
        outs = self.run.outputs
        if self.used <= self.limit:
            outs.append(output_from_msg(msg))
            return
        stderr = kind == "stream" and content.get("name") == "stderr"
        decisive = kind in ("error", "execute_result") or (
            stderr and not any(o.get("name") == "stderr" for o in outs)
        )
        if decisive:
            outs.append(_shortened(output_from_msg(msg)))
        if not self.run.truncated:
            self.run.truncated = True
            outs.append(new_output("stream", name="stdout", text=TRUNCATED))


def _shortened(output: NotebookNode, keep: int = 2000) -> NotebookNode:
    def clip(text: Any) -> str:
        text = "".join(text) if isinstance(text, list) else str(text)
        return text if len(text) <= keep else text[:keep] + TRUNCATED

    kind = output.output_type
    if kind == "stream":
        output.text = clip(output.text)
    elif kind == "error":
        output.evalue = clip(output.evalue)
        output.traceback = [clip(line) for line in output.traceback[-3:]]
    else:
        output.data = {"text/plain": clip(output.get("data", {}).get("text/plain", ""))}
        output.metadata = {}
    return output


async def run_cell(
    client: Any,
    code: str,
    *,
    timeout: float,
    is_alive: Callable[[], Awaitable[bool]] | None = None,
    stdin_hook: Callable[[dict], Awaitable[None]] | None = None,
    store_history: bool = True,
    silent: bool = False,
    output_limit: int = defaults.MAX_OUTPUT_CHARS,
) -> CellRun:
    """Execute `code`; return its outputs and how it ended.

    A timeout leaves the kernel running the cell: the caller interrupts or
    kills it. `is_alive` (a kernel manager's) is polled so that a kernel that
    dies ends the cell at once with status "died".
    """
    run = CellRun()
    collect = OutputCollector(run, output_limit)
    task = asyncio.ensure_future(
        client.execute_interactive(
            code,
            silent=silent,
            store_history=store_history,
            allow_stdin=stdin_hook is not None,
            stdin_hook=stdin_hook,
            output_hook=collect,
            timeout=max(timeout, 0.1),
        )
    )
    # execute_interactive's own timeout only counts silence: a cell that
    # prints without end would never reach it.
    deadline = time.monotonic() + max(timeout, 0.1)
    while True:
        done, _ = await asyncio.wait({task}, timeout=0.25)
        if done:
            break
        if is_alive is not None and not await is_alive():
            task.cancel()
            run.status = "died"
            return run
        if time.monotonic() > deadline:
            task.cancel()
            run.status = "timeout"
            return run
    try:
        reply = task.result()
    except TimeoutError:
        run.status = "timeout"
        return run
    if reply["content"].get("status") != "ok":
        run.status = "error"
    return run


def deadline_left(deadline: float) -> float:
    return max(0.0, deadline - time.monotonic())
