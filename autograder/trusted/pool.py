"""Trusted kernels kept by the runner: one per worker slot, reused.

A trusted kernel holds no student code, so one kernel can grade student
after student; each gets a fresh namespace (`proxies.reset`, then the set-up
cells). That costs one kernel start per slot instead of one per submission.
The runner's forked workers connect to a kernel by its connection info; a
kernel that a worker reports as dirty (a test that had to be interrupted),
or whose worker crashed or was killed, is restarted before its next use.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from jupyter_core.utils import run_sync

from .. import defaults
from ..isolation.kernel import GradingKernelManager


class TrustedPool:
    def __init__(self, size: int, support: Path | None, sandbox_options: dict | None):
        self.root = Path(tempfile.mkdtemp(prefix="ag-trusted-"))
        self.sandbox_options = sandbox_options
        self.support = support
        self.free: list[int] = list(range(size))
        self.managers: dict[int, GradingKernelManager] = {}

    def _start(self, slot: int) -> GradingKernelManager:
        folder = self.root / str(slot)
        shutil.rmtree(folder, ignore_errors=True)
        workdir = folder / "work"
        workdir.mkdir(parents=True)
        if self.support is not None:
            from ..worker import _copy_support_files

            _copy_support_files(self.support, workdir)
        km = GradingKernelManager(
            connection_dir=str(folder / "conn"), sandbox_options=self.sandbox_options
        )
        run_sync(km.start_kernel)(cwd=str(workdir))
        client = km.client()
        client.start_channels()
        try:
            run_sync(client.wait_for_ready)(timeout=defaults.KERNEL_START_SECONDS)
        finally:
            client.stop_channels()
        return km

    def take(self) -> tuple[int, dict]:
        slot = self.free.pop(0)
        if slot not in self.managers:
            self.managers[slot] = self._start(slot)
        return slot, self.managers[slot].get_connection_info()

    def give_back(self, slot: int, dirty: bool) -> None:
        if dirty:
            self._stop(slot)
        self.free.append(slot)

    def _stop(self, slot: int) -> None:
        km = self.managers.pop(slot, None)
        if km is not None:
            try:
                run_sync(km.shutdown_kernel)(now=True)
            except Exception:  # already gone
                pass

    def close(self) -> None:
        for slot in list(self.managers):
            self._stop(slot)
        shutil.rmtree(self.root, ignore_errors=True)
