"""Figures for the chapter on the Bayesian view of the penalty.

The functions only draw. The posterior means, spreads and bands are computed
by the caller (the chapter), so nothing here answers a graded exercise.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from matplotlib.axes import Axes

from l2course.figures.style import COLORS


def normal_density(x: np.ndarray, mean: float, sd: float) -> np.ndarray:
    """The N(mean, sd^2) density at ``x``."""
    z = (np.asarray(x, dtype=float) - mean) / sd
    return np.exp(-0.5 * z**2) / (sd * np.sqrt(2.0 * np.pi))


def plot_gaussian_update(
    ax: Axes,
    prior_sd: float,
    likelihood: tuple[float, float],
    posterior: tuple[float, float],
    *,
    w_range: tuple[float, float] = (-1.5, 2.0),
    y_max: float | None = None,
) -> Axes:
    """Draw a zero-mean Gaussian prior, a likelihood and a posterior for one weight.

    ``likelihood`` and ``posterior`` are (mean, sd) pairs. The likelihood is
    drawn as a density in w (normalized to area 1), so that the three curves
    share one scale. The posterior's mean is marked with a vertical line.
    """
    w = np.linspace(*w_range, 600)
    like_mean, like_sd = likelihood
    post_mean, post_sd = posterior
    ax.plot(
        w,
        normal_density(w, 0.0, prior_sd),
        color=COLORS["penalty"],
        ls="--",
        label=rf"prior N(0, $\tau^2$), $\tau$ = {prior_sd:.3g}",
    )
    ax.plot(
        w,
        normal_density(w, like_mean, like_sd),
        color=COLORS["data"],
        label="likelihood (as a density in w)",
    )
    ax.plot(
        w,
        normal_density(w, post_mean, post_sd),
        color=COLORS["total"],
        lw=2,
        label="posterior",
    )
    ax.axvline(post_mean, color=COLORS["total"], lw=0.8, ls=":")
    ax.axvline(like_mean, color=COLORS["data"], lw=0.8, ls=":")
    ax.set_xlim(*w_range)
    if y_max is not None:
        ax.set_ylim(0.0, y_max)
    else:
        ax.set_ylim(bottom=0.0)
    ax.set_xlabel("slope $w$")
    ax.set_ylabel("density")
    ax.set_title(f"posterior mean {post_mean:.3f}, sd {post_sd:.3f}")
    ax.legend(loc="upper left", fontsize=8)
    return ax


def plot_predictive_bands(
    ax: Axes,
    x_train: Sequence[float],
    y_train: Sequence[float],
    x_grid: Sequence[float],
    mean: Sequence[float],
    function_sd: Sequence[float],
    predictive_sd: Sequence[float],
    *,
    x_other: Sequence[float] | None = None,
    y_other: Sequence[float] | None = None,
    title: str = "",
    y_range: tuple[float, float] = (-3.0, 3.0),
) -> Axes:
    """Draw a posterior mean curve with two bands of plus or minus 2 sd.

    The inner band (``function_sd``) is the uncertainty about the regression
    curve itself; the outer one (``predictive_sd``) adds the noise of a new
    observation. All arrays over ``x_grid`` are computed by the caller.
    ``x_other``, ``y_other`` (optional) are held-out points, drawn faintly.
    """
    x_grid = np.asarray(x_grid, dtype=float)
    mean = np.asarray(mean, dtype=float)
    function_sd = np.asarray(function_sd, dtype=float)
    predictive_sd = np.asarray(predictive_sd, dtype=float)
    ax.fill_between(
        x_grid,
        mean - 2 * predictive_sd,
        mean + 2 * predictive_sd,
        color=COLORS["validation"],
        alpha=0.25,
        label="new observation, ±2 sd",
    )
    # An opaque white underlay keeps the inner band the colour its legend shows,
    # instead of a blend with the outer band.
    ax.fill_between(
        x_grid, mean - 2 * function_sd, mean + 2 * function_sd, color="white"
    )
    ax.fill_between(
        x_grid,
        mean - 2 * function_sd,
        mean + 2 * function_sd,
        color=COLORS["data"],
        alpha=0.35,
        label="regression curve, ±2 sd",
    )
    if x_other is not None and y_other is not None:
        ax.scatter(
            x_other,
            y_other,
            color=COLORS["muted"],
            s=6,
            alpha=0.5,
            label="held-out patients",
        )
    ax.plot(x_grid, mean, color=COLORS["total"], lw=2, label="posterior mean")
    ax.scatter(
        x_train, y_train, color=COLORS["data"], s=22, zorder=3, label="training points"
    )
    ax.set_xlim(float(x_grid.min()), float(x_grid.max()))
    ax.set_ylim(*y_range)
    ax.set_xlabel("body-mass index (standardized)")
    ax.set_ylabel("progression (standardized)")
    if title:
        ax.set_title(title)
    ax.legend(loc="center left", bbox_to_anchor=(1.02, 0.5), fontsize=8)
    return ax
