"""Figures for the chapter on the geometry of the penalty.

The functions only draw. Every solution, path and shrinkage factor is computed
by the caller (the chapter), so nothing here answers a graded exercise.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

import numpy as np
from matplotlib.axes import Axes
from matplotlib.patches import Circle, FancyArrow, Polygon

from l2course.figures.style import COLORS

Ball = Literal["l2", "l1"]


def quadratic_loss_grid(
    gram: np.ndarray,
    w_star: np.ndarray,
    extent: tuple[float, float, float, float],
    points: int = 241,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Evaluate (w - w*)^T gram (w - w*) on a square grid over ``extent``.

    ``extent`` is (w1_min, w1_max, w2_min, w2_max). Returns the two coordinate
    grids and the loss on them, ready for ``ax.contour``. The loss is the data
    loss up to its (constant) value at w*.
    """
    w1 = np.linspace(extent[0], extent[1], points)
    w2 = np.linspace(extent[2], extent[3], points)
    grid1, grid2 = np.meshgrid(w1, w2)
    offsets = np.stack([grid1 - w_star[0], grid2 - w_star[1]], axis=-1)
    loss = np.einsum("...i,ij,...j->...", offsets, gram, offsets)
    return grid1, grid2, loss


def ball_outline(ball: Ball, radius: float, points: int = 361) -> np.ndarray:
    """Points (k, 2) on the boundary of the L2 disc or the L1 diamond of ``radius``."""
    if ball == "l2":
        angle = np.linspace(0.0, 2.0 * np.pi, points)
        return radius * np.column_stack([np.cos(angle), np.sin(angle)])
    if ball == "l1":
        return radius * np.array([[1.0, 0.0], [0.0, 1.0], [-1.0, 0.0], [0.0, -1.0]])
    raise ValueError(f"ball must be 'l2' or 'l1', got {ball!r}")


