"""The one place where a kernel that runs student code is launched.

Both kernels of a submission (the student's, and the trusted one that runs the
tests) are started by `GradingKernelManager`. Its launch command and
environment pass through `autograder.isolation.sandbox` (`wrap_kernel_command`,
`kernel_env`): namespaces, limits, a scrubbed environment.

The kernel talks to its parent over ZeroMQ's IPC transport: sockets are files
in a per-submission connection directory, which still works when the kernel
sits in its own network namespace.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path
from queue import Empty
from typing import Any

from jupyter_client.asynchronous import AsyncKernelClient
from jupyter_client.kernelspec import KernelSpec
from jupyter_client.manager import AsyncKernelManager
from traitlets import Any as AnyTrait
from traitlets import Unicode

from . import sandbox

# The kernel's own program, run with `python -c`. Blocking `debugpy` skips
# ipykernel's debugger (no grader attaches one), about 0.1 s of CPU in imports
# per kernel; `jedi` only serves tab completion. Run as `-c` rather than
# `-m autograder...` so the kernel needs nothing from this repository.
KERNEL_PROGRAM = (
    "import sys\n"
    "sys.modules['debugpy'] = None\n"
    "sys.modules['jedi'] = None\n"
    "from ipykernel.kernelapp import launch_new_instance\n"
    "launch_new_instance()\n"
)

# Graded kernels run side by side; one BLAS thread each avoids oversubscribing
# the cores, and a fixed hash seed makes set/dict-order-dependent code repeatable.
KERNEL_ENV_DEFAULTS = {
    "OPENBLAS_NUM_THREADS": "1",
    "OMP_NUM_THREADS": "1",
    "MKL_NUM_THREADS": "1",
    "PYTHONHASHSEED": "0",
    "PYDEVD_DISABLE_FILE_VALIDATION": "1",
}


class GradingKernelClient(AsyncKernelClient):
    """A kernel client that is ready as soon as the kernel has answered.

    jupyter_client's `wait_for_ready` ends by draining IOPub until it has been
    quiet for 0.2 s: a fixed fifth of a second per kernel, a sixth of the whole
    time a small notebook takes. nbclient matches every IOPub message to the
    request that caused it, so stale messages need no draining; what matters
    is that IOPub is connected, which the first message on it proves.
    """

    async def wait_for_ready(self, timeout: float | None = None) -> None:
        deadline = time.monotonic() + (timeout if timeout is not None else 60.0)
        while True:
            self.kernel_info()
            try:
                reply = await self.shell_channel.get_msg(timeout=1)
            except Empty:
                reply = None
            if reply is not None and reply["msg_type"] == "kernel_info_reply":
                try:
                    await self.iopub_channel.get_msg(timeout=0.5)
                except Empty:
                    pass  # IOPub not subscribed yet: ask again
                else:
                    self._handle_kernel_info_reply(reply)
                    return
            if not await self._async_is_alive():
                raise RuntimeError("Kernel died before replying to kernel_info")
            if time.monotonic() > deadline:
                raise RuntimeError(f"Kernel didn't respond in {timeout} seconds")
            await asyncio.sleep(0)


class GradingKernelManager(AsyncKernelManager):
    """A kernel manager for one submission: fresh kernel, IPC, optional sandbox.

    `connection_dir` holds the connection file and the IPC sockets; the kernel's
    working directory (`cwd`, passed by nbclient) is the submission's scratch
    copy. Neither is inside the course directory.
    """

    connection_dir = Unicode("", help="Per-submission folder for connection files")
    on_launch = AnyTrait(None, allow_none=True, help="Called with the kernel's pid")
    sandbox_options = AnyTrait(
        None,
        allow_none=True,
        help="Keyword arguments for sandbox.wrap_kernel_command (limits)",
    )

    def __init__(self, **kwargs: Any) -> None:
        connection_dir = kwargs.get("connection_dir", "")
        self._own_dir = not connection_dir
        if not connection_dir:
            # created by nbclient itself (e.g. nbgrader's Validator): a private
            # folder, short enough for IPC socket paths, removed at cleanup
            connection_dir = tempfile.mkdtemp(prefix="ag-conn-")
            kwargs["connection_dir"] = connection_dir
        Path(connection_dir).mkdir(parents=True, exist_ok=True)
        kwargs.setdefault(
            "client_class", "autograder.isolation.kernel.GradingKernelClient"
        )
        kwargs.setdefault("transport", "ipc")
        kwargs.setdefault("ip", str(Path(connection_dir) / "kernel"))
        kwargs.setdefault("connection_file", str(Path(connection_dir) / "kernel.json"))
        super().__init__(**kwargs)
        self.launched_pid: int | None = None

    @property
    def kernel_spec(self) -> KernelSpec:
        # Whatever kernelspec the notebook names, grading runs this Python's
        # ipykernel: the course has one language, and a student-edited
        # kernelspec must not choose the program that runs. Interrupts go as
        # messages, which reach a kernel inside a sandbox; signals may not.
        return KernelSpec(
            argv=[sys.executable, "-c", KERNEL_PROGRAM, "-f", "{connection_file}"],
            display_name="Python 3 (autograder)",
            language="python",
            interrupt_mode="message",
        )

    async def _async_launch_kernel(self, kernel_cmd: list[str], **kw: Any) -> None:
        env = dict(kw.get("env") or os.environ)
        env.update(KERNEL_ENV_DEFAULTS)
        env.pop("JPY_SESSION_NAME", None)
        # A fresh IPython profile: the grader's own startup scripts and
        # settings in ~/.ipython must not run before (or change) student code.
        env["IPYTHONDIR"] = str(Path(self.connection_dir) / "ipython")
        workdir = Path(kw.get("cwd") or os.getcwd())
        options = dict(self.sandbox_options or {})
        # matplotlib's font list, built once and copied into each kernel's
        # fresh HOME, instead of a rescan of the system fonts per kernel
        options.setdefault("mpl_seed", sandbox.matplotlib_font_cache(sys.executable))
        kernel_cmd = sandbox.wrap_kernel_command(
            list(kernel_cmd),
            workdir=workdir,
            connection_dir=Path(self.connection_dir),
            **options,
        )
        env = sandbox.kernel_env(env)
        kw["env"] = env
        await super()._async_launch_kernel(kernel_cmd, **kw)
        self.launched_pid = getattr(self.provisioner, "pid", None)
        # The worker passes the pid on to its parent, which can then kill the
        # kernel even if the worker itself hangs.
        if self.on_launch is not None and self.launched_pid is not None:
            self.on_launch(self.launched_pid)

    async def _async_cleanup_resources(self, restart: bool = False) -> None:
        await super()._async_cleanup_resources(restart=restart)
        if self._own_dir and not restart:
            shutil.rmtree(self.connection_dir, ignore_errors=True)
