"""Figures that end the exercises, drawn from numbers the student computed.

Every function here only draws: the numbers come from the student's own
functions, called in the notebook's last cell. Nothing here computes a
penalty, a gradient, a decay or a fit, so nothing here can stand in for an
answer.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
from matplotlib.axes import Axes
from numpy.typing import ArrayLike

from l2course.figures.style import COLORS

# Line colours for several curves on one axes, in a fixed order.
_CYCLE = [
    COLORS["data"],
    COLORS["penalty"],
    COLORS["l1"],
    COLORS["validation"],
    COLORS["accent"],
    COLORS["total"],
    COLORS["muted"],
]
# Line styles too, so that curves which coincide stay visible one over another.
_STYLES = ["-", "--", "-.", ":"]


def plot_penalty_and_gradient(
    ax: Axes, w: ArrayLike, penalty: ArrayLike, gradient: ArrayLike, lam: float
) -> Axes:
    """Draw a penalty and its gradient along one weight, on shared axes.

    ``penalty[i]`` and ``gradient[i]`` are the values at ``w[i]``.
    """
    ax.plot(w, penalty, color=COLORS["penalty"], lw=2, label="your penalty")
    ax.plot(w, gradient, color=COLORS["data"], ls="--", label="your gradient")
    ax.axhline(0.0, color=COLORS["muted"], lw=0.8)
    ax.axvline(0.0, color=COLORS["muted"], lw=0.8)
    ax.set_xlabel("weight $w$")
    ax.set_ylabel("value")
    ax.set_title(rf"penalty and gradient, $\lambda$ = {lam:g}")
    ax.legend(loc="upper center")
    return ax


def plot_gradient_check(ax: Axes, analytic: ArrayLike, numeric: ArrayLike) -> Axes:
    """Scatter an analytic gradient against a numerical one, entry by entry.

    Points on the diagonal agree; the title gives the largest disagreement.
    """
    analytic = np.ravel(np.asarray(analytic, dtype=float))
    numeric = np.ravel(np.asarray(numeric, dtype=float))
    low = min(analytic.min(), numeric.min())
    high = max(analytic.max(), numeric.max())
    pad = 0.05 * (high - low or 1.0)
    ax.plot([low - pad, high + pad], [low - pad, high + pad],
            color=COLORS["muted"], lw=1, label="agreement")
    ax.scatter(analytic, numeric, color=COLORS["total"], s=18, zorder=3,
               label="one weight")
    gap = float(np.max(np.abs(analytic - numeric))) if analytic.size else 0.0
    ax.set_xlabel("your analytic gradient")
    ax.set_ylabel("your numerical gradient")
    ax.set_title(f"gradient check: largest gap {gap:.1e}")
    ax.legend(loc="upper left")
    return ax


def plot_weight_paths(
    ax: Axes,
    steps: ArrayLike,
    paths: Mapping[str, ArrayLike],
    *,
    marks: Mapping[str, int] | None = None,
    ylabel: str = "weight",
    title: str = "",
) -> Axes:
    """Draw one weight per labelled path against the step number.

    ``marks`` optionally maps a path's label to a step to mark on that path
    with a vertical line (for instance the step where it first halves).
    """
    steps = np.asarray(steps)
    marks = dict(marks or {})
    for k, (label, path) in enumerate(paths.items()):
        colour = _CYCLE[k % len(_CYCLE)]
        ax.plot(steps, path, color=colour, ls=_STYLES[k % len(_STYLES)], lw=2,
                label=label)
        if label in marks:
            ax.axvline(marks[label], color=colour, ls=":", lw=1.2)
    ax.axhline(0.0, color=COLORS["muted"], lw=0.8)
    ax.set_xlabel("step")
    ax.set_ylabel(ylabel)
    ax.set_title(title)
    ax.legend(loc="upper right", fontsize=8)
    return ax


def plot_soft_threshold(ax: Axes, w: ArrayLike, shrunk: ArrayLike, t: float) -> Axes:
    """Draw a thresholding function against the identity, dead zone shaded."""
    ax.axvspan(-t, t, color=COLORS["l1"], alpha=0.12, label=f"|w| ≤ t = {t:g}")
    ax.plot(w, w, color=COLORS["muted"], ls="--", lw=1, label="identity")
    ax.plot(w, shrunk, color=COLORS["l1"], lw=2, label="your soft threshold")
    ax.set_xlabel("input $w$")
    ax.set_ylabel("output")
    ax.set_title("soft thresholding")
    ax.legend(loc="upper left", fontsize=8)
    return ax


def plot_coefficient_path(
    ax: Axes,
    lams: ArrayLike,
    coefs: ArrayLike,
    *,
    title: str = "",
    ylabel: str = "coefficient",
    points: tuple[float, ArrayLike] | None = None,
    points_label: str = "",
) -> Axes:
    """Draw each coefficient against lam on a log axis (a regularization path).

    ``coefs[i, j]`` is coefficient j fitted at ``lams[i]``. ``points``, a pair
    ``(lam, coefficients)``, adds one fit computed another way as dots, which
    should sit on the curves.
    """
    lams = np.asarray(lams, dtype=float)
    coefs = np.asarray(coefs, dtype=float)
    for j in range(coefs.shape[1]):
        ax.plot(lams, coefs[:, j], color=_CYCLE[j % len(_CYCLE)],
                ls=_STYLES[(j // len(_CYCLE)) % len(_STYLES)], lw=1.6,
                label=f"$w_{{{j}}}$")
    if points is not None:
        lam, values = points
        values = np.ravel(np.asarray(values, dtype=float))
        ax.scatter(np.full(values.shape, lam), values, color=COLORS["total"], s=22,
                   zorder=3, label=points_label or None)
    ax.axhline(0.0, color=COLORS["muted"], lw=0.8)
    ax.set_xscale("log")
    ax.set_xlabel(r"$\lambda$ (log scale)")
    ax.set_ylabel(ylabel)
    ax.set_title(title)
    if coefs.shape[1] <= 10:
        ax.legend(loc="upper right", fontsize=7, ncol=2)
    return ax


def plot_effective_dof(
    ax: Axes, lams: ArrayLike, dof: ArrayLike, max_dof: float
) -> Axes:
    """Draw effective degrees of freedom against lam, with its ceiling."""
    ax.plot(lams, dof, color=COLORS["total"], lw=2, label="your effective dof")
    ax.axhline(max_dof, color=COLORS["muted"], ls="--", lw=1,
               label=f"number of columns ({max_dof:g})")
    ax.set_xscale("log")
    ax.set_ylim(0, max_dof * 1.1)
    ax.set_xlabel(r"$\lambda$ (log scale)")
    ax.set_ylabel("effective degrees of freedom")
    ax.set_title("how many parameters the fit really uses")
    ax.legend(loc="lower left", fontsize=8)
    return ax