def plot_constraint_view(
    ax: Axes,
    gram: np.ndarray,
    w_star: Sequence[float],
    w_lam: Sequence[float],
    path: np.ndarray,
    *,
    ball: Ball = "l2",
    lam: float | None = None,
    data_pull: Sequence[float] | None = None,
    extent: tuple[float, float, float, float] = (-1.0, 5.0, -1.0, 3.5),
    contour_levels: int = 7,
    negligible_pull: float = 1e-9,
) -> Axes:
    """Draw a 2-D weight space: loss contours, a norm ball, a solution path.

    Parameters
    ----------
    gram
        The 2x2 matrix of the quadratic data loss (w - w*)^T gram (w - w*),
        e.g. X^T X for squared error.
    w_star, w_lam
        The unpenalized minimum and the penalized solution to mark.
    path
        Array (k, 2): the solutions for a range of lam, drawn as one line.
    ball
        "l2" draws the disc of radius ||w_lam||_2, "l1" the diamond of radius
        ||w_lam||_1: the constraint set whose edge the solution sits on.
    data_pull
        If given, an arrow from w_lam in this direction (drawn with a fixed
        length): where the data loss would like w to move, i.e. -grad L(w_lam).
    negligible_pull
        A pull of at most this length (relative to ||gram|| ||w*||, the size
        of the data's gradient at the origin) is rounding error: at w* the data
        want to go nowhere, so no arrow is drawn.
    """
    w_star = np.asarray(w_star, dtype=float)
    w_lam = np.asarray(w_lam, dtype=float)
    path = np.asarray(path, dtype=float)
    grid1, grid2, loss = quadratic_loss_grid(gram, w_star, extent)

    # Levels evenly spaced in sqrt(loss) look evenly spaced on the page; the
    # outermost passes through the origin, where a heavy penalty ends up.
    at_origin = float(w_star @ gram @ w_star)
    levels = at_origin * np.linspace(0.0, 1.0, contour_levels + 1)[1:] ** 2
    ax.contour(
        grid1, grid2, loss, levels=levels, colors=COLORS["muted"], linewidths=0.8
    )
    touching = float((w_lam - w_star) @ gram @ (w_lam - w_star))
    if touching > 0:
        # The one contour that passes through the solution: it touches the ball.
        ax.contour(
            grid1, grid2, loss, levels=[touching], colors=COLORS["data"], linewidths=2.0
        )

    colour = COLORS["penalty"] if ball == "l2" else COLORS["l1"]
    if ball == "l2":
        radius = float(np.linalg.norm(w_lam))
        patch = Circle(
            (0.0, 0.0),
            radius,
            facecolor=colour,
            alpha=0.18,
            edgecolor=colour,
            lw=1.5,
            label=rf"$\|w\|_2 \leq$ {radius:.2f}",
        )
    else:
        radius = float(np.abs(w_lam).sum())
        patch = Polygon(
            ball_outline("l1", radius),
            closed=True,
            facecolor=colour,
            alpha=0.18,
            edgecolor=colour,
            lw=1.5,
            label=rf"$\|w\|_1 \leq$ {radius:.2f}",
        )
    ax.add_patch(patch)

    ax.plot(
        path[:, 0],
        path[:, 1],
        color=COLORS["total"],
        ls=":",
        lw=1.2,
        label="solution path",
    )
    ax.plot(*w_star, "o", color=COLORS["data"], ms=7, label="$w^*$ (no penalty)")
    ax.plot(*w_lam, "D", color=COLORS["total"], ms=7, label=r"$w_\lambda$")
    if data_pull is not None:
        pull = np.asarray(data_pull, dtype=float)
        length = np.linalg.norm(pull)
        scale = np.linalg.norm(gram, 2) * max(float(np.linalg.norm(w_star)), 1.0)
        if length > negligible_pull * scale:
            step = 0.7 * pull / length
            arrow = FancyArrow(
                w_lam[0],
                w_lam[1],
                step[0],
                step[1],
                width=0.03,
                head_width=0.15,
                length_includes_head=True,
                color=COLORS["data"],
            )
            ax.add_patch(arrow)
    ax.axhline(0.0, color="#333333", lw=0.6)
    ax.axvline(0.0, color="#333333", lw=0.6)
    ax.set_xlim(extent[0], extent[1])
    ax.set_ylim(extent[2], extent[3])
    ax.set_aspect("equal")
    ax.set_xlabel("$w_1$")
    ax.set_ylabel("$w_2$")
    title = "L2 penalty" if ball == "l2" else "L1 penalty"
    if lam is not None:
        title += rf", $\lambda$ = {lam:.3g}"
    ax.set_title(title)
    ax.legend(loc="center left", bbox_to_anchor=(1.02, 0.5), fontsize=8)
    return ax


def plot_shrinkage(
    axes: np.ndarray,
    factors: Sequence[float],
    lam: float,
    lams: Sequence[float],
    dof_curve: Sequence[float],
    dof: float,
) -> np.ndarray:
    """Left: one bar per singular direction, its shrinkage factor at ``lam``.

    Right: the effective degrees of freedom (``dof_curve``, one value per entry
    of ``lams``) against lam on a log axis, with ``lam`` and its ``dof``
    marked. The factors, the curve and ``dof`` are computed by the caller.
    """
    bar_ax, dof_ax = axes
    factors = np.asarray(factors, dtype=float)
    positions = np.arange(1, factors.size + 1)
    bar_ax.bar(positions, factors, color=COLORS["penalty"], width=0.7)
    bar_ax.set_ylim(0.0, 1.05)
    bar_ax.set_xticks(positions)
    bar_ax.set_xlabel("singular direction (most data variance first)")
    bar_ax.set_ylabel(r"factor $d_j^2 / (d_j^2 + \lambda)$")
    bar_ax.set_title(rf"shrinkage at $\lambda$ = {lam:.3g}")

    lams = np.asarray(lams, dtype=float)
    dof_curve = np.asarray(dof_curve, dtype=float)
    dof_ax.plot(lams, dof_curve, color=COLORS["total"])
    dof_ax.plot([lam], [dof], "D", color=COLORS["penalty"], ms=7)
    dof_ax.axvline(lam, color=COLORS["muted"], lw=1)
    dof_ax.set_xscale("log")
    dof_ax.set_ylim(0.0, factors.size + 0.5)
    dof_ax.set_xlabel(r"$\lambda$ (log scale)")
    dof_ax.set_ylabel("effective degrees of freedom")
    dof_ax.set_title(f"degrees of freedom: {dof:.2f}")
    return axes
