"""Shared code for the L2-regularization course.

The book's chapters import from here: datasets (`l2course.data`), pure plotting
functions (`l2course.figures`), and the kernel-free slider figure
(`l2course.sliders.slider_figure`). Reference answers to graded exercises never
live here, because students import this package too.
"""

from __future__ import annotations

from typing import Any

__all__ = ["slider_figure"]


def __getattr__(name: str) -> Any:
    # Imported on first use: `slider_figure` needs matplotlib and ipywidgets,
    # which `import l2course.checks` (the exercises' tests) should not pay for.
    if name == "slider_figure":
        from l2course.sliders import slider_figure

        return slider_figure
    raise AttributeError(f"module 'l2course' has no attribute {name!r}")
