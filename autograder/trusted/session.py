"""Grade one notebook with two kernels: the student's, and a trusted one.

The student's kernel runs the student's cells and the release's other cells,
in notebook order, and never a test cell. The trusted kernel runs the
release's set-up cells and then every test cell; the names a test reads that
the student's notebook defines are proxies there (`proxies.py`). The worker
process in between relays each call: it checks and rebuilds every message
the student's kernel sends (`codec.canonical`), gives each call the test
cell's remaining time, and stops the rest of the tests when the student's
kernel dies, hangs or breaks the channel's rules.

Pass/fail is decided only in the trusted kernel, from the values the student's
functions returned. No test source and no expected value is ever sent to the
student's kernel: only the inputs of the calls a test makes.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from pathlib import Path
from queue import Empty
from typing import Any

import zmq
import zmq.asyncio

from .. import defaults
from ..isolation.cells import CellRun, run_cell
from .codec import ChannelError, canonical
from .names import free_names

HERE = Path(__file__).resolve().parent
SERVE_SOURCE = (HERE.parent / "student_kernel" / "serve.py").read_text()
CODEC_SOURCE = (HERE / "codec.py").read_text()
PROXIES_SOURCE = (HERE / "proxies.py").read_text()

CHANNEL_LIMITS = {
    "bytes": defaults.CHANNEL_MAX_BYTES,
    "depth": defaults.CHANNEL_MAX_DEPTH,
    "items": defaults.CHANNEL_MAX_ITEMS,
    "message_chars": defaults.CHANNEL_MAX_MESSAGE_CHARS,
}


def _module_loader(name: str, *sources: str) -> str:
    """Code that makes `sources` one module `name` inside a kernel."""
    return (
        "import sys as _s, types as _t\n"
        f"_m = _t.ModuleType({name!r})\n"
        f"for _src in {list(sources)!r}:\n"
        f"    exec(compile(_src, '<{name}>', 'exec'), _m.__dict__)\n"
        f"_s.modules[{name!r}] = _m\n"
        "del _s, _t, _m, _src\n"
    )


class Stopped(Exception):
    """The student's kernel can no longer answer; the words say why."""

    def __init__(self, reason: str, status: str = "graded") -> None:
        super().__init__(reason)
        self.reason = reason
        self.status = status  # kernel_died when the student's kernel died


