"""One look for every figure: a colour-blind-safe palette on a white card.

The palette is Okabe & Ito's, which stays distinguishable under the common
colour-vision deficiencies. Frames keep an opaque white background and dark
text, so they stay legible when the book is switched to its dark theme.
"""

from __future__ import annotations

import matplotlib as mpl

COLORS = {
    "data": "#0072B2",  # blue: the data loss and its gradient
    "penalty": "#D55E00",  # vermillion: the penalty and its gradient
    "total": "#000000",  # black: their sum
    "l1": "#009E73",  # green: anything L1
    "validation": "#E69F00",  # orange
    "accent": "#CC79A7",  # purple
    "muted": "#999999",
}

_RC = {
    "figure.facecolor": "white",
    "axes.facecolor": "white",
    "savefig.facecolor": "white",
    "text.color": "#111111",
    "axes.labelcolor": "#111111",
    "xtick.color": "#111111",
    "ytick.color": "#111111",
    "axes.edgecolor": "#333333",
    "axes.prop_cycle": mpl.cycler(color=list(COLORS.values())),
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "grid.color": "#dddddd",
    "font.size": 10,
    "legend.frameon": False,
}


def apply_course_style() -> None:
    """Set matplotlib's defaults to the course look."""
    mpl.rcParams.update(_RC)
