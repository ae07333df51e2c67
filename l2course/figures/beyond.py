"""Figures for the chapter on L2 beyond least squares.

The chapter computes the minima, paths and filter factors; these functions
only draw them, so a picture cannot disagree with the numbers in the text.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
from matplotlib.axes import Axes

from l2course.figures.style import COLORS

_DIRECTION_COLORS = (COLORS["data"], COLORS["penalty"], COLORS["l1"], COLORS["accent"])


def plot_curvature_shrinkage(
    axes: Sequence[Axes],
    grid_w1: np.ndarray,
    grid_w2: np.ndarray,
    surface: np.ndarray,
    w_star: np.ndarray,
    eigenvectors: np.ndarray,
    exact_minimum: np.ndarray,
    predicted_minimum: np.ndarray,
    lams: np.ndarray,
    exact_factors: np.ndarray,
    curvatures: np.ndarray,
    lam: float,
) -> Sequence[Axes]:
    """Where the penalized minimum of a smooth two-weight loss lies, and why.

    Left: contours of the penalized loss ``surface`` over the grid, the
    unpenalized minimum ``w_star`` (circle), the exact penalized minimum
    (diamond) and the eigenbasis prediction (cross). The Hessian's
    eigenvectors (the columns of ``eigenvectors``) are drawn as lines through
    the origin. Right: for each eigenvector i, the fraction of w_star's
    component kept, exact (markers, ``exact_factors`` of shape
    (len(lams), 2)) against h_i / (h_i + 2 lam) (lines). A grey line marks
    ``lam``.
    """
    plane, factors = axes
    plane.contour(
        grid_w1, grid_w2, surface, levels=12, colors=COLORS["muted"], linewidths=0.8
    )
    reach = float(max(np.abs(grid_w1).max(), np.abs(grid_w2).max()))
    for i in range(2):
        direction = eigenvectors[:, i]
        plane.plot(
            [-reach * direction[0], reach * direction[0]],
            [-reach * direction[1], reach * direction[1]],
            color=_DIRECTION_COLORS[i],
            lw=1,
            ls=":",
            label=f"eigenvector {i + 1}, $h_{i + 1}$ = {curvatures[i]:.3g}",
        )
    plane.plot(*w_star, "o", color=COLORS["total"], ms=7, label="minimum of $L$")
    plane.plot(
        *exact_minimum,
        "D",
        color=COLORS["total"],
        ms=7,
        mfc="white",
        label="exact penalized minimum",
    )
    plane.plot(
        *predicted_minimum,
        "x",
        color=COLORS["penalty"],
        ms=9,
        mew=2,
        label="eigenbasis prediction",
    )
    plane.plot([0], [0], "+", color="#555555", ms=10)
    plane.set_xlim(float(grid_w1.min()), float(grid_w1.max()))
    plane.set_ylim(float(grid_w2.min()), float(grid_w2.max()))
    plane.set_aspect("equal")
    plane.set_xlabel("$w_1$")
    plane.set_ylabel("$w_2$")
    plane.set_title(rf"$L + \lambda\|w\|^2$, $\lambda$ = {lam:.3g}")
    plane.legend(
        loc="lower left", fontsize=7, facecolor="white", framealpha=0.9, frameon=True
    )

    lams = np.asarray(lams, dtype=float)
    smooth = np.logspace(np.log10(lams.min()), np.log10(lams.max()), 200)
    for i in range(2):
        color = _DIRECTION_COLORS[i]
        factors.plot(
            smooth,
            curvatures[i] / (curvatures[i] + 2 * smooth),
            color=color,
            label=rf"$h_{i + 1}/(h_{i + 1} + 2\lambda)$",
        )
        factors.plot(
            lams,
            exact_factors[:, i],
            "o",
            color=color,
            ms=4,
            mfc="white",
            label=f"exact, direction {i + 1}",
        )
    factors.axvline(lam, color=COLORS["muted"], lw=1)
    factors.set_xscale("log")
    factors.set_ylim(0, 1.05)
    factors.set_xlabel(r"$\lambda$")
    factors.set_ylabel("fraction of the component kept")
    factors.set_title("shrinkage along each eigenvector")
    factors.legend(loc="lower left", fontsize=7)
    return axes


def plot_early_stopping(
    axes: Sequence[Axes],
    step_grid: np.ndarray,
    gd_path: np.ndarray,
    ridge_path: np.ndarray,
    steps: int,
    curvature_grid: np.ndarray,
    gd_filter: np.ndarray,
    ridge_filter: np.ndarray,
    data_curvatures: np.ndarray,
    feature_names: Sequence[str],
) -> Sequence[Axes]:
    """Gradient descent stopped after ``steps`` steps beside ridge.

    Left: every coefficient along gradient descent (solid, against the step
    count in ``step_grid``) and along ridge (dashed, against 1/(2 lr lam)
    evaluated on the same grid); ``gd_path`` and ``ridge_path`` have shape
    (len(step_grid), n_features). A grey line marks ``steps``. Right: the
    fraction of each eigen-component that each method keeps, against the
    curvature h, with the data's own curvatures marked.
    """
    paths, filters = axes
    for j in range(gd_path.shape[1]):
        color = f"C{j % 7}"
        paths.plot(
            step_grid,
            gd_path[:, j],
            color=color,
            lw=1.4,
            label=feature_names[j] if j < len(feature_names) else None,
        )
        paths.plot(step_grid, ridge_path[:, j], color=color, lw=1.2, ls="--")
    paths.axvline(steps, color=COLORS["muted"], lw=1.5)
    paths.set_xscale("log")
    paths.set_xlabel(r"steps $t$ (solid)  or  $1/(2\alpha\lambda)$ (dashed)")
    paths.set_ylabel("coefficient")
    paths.set_title(f"paths; grey line at t = {steps}")
    paths.legend(loc="upper left", fontsize=6, ncol=2)

    filters.plot(
        curvature_grid,
        gd_filter,
        color=COLORS["data"],
        lw=2,
        label=f"gradient descent, t = {steps}",
    )
    filters.plot(
        curvature_grid,
        ridge_filter,
        color=COLORS["penalty"],
        lw=2,
        ls="--",
        label=r"ridge, $\lambda = 1/(2\alpha t)$",
    )
    filters.plot(
        data_curvatures,
        np.zeros_like(data_curvatures),
        "|",
        color=COLORS["total"],
        ms=14,
        mew=1.5,
        label="the data's curvatures $h_j$",
    )
    filters.set_xscale("log")
    filters.set_ylim(-0.05, 1.05)
    filters.set_xlabel("curvature $h$")
    filters.set_ylabel("fraction of the component kept")
    filters.set_title("filter factors")
    filters.legend(loc="upper left", fontsize=7)
    return axes


def plot_separable_growth(
    axes: Sequence[Axes],
    step_grid: np.ndarray,
    weight_norms: Mapping[str, np.ndarray],
    train_losses: Mapping[str, np.ndarray],
) -> Sequence[Axes]:
    """Weight norm and training loss of logistic regression against the step.

    One curve per entry of the mappings (a label such as "λ = 0.001"), drawn
    in the same colour on both panels; both x-axes are logarithmic, and so is
    the loss axis, because without a penalty the loss heads for zero.
    """
    norms, losses = axes
    for i, label in enumerate(weight_norms):
        color = (COLORS["total"], COLORS["data"], COLORS["penalty"], COLORS["l1"])[
            i % 4
        ]
        style = "-" if i == 0 else "--"
        norms.plot(step_grid, weight_norms[label], color=color, ls=style, label=label)
        losses.plot(step_grid, train_losses[label], color=color, ls=style, label=label)
    for ax in axes:
        ax.set_xscale("log")
        ax.set_xlabel("gradient-descent steps")
    norms.set_ylabel(r"$\|\mathbf{w}\|$")
    norms.set_title("weight norm")
    losses.set_yscale("log")
    losses.set_ylabel("mean cross-entropy on the 80 points")
    losses.set_title("training loss (data term)")
    norms.legend(loc="upper left", fontsize=8)
    return axes
