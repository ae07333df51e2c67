"""Figures for the chapter on the penalty's gradient.

Every function draws what the chapter computed; none of them computes a
gradient itself, so the chapter's numbers and the pictures cannot disagree.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from matplotlib.axes import Axes
from matplotlib.lines import Line2D
from matplotlib.patches import FancyArrowPatch

from l2course.figures.style import COLORS

ARROW_LABELS = (
    "data step $-\\nabla L$",
    "penalty step $-2\\lambda\\mathbf{w}$",
    "total step",
)


def _arrow(ax: Axes, start: np.ndarray, step: np.ndarray, color: str) -> None:
    end = start + step
    ax.add_patch(
        FancyArrowPatch(
            tuple(start),
            tuple(end),
            arrowstyle="-|>",
            mutation_scale=14,
            lw=2.2,
            color=color,
            shrinkA=0,
            shrinkB=0,
            zorder=4,
        )
    )


def plot_loss_and_pulls(
    ax: Axes,
    grid_w1: np.ndarray,
    grid_w2: np.ndarray,
    loss: np.ndarray,
    point: Sequence[float],
    data_step: Sequence[float],
    penalty_step: Sequence[float],
    *,
    levels: int | Sequence[float] = 12,
    data_minimum: Sequence[float] | None = None,
    total_minimum: Sequence[float] | None = None,
    title: str = "",
    legend_loc: str = "lower right",
) -> Axes:
    """Contours of a loss over two weights, with three arrows at ``point``.

    The arrows are *steps*, i.e. minus a gradient (times whatever scale the
    caller chose): ``data_step`` in blue, ``penalty_step`` in vermillion and
    their vector sum in black. ``loss`` has the shape of ``grid_w1`` and
    ``grid_w2`` (as from ``np.meshgrid``). The optional minima are marked with
    a circle (data loss alone) and a diamond (data loss plus penalty).
    """
    point = np.asarray(point, dtype=float)
    data_step = np.asarray(data_step, dtype=float)
    penalty_step = np.asarray(penalty_step, dtype=float)
    ax.contour(
        grid_w1, grid_w2, loss, levels=levels, colors=COLORS["muted"], linewidths=0.8
    )
    ax.axhline(0, color="#555555", lw=0.8)
    ax.axvline(0, color="#555555", lw=0.8)
    ax.plot([0], [0], "+", color="#555555", ms=10)
    if data_minimum is not None:
        ax.plot(*data_minimum, "o", color=COLORS["data"], ms=7)
    if total_minimum is not None:
        ax.plot(*total_minimum, "D", color=COLORS["total"], ms=6)
    for step, color in (
        (data_step, COLORS["data"]),
        (penalty_step, COLORS["penalty"]),
        (data_step + penalty_step, COLORS["total"]),
    ):
        _arrow(ax, point, step, color)
    ax.plot(*point, "o", color=COLORS["total"], ms=5, zorder=5)
    ax.set_xlim(float(grid_w1.min()), float(grid_w1.max()))
    ax.set_ylim(float(grid_w2.min()), float(grid_w2.max()))
    ax.set_aspect("equal")
    ax.set_xlabel("$w_1$")
    ax.set_ylabel("$w_2$")
    if title:
        ax.set_title(title)
    # Proxy handles: a legend entry per arrow without adding lines to the axes.
    handles = [
        Line2D([], [], color=color, lw=2.2, label=label)
        for color, label in zip(
            (COLORS["data"], COLORS["penalty"], COLORS["total"]),
            ARROW_LABELS,
            strict=True,
        )
    ]
    ax.legend(
        handles=handles,
        loc=legend_loc,
        fontsize=8,
        facecolor="white",
        framealpha=0.9,
        frameon=True,
    )
    return ax


def plot_pull_against_position(
    ax: Axes,
    positions: np.ndarray,
    penalty_pull: np.ndarray,
    data_pull: np.ndarray,
    current: float,
) -> Axes:
    """How hard each force pulls, against the point's position on a line.

    ``positions`` is the signed distance of the point from the origin along
    the line; ``penalty_pull`` and ``data_pull`` are the lengths of the two
    gradients there. The current position is marked on both curves.
    """
    positions = np.asarray(positions, dtype=float)
    ax.plot(
        positions,
        penalty_pull,
        color=COLORS["penalty"],
        label="penalty pull $2\\lambda\\|\\mathbf{w}\\|$",
    )
    ax.plot(
        positions,
        data_pull,
        color=COLORS["data"],
        ls="--",
        label="data pull $\\|\\nabla L\\|$",
    )
    i = int(np.argmin(np.abs(positions - current)))
    ax.plot([positions[i]], [penalty_pull[i]], "o", color=COLORS["penalty"])
    ax.plot([positions[i]], [data_pull[i]], "s", color=COLORS["data"])
    ax.axvline(positions[i], color=COLORS["muted"], lw=1)
    ax.set_xlim(float(positions.min()), float(positions.max()))
    ax.set_ylim(0, 1.05 * float(max(np.max(penalty_pull), np.max(data_pull))))
    ax.set_xlabel("signed distance of the point from 0")
    ax.set_ylabel("length of the gradient")
    ax.set_title("pull strength along the line")
    ax.legend(loc="center", fontsize=8)
    return ax