class StudentKernel:
    """The student's kernel, as the grader uses it: cells, and serving calls."""

    def __init__(self, manager: Any, client: Any) -> None:
        self.manager = manager
        self.client = client
        self.serving: str | None = None  # msg_id of the running serve() cell

    async def is_alive(self) -> bool:
        return await self.manager.is_alive()

    async def start(self, timeout: float) -> None:
        run = await run_cell(
            self.client,
            _module_loader("_l2course_serve", SERVE_SOURCE),
            timeout=timeout,
            is_alive=self.is_alive,
            store_history=False,
            silent=True,
        )
        if run.status != "ok":
            raise Stopped("the grader could not prepare the student's kernel")
        await self._check_stdin(timeout)

    async def _check_stdin(self, timeout: float) -> None:
        """One empty round of serve(), before any student cell runs.

        Now and then the kernel's first input request never reached the
        worker (seen on a busy machine: the kernel sat in `input()` while the
        worker waited), and the tests then failed as if the student's code had
        hung. A round trip here proves the stdin channel works, and a lost
        request is retried: the kernel is interrupted out of `input()`.
        """
        for _attempt in range(3):
            try:
                await self.serve(time.monotonic() + min(timeout, 3.0))
            except Stopped:
                if not await self.is_alive():
                    raise
                msg_id, self.serving = self.serving, None
                await self.manager.interrupt_kernel()
                await self._wait_reply(msg_id, time.monotonic() + 5)
                continue
            await self.stop_serving(time.monotonic() + timeout)
            return
        raise Stopped("the student's kernel does not answer the grader's calls")

    async def _wait_reply(self, msg_id: str | None, deadline: float) -> None:
        while msg_id is not None and time.monotonic() < deadline:
            try:
                reply = await self.client.get_shell_msg(timeout=0.25)
            except Empty:
                continue
            if reply["parent_header"].get("msg_id") == msg_id:
                break
        await self._drain_iopub()

    async def run(self, code: str, timeout: float) -> CellRun:
        return await run_cell(
            self.client, code, timeout=timeout, is_alive=self.is_alive
        )

    async def serve(self, deadline: float) -> None:
        """Make the kernel wait for calls (its first prompt says it is ready)."""
        if self.serving is not None:
            return
        self.serving = self.client.execute(
            "__import__('_l2course_serve').serve()",
            silent=True,
            store_history=False,
            allow_stdin=True,
        )
        ready = await self.prompt(deadline)
        if ready.get("op") != "ready":
            raise Stopped("the student's kernel did not start answering calls")

    async def stop_serving(self, deadline: float) -> None:
        """End serve(), so that the next student cell can run."""
        if self.serving is None:
            return
        msg_id, self.serving = self.serving, None
        self.client.input(json.dumps({"op": "stop"}))
        while time.monotonic() < deadline:
            try:
                reply = await self.client.get_shell_msg(timeout=0.25)
            except Empty:
                if not await self.is_alive():
                    raise Stopped("the student's kernel died", "kernel_died") from None
                await self._drain_iopub()
                continue
            if reply["parent_header"].get("msg_id") == msg_id:
                await self._drain_iopub()
                return
        raise Stopped("the student's kernel did not stop answering calls in time")

    async def _drain_iopub(self) -> None:
        # What student code prints while it answers a test's call is not an
        # output of any cell: it is read and dropped, so it cannot pile up.
        while True:
            try:
                await self.client.get_iopub_msg(timeout=0)
            except Empty:
                return

    def reply(self, message: dict) -> None:
        self.client.input(json.dumps(message))

    async def prompt(self, deadline: float) -> dict:
        """The student's kernel's next message, checked and rebuilt."""
        client = self.client
        poller = zmq.asyncio.Poller()
        poller.register(client.stdin_channel.socket, zmq.POLLIN)
        poller.register(client.iopub_channel.socket, zmq.POLLIN)
        poller.register(client.shell_channel.socket, zmq.POLLIN)
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise Stopped("the student's code was still running at the time limit")
            events = dict(await poller.poll(int(1000 * min(left, 0.25))))
            if client.stdin_channel.socket in events:
                msg = await client.get_stdin_msg(timeout=0)
                try:
                    return canonical(msg["content"].get("prompt", ""), CHANNEL_LIMITS)
                except ChannelError as error:
                    return {
                        "op": "raise",
                        "type": "ValueError",
                        "message": f"the student's function sent back {error}",
                        "channel_error": True,
                    }
            if client.iopub_channel.socket in events:
                await self._drain_iopub()
            if client.shell_channel.socket in events:
                reply = await client.get_shell_msg(timeout=0)
                if reply["parent_header"].get("msg_id") == self.serving:
                    self.serving = None
                    raise Stopped("the student's kernel stopped answering calls")
            if not events and not await self.is_alive():
                raise Stopped("the student's kernel died", "kernel_died")


