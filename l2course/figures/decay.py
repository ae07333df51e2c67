"""Figures for the chapter on the weight-decay factor.

The chapter simulates the updates; these functions only draw the arrays they
are given, so the same numbers appear in the text and in the pictures.
"""

from __future__ import annotations

import numpy as np
from matplotlib.axes import Axes

from l2course.figures.style import COLORS

# Where the three regimes of the factor 1 - 2*lr*lam begin, on the 2*lr*lam axis.
REGIME_EDGES = (0.0, 1.0, 2.0)


def plot_decay_regime(
    axes: np.ndarray,
    steps: np.ndarray,
    weights: np.ndarray,
    products: np.ndarray,
    factor_sizes: np.ndarray,
    product: float,
    *,
    ylim: tuple[float, float] = (-2.5, 2.5),
    title: str = "",
) -> np.ndarray:
    """Two panels on the decay factor 1 - 2*lr*lam.

    Left: a weight ``weights[t]`` after ``steps[t]`` decay-only updates, with
    the points joined so that a sign flip shows as a zigzag. Values outside
    ``ylim`` leave the frame, as a diverging weight should.
    Right: ``factor_sizes`` (|1 - 2*lr*lam|) against ``products`` (2*lr*lam),
    the line |factor| = 1 that separates shrinking from growing, and the
    current ``product`` marked.
    """
    path_ax, factor_ax = axes
    path_ax.axhline(0, color="#555555", lw=0.8)
    path_ax.plot(steps, weights, "-o", color=COLORS["penalty"], ms=4, lw=1.5)
    path_ax.set_ylim(*ylim)
    path_ax.set_xlim(float(np.min(steps)) - 0.5, float(np.max(steps)) + 0.5)
    path_ax.set_xlabel("step $t$")
    path_ax.set_ylabel("weight $w_t$")
    path_ax.set_title(title or "decay only, no data gradient")

    factor_ax.plot(products, factor_sizes, color=COLORS["total"], lw=2)
    factor_ax.axhline(1.0, color=COLORS["muted"], ls="--", lw=1)
    for edge in REGIME_EDGES[1:]:
        factor_ax.axvline(edge, color=COLORS["muted"], lw=0.8)
    i = int(np.argmin(np.abs(np.asarray(products) - product)))
    factor_ax.plot([products[i]], [factor_sizes[i]], "o", color=COLORS["penalty"], ms=8)
    top = 1.05 * float(np.max(factor_sizes))
    for (left, right), label in zip(
        ((0.0, 1.0), (1.0, 2.0), (2.0, float(np.max(products)))),
        ("shrinks", "flips sign,\nshrinks", "diverges"),
        strict=True,
    ):
        factor_ax.text(
            (left + right) / 2, 0.92 * top, label, ha="center", va="top", fontsize=8
        )
    factor_ax.set_xlim(float(np.min(products)), float(np.max(products)))
    factor_ax.set_ylim(0, top)
    factor_ax.set_xlabel(r"$2\alpha\lambda$")
    factor_ax.set_ylabel(r"$|1 - 2\alpha\lambda|$")
    factor_ax.set_title("size of the factor")
    return axes


def plot_weight_trajectory(
    ax: Axes,
    steps: np.ndarray,
    decay_only: np.ndarray,
    with_data: np.ndarray,
    w_eq: float,
    w_star: float,
    *,
    half_life: float | None = None,
    title: str = "",
) -> Axes:
    """One weight over training steps, with and without a data gradient.

    ``decay_only[t]`` and ``with_data[t]`` are the weight after ``steps[t]``
    updates. Horizontal lines mark the data's own minimum ``w_star`` and the
    equilibrium ``w_eq`` where the data's pull balances the decay. If
    ``half_life`` is at least one step and inside the plotted steps, the point
    where the decay-only weight has halved is marked. The step axis is logarithmic
    beyond 1, so fast and slow settings both fit.
    """
    ax.axhline(
        w_star,
        color=COLORS["data"],
        ls="-.",
        lw=1,
        label=f"data minimum $w^*$ = {w_star:.3g}",
    )
    ax.axhline(
        w_eq,
        color=COLORS["data"],
        ls=":",
        lw=2,
        label=f"equilibrium $w_{{eq}}$ = {w_eq:.3g}",
    )
    ax.plot(
        steps, decay_only, color=COLORS["penalty"], ls="--", lw=2, label="decay only"
    )
    ax.plot(steps, with_data, color=COLORS["total"], lw=2, label="decay + data")
    # A half-life under one step is not a point on the path worth marking.
    if half_life is not None and 1 <= half_life <= steps[-1]:
        ax.plot(
            [half_life],
            [decay_only[0] / 2],
            "o",
            color=COLORS["penalty"],
            ms=6,
            label=f"half-life: {half_life:.3g} steps",
        )
    ax.set_xscale("symlog", linthresh=1)
    ax.set_xlim(float(steps[0]), float(steps[-1]))
    top = 1.1 * float(max(np.max(decay_only), np.max(with_data), w_star))
    ax.set_ylim(min(-0.1 * top, float(np.min(with_data))), top)
    ax.set_xlabel("step $t$ (log scale after 1)")
    ax.set_ylabel("weight $w_t$")
    if title:
        ax.set_title(title)
    ax.legend(loc="upper right", fontsize=8)
    return ax
