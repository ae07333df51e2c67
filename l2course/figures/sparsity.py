"""Figures for the chapter on L1, sparsity and the elastic net.

Every function takes precomputed numbers (coefficient paths, trajectories) and
only draws them: the chapter computes, these functions plot.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
from matplotlib.axes import Axes
from matplotlib.ticker import NullLocator

from l2course.figures.style import COLORS

#: Ten distinguishable line styles for ten coefficients: colour and dash both
#: vary, so no line depends on colour alone.
_PATH_COLORS = [
    "#0072B2",
    "#D55E00",
    "#009E73",
    "#E69F00",
    "#CC79A7",
    "#56B4E9",
    "#000000",
    "#999999",
    "#F0E442",
    "#8C564B",
]
_PATH_DASHES = ["-", "--", "-.", ":"]


def _path_style(j: int) -> dict:
    return {
        "color": _PATH_COLORS[j % len(_PATH_COLORS)],
        "ls": _PATH_DASHES[j % len(_PATH_DASHES)],
        "lw": 1.6,
    }


def count_nonzero(coefs: np.ndarray) -> int:
    """The number of entries that are not exactly zero (L1 zeros are exact)."""
    return int(np.count_nonzero(coefs))


def plot_coefficient_path(
    ax: Axes,
    lams: np.ndarray,
    coefs: np.ndarray,
    lam: float,
    names: Sequence[str],
    title: str,
    legend: bool = False,
) -> Axes:
    """Draw each coefficient against lam (log axis) and mark the value at ``lam``.

    ``coefs`` has shape (n_features, len(lams)), one column per lam, in the
    order of ``lams``. The title gets the number of non-zero weights at the
    grid point nearest ``lam``.
    """
    lams = np.asarray(lams, dtype=float)
    coefs = np.asarray(coefs, dtype=float)
    if coefs.shape[1] != lams.size:
        raise ValueError(
            f"coefs has {coefs.shape[1]} columns but there are {lams.size} lams; "
            "pass one column per lam"
        )
    i = int(np.argmin(np.abs(np.log(lams) - np.log(lam))))
    for j, name in enumerate(names):
        ax.plot(lams, coefs[j], label=name, **_path_style(j))
        ax.plot([lams[i]], [coefs[j, i]], "o", color=_path_style(j)["color"], ms=4)
    ax.axhline(0.0, color=COLORS["muted"], lw=0.8)
    ax.axvline(lams[i], color=COLORS["total"], lw=1)
    ax.set_xscale("log")
    # Minor ticks over six decades cost more to draw than the whole plot and
    # add nothing a reader of this figure needs.
    ax.xaxis.set_minor_locator(NullLocator())
    ax.set_xlabel(r"$\lambda$ (log scale)")
    ax.set_ylabel("coefficient")
    nonzero = count_nonzero(coefs[:, i])
    ax.set_title(f"{title}: {nonzero} of {coefs.shape[0]} weights non-zero")
    if legend:
        ax.legend(loc="upper right", fontsize=7, ncol=2)
    return ax


def plot_lasso_ridge_paths(
    axes: Sequence[Axes],
    lams: np.ndarray,
    lasso_coefs: np.ndarray,
    ridge_coefs: np.ndarray,
    lam: float,
    names: Sequence[str],
) -> Sequence[Axes]:
    """Two panels on a shared lam axis: the lasso path (left), the ridge path."""
    lasso_ax, ridge_ax = axes
    plot_coefficient_path(lasso_ax, lams, lasso_coefs, lam, names, "L1 (lasso)")
    plot_coefficient_path(
        ridge_ax, lams, ridge_coefs, lam, names, "L2 (ridge)", legend=True
    )
    low = min(np.min(lasso_coefs), np.min(ridge_coefs))
    high = max(np.max(lasso_coefs), np.max(ridge_coefs))
    pad = 0.05 * (high - low)
    for ax in axes:
        ax.set_ylim(low - pad, high + pad)
    return axes


def plot_update_trajectories(
    axes: Sequence[Axes],
    trajectories: Mapping[str, np.ndarray],
    step: int,
    targets: Mapping[str, np.ndarray] | None = None,
) -> Sequence[Axes]:
    """One panel per update rule: every weight's value against the step count.

    ``trajectories`` maps a panel title to an array of shape (steps + 1,
    n_weights), row t holding the weights after t steps. Only rows 0..``step``
    are drawn, so a slider over ``step`` animates the updates. ``targets``
    (same keys) adds each weight's limit as a dotted line. Each panel's title
    counts the weights that are exactly zero at ``step``.
    """
    if len(axes) != len(trajectories):
        raise ValueError(
            f"{len(trajectories)} trajectories need as many axes, got {len(axes)}"
        )
    all_values = np.concatenate([np.ravel(t) for t in trajectories.values()])
    top = float(np.max(np.abs(all_values))) * 1.1
    for ax, (name, path) in zip(axes, trajectories.items(), strict=True):
        path = np.asarray(path, dtype=float)
        if not 0 <= step < path.shape[0]:
            raise ValueError(f"step {step} is outside 0..{path.shape[0] - 1}")
        t = np.arange(step + 1)
        for j in range(path.shape[1]):
            style = _path_style(j)
            ax.plot(t, path[: step + 1, j], color=style["color"], lw=1.4)
            ax.plot([step], [path[step, j]], "o", color=style["color"], ms=4)
            if targets is not None:
                ax.axhline(targets[name][j], color=style["color"], lw=0.8, ls=":")
        ax.axhline(0.0, color=COLORS["muted"], lw=0.8)
        ax.set_xlim(0, path.shape[0] - 1)
        ax.set_ylim(-top, top)
        ax.set_xlabel("step")
        zeros = int(np.sum(path[step] == 0.0))
        ax.set_title(f"{name}\n{zeros} of {path.shape[1]} exactly zero", fontsize=9)
    axes[0].set_ylabel("weight $w$")
    return axes
