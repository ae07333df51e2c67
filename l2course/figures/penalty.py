"""Figures for the chapter on the penalty itself."""

from __future__ import annotations

import numpy as np
from matplotlib.axes import Axes

from l2course.figures.style import COLORS


def plot_penalized_quadratic(
    ax: Axes,
    lam: float,
    curvature: float = 1.0,
    w_star: float = 2.0,
    w_range: tuple[float, float] = (-1.0, 3.5),
) -> Axes:
    """Draw a 1-D data loss a(w - w*)^2, the penalty lam*w^2, and their sum.

    Marks the minimum of the data loss and of the sum, which sits at
    a*w*/(a + lam).
    """
    w = np.linspace(*w_range, 400)
    data_loss = curvature * (w - w_star) ** 2
    penalty = lam * w**2
    total = data_loss + penalty
    w_min = curvature * w_star / (curvature + lam)
    total_min = curvature * (w_min - w_star) ** 2 + lam * w_min**2
    ax.plot(w, data_loss, color=COLORS["data"], label="data loss $L(w)$")
    ax.plot(
        w, penalty, color=COLORS["penalty"], ls="--", label=r"penalty $\lambda w^2$"
    )
    ax.plot(w, total, color=COLORS["total"], lw=2, label=r"$L(w) + \lambda w^2$")
    ax.plot([w_star], [0.0], "o", color=COLORS["data"], ms=7)
    ax.plot([w_min], [total_min], "D", color=COLORS["total"], ms=7)
    # Above the plot's top right corner, where no curve can run through it.
    ax.annotate(
        f"minimum at w = {w_min:.2f}",
        (w_min, total_min),
        xytext=(1.0, 1.02),
        textcoords="axes fraction",
        ha="right",
        va="bottom",
    )
    ax.set_xlim(*w_range)
    ax.set_ylim(-0.5, 10)
    ax.set_xlabel("weight $w$")
    ax.set_ylabel("loss")
    ax.set_title(rf"$\lambda$ = {lam:.3g}")
    ax.legend(loc="upper left")
    return ax


def plot_polynomial_fit(
    axes: np.ndarray,
    x_train: np.ndarray,
    y_train: np.ndarray,
    x_grid: np.ndarray,
    y_grid: np.ndarray,
    lams: np.ndarray,
    train_error: np.ndarray,
    val_error: np.ndarray,
    lam: float,
) -> np.ndarray:
    """Left: the fitted curve over the training points at one lam.

    Right: training and validation error against lam on a log axis, with the
    current lam marked.
    """
    fit_ax, error_ax = axes
    fit_ax.scatter(
        x_train, y_train, color=COLORS["data"], s=22, label="training points"
    )
    fit_ax.plot(x_grid, y_grid, color=COLORS["total"], lw=2, label="fitted polynomial")
    fit_ax.set_ylim(-3, 3)
    fit_ax.set_xlabel("body-mass index (standardized)")
    fit_ax.set_ylabel("progression (standardized)")
    fit_ax.set_title(rf"fit at $\lambda$ = {lam:.3g}")
    fit_ax.legend(loc="upper left", fontsize=8)

    error_ax.plot(lams, train_error, color=COLORS["data"], label="training error")
    error_ax.plot(
        lams, val_error, color=COLORS["validation"], ls="--", label="validation error"
    )
    i = int(np.argmin(np.abs(np.asarray(lams) - lam)))
    error_ax.plot([lams[i]], [train_error[i]], "o", color=COLORS["data"])
    error_ax.plot([lams[i]], [val_error[i]], "s", color=COLORS["validation"])
    error_ax.axvline(lams[i], color=COLORS["muted"], lw=1)
    error_ax.set_xscale("log")
    # Log y too: the validation error spans orders of magnitude, and a linear
    # axis flattens its minimum into the floor.
    error_ax.set_yscale("log")
    error_ax.set_xlabel(r"$\lambda$ (log scale)")
    error_ax.set_ylabel("mean squared error (log scale)")
    error_ax.set_title("error against $\\lambda$")
    error_ax.legend(loc="upper left", fontsize=8)
    return axes