class Relay:
    """Answers the trusted kernel's `input()` requests with the student's replies."""

    def __init__(self, trusted_client: Any, student: StudentKernel) -> None:
        self.trusted = trusted_client
        self.student = student
        self.deadline = 0.0
        self.stopped: Stopped | None = None

    def _fail_trusted(self) -> None:
        assert self.stopped is not None
        self.trusted.input(json.dumps({"op": "fail", "reason": self.stopped.reason}))

    async def __call__(self, msg: dict) -> None:
        """One request of the trusted kernel, and everything it leads to."""
        if self.stopped is not None:
            self._fail_trusted()
            return
        request = json.loads(msg["content"].get("prompt") or "{}")
        depth = 0
        try:
            await self.student.serve(self.deadline)
            while True:
                if request.get("op") in ("call", "fetch", "describe"):
                    depth += 1
                self.student.reply(request)
                answer = await self.student.prompt(self.deadline)
                if answer.get("op") != "callback":
                    depth -= 1
                answer.pop("channel_error", None)
                self.trusted.input(json.dumps(answer))
                if depth <= 0:
                    return
                left = self.deadline - time.monotonic()
                try:
                    nested = await self.trusted.get_stdin_msg(timeout=max(left, 0.01))
                except Empty:
                    raise Stopped("the test ran past its time limit") from None
                request = json.loads(nested["content"].get("prompt") or "{}")
        except Stopped as stop:
            self.stopped = stop
            self._fail_trusted()


@dataclass
class TestVerdict:
    run: CellRun
    stopped: Stopped | None = None


@dataclass
class TrustedKernel:
    """A kernel that never runs student code: set-up cells, then test cells.

    It may be reused for many students (`reset()` between them); `client` is
    connected to it, `manager` is set only when this process started it.
    """

    client: Any
    manager: Any = None
    loaded: bool = False
    dirty: list[str] = field(default_factory=list)

    async def prepare(self, setup_cells: list[str], timeout: float) -> None:
        if not self.loaded:
            run = await run_cell(
                self.client,
                _module_loader("_l2course_trusted", CODEC_SOURCE, PROXIES_SOURCE),
                timeout=timeout,
                store_history=False,
                silent=True,
            )
            if run.status != "ok":
                raise RuntimeError(f"the trusted kernel could not load: {run.outputs}")
            self.loaded = True
        await self._quiet("__import__('_l2course_trusted').reset()", timeout)
        for source in setup_cells:
            await self._quiet(source, timeout)

    async def _quiet(self, code: str, timeout: float) -> None:
        run = await run_cell(self.client, code, timeout=timeout, store_history=False)
        if run.status != "ok":
            errors = [o for o in run.outputs if o.output_type == "error"]
            detail = f"{errors[0].ename}: {errors[0].evalue}" if errors else run.status
            self.dirty.append(detail)
            raise RuntimeError(
                f"an instructor set-up cell failed in the trusted kernel: {detail}"
            )

    async def test(self, source: str, relay: Relay, timeout: float) -> TestVerdict:
        """Run one test cell. Its `timeout` counts from the cell's start: the
        student's kernel is made ready to answer, and the proxies are bound,
        before the clock starts (each with a budget of its own)."""
        names = free_names(source)
        relay.deadline = time.monotonic() + timeout
        if names and relay.stopped is None:
            try:
                await relay.student.serve(relay.deadline)
            except Stopped as stop:
                relay.stopped = stop
                return TestVerdict(CellRun(status="error"), stop)
        relay.deadline = time.monotonic() + timeout
        if names:
            bind = f"__import__('_l2course_trusted').prepare({names!r})"
            run = await run_cell(
                self.client,
                bind,
                timeout=timeout,
                stdin_hook=relay,
                store_history=False,
                silent=True,
            )
            if run.status == "timeout":
                await self.interrupt()
            if relay.stopped is not None:
                return TestVerdict(run, relay.stopped)
        relay.deadline = time.monotonic() + timeout
        run = await run_cell(self.client, source, timeout=timeout, stdin_hook=relay)
        if run.status == "timeout":
            await self.interrupt()
        return TestVerdict(run, relay.stopped)

    async def interrupt(self) -> None:
        """Stop a test that ran past its time (the instructor's own code was
        slow). The kernel is replaced after this student, as it may be left
        in an odd state."""
        self.dirty.append("timeout")
        message = self.client.session.msg("interrupt_request", content={})
        self.client.control_channel.send(message)
        try:
            await self.client.execute_interactive(
                "pass", silent=True, store_history=False, timeout=5
            )
        except TimeoutError:
            pass
