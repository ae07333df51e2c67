"""A figure without a slider, with alt text and a caption computed in the chapter.

A plain ``plt.show()`` gives the image an alt text that is a file name. Here a
pure plotting function is drawn the way a slider frame is (same style, same
off-screen rendering) and shown as an ``<img>`` whose alt text the chapter
writes from its own numbers.
"""

from __future__ import annotations

import base64
import html
from collections.abc import Callable
from typing import Any

from IPython.display import HTML

from l2course.sliders import render_frame


def static_figure(
    plot: Callable[..., Any],
    *,
    alt: str,
    caption: str,
    panels: int = 1,
    figsize: tuple[float, float] = (6.4, 3.6),
    dpi: int = 80,
) -> HTML:
    """Draw ``plot(ax)`` (a row of axes when ``panels > 1``) as an image.

    ``alt`` says what the figure shows, with its numbers, for a screen reader;
    ``caption`` is the sentence printed under it.
    """
    png = render_frame(plot, {}, panels=panels, figsize=figsize, dpi=dpi)
    source = "data:image/png;base64," + base64.b64encode(png).decode("ascii")
    width_px = int(figsize[0] * dpi)
    return HTML(
        '<figure class="l2-static-figure">'
        f'<img src="{source}" alt="{html.escape(alt, quote=True)}" '
        f'style="max-width:100%;width:{width_px}px;height:auto">'
        f'<figcaption class="l2-caption">{html.escape(caption)}</figcaption>'
        "</figure>"
    )
