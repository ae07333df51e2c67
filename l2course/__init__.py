"""Shared code for the L2-regularization course.

The book's chapters import from here: datasets (`l2course.data`), pure plotting
functions (`l2course.figures`), and the kernel-free slider figure
(`l2course.sliders.slider_figure`). Reference answers to graded exercises never
live here, because students import this package too.
"""

from l2course.sliders import slider_figure

__all__ = ["slider_figure"]
