"""Isolation: how every kernel that grading starts is sandboxed.

Entry point: `GradingKernelManager` (`kernel.py`), which wraps the kernel's
command with `sandbox.wrap_kernel_command` (bubblewrap, Landlock, or limits
only; `sandbox.detect()` says which) and starts `launch.py` inside the
sandbox. `cells.run_cell` runs one cell in such a kernel within a time and
output budget.
"""

from .cells import CellRun, run_cell
from .kernel import GradingKernelManager
from .sandbox import Isolation, Limits, detect

__all__ = [
    "CellRun",
    "GradingKernelManager",
    "Isolation",
    "Limits",
    "detect",
    "run_cell",
]
