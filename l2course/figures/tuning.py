"""Figures for the chapter on choosing λ and on L2 in a neural network.

As everywhere in ``l2course.figures``, the chapter computes (cross-validation
errors, trained networks) and these functions only draw.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from matplotlib.axes import Axes
from matplotlib.ticker import NullLocator

from l2course.figures.style import COLORS


def _label(value: float) -> str:
    """A λ as the sliders print it: 3 significant digits, 0.001 -> '0.001'."""
    return f"{value:.3g}"


def plot_cv_curves(
    ax: Axes,
    lams: np.ndarray,
    fold_errors: np.ndarray,
    train_error: np.ndarray,
    fold: int,
) -> Axes:
    """Cross-validation curves against lam, one fold highlighted.

    ``fold_errors`` has shape (len(lams), n_folds): the validation error of
    each fold at each lam. Draws every fold faintly, fold number ``fold``
    (1-based) in colour with its own minimum, the mean over folds in black with
    its minimum, and the mean training error. Both axes are logarithmic.
    """
    lams = np.asarray(lams, dtype=float)
    fold_errors = np.asarray(fold_errors, dtype=float)
    n_folds = fold_errors.shape[1]
    if fold_errors.shape[0] != lams.size:
        raise ValueError(
            f"fold_errors has {fold_errors.shape[0]} rows for {lams.size} lams; "
            "pass one row per lam"
        )
    if not 1 <= fold <= n_folds:
        raise ValueError(f"fold must be between 1 and {n_folds}, got {fold}")
    for k in range(n_folds):
        ax.plot(lams, fold_errors[:, k], color=COLORS["muted"], lw=0.8, alpha=0.6)
    chosen = fold_errors[:, fold - 1]
    i_fold = int(np.argmin(chosen))
    ax.plot(
        lams,
        chosen,
        color=COLORS["validation"],
        lw=2,
        label=f"validation error, fold {fold}",
    )
    ax.plot([lams[i_fold]], [chosen[i_fold]], "s", color=COLORS["validation"], ms=7)
    mean = fold_errors.mean(axis=1)
    i_mean = int(np.argmin(mean))
    ax.plot(
        lams,
        mean,
        color=COLORS["total"],
        lw=2,
        ls="--",
        label=f"mean of {n_folds} folds",
    )
    ax.plot([lams[i_mean]], [mean[i_mean]], "D", color=COLORS["total"], ms=7)
    ax.plot(lams, train_error, color=COLORS["data"], lw=1.5, label="training error")
    ax.set_xscale("log")
    ax.set_yscale("log")
    # Minor ticks over many decades are slow to draw and add nothing here.
    ax.xaxis.set_minor_locator(NullLocator())
    ax.set_xlabel(r"$\lambda$ (log scale)")
    ax.set_ylabel("mean squared error (log scale)")
    ax.set_title(
        rf"fold {fold} alone picks $\lambda$ = {_label(lams[i_fold])}; "
        rf"the mean picks {_label(lams[i_mean])}",
        fontsize=10,
    )
    ax.legend(loc="upper right", fontsize=8)
    return ax


def plot_decision_boundary(
    ax: Axes,
    grid_x: np.ndarray,
    grid_y: np.ndarray,
    proba: np.ndarray,
    X: np.ndarray,
    y: np.ndarray,
    title: str = "",
) -> Axes:
    """Shade a classifier's probability of class 1 over a 2-D grid.

    ``grid_x`` and ``grid_y`` are the 1-D coordinates of the grid and
    ``proba`` has shape (len(grid_y), len(grid_x)). The decision boundary
    (probability 0.5) is drawn in black; the points ``X`` are marked by class
    with both colour and shape, so the classes differ without colour.
    """
    proba = np.asarray(proba, dtype=float)
    if proba.shape != (len(grid_y), len(grid_x)):
        raise ValueError(
            f"proba has shape {proba.shape}, expected (len(grid_y), len(grid_x)) "
            f"= {(len(grid_y), len(grid_x))}"
        )
    levels = np.linspace(0.0, 1.0, 11)
    # Red-to-blue, matching the marker colours: class 0 points sit on red
    # ground where the network is right, on blue ground where it is wrong.
    ax.contourf(grid_x, grid_y, proba, levels=levels, cmap="RdBu", alpha=0.35)
    if proba.min() < 0.5 < proba.max():
        ax.contour(
            grid_x, grid_y, proba, levels=[0.5], colors=COLORS["total"], linewidths=2
        )
    y = np.asarray(y)
    ax.scatter(
        *X[y == 0].T,
        marker="o",
        s=22,
        color=COLORS["penalty"],
        edgecolor="white",
        linewidth=0.5,
        label="class 0",
    )
    ax.scatter(
        *X[y == 1].T,
        marker="^",
        s=26,
        color=COLORS["data"],
        edgecolor="white",
        linewidth=0.5,
        label="class 1",
    )
    ax.set_xlim(grid_x[0], grid_x[-1])
    ax.set_ylim(grid_y[0], grid_y[-1])
    ax.set_xlabel("$x_1$")
    ax.set_ylabel("$x_2$")
    ax.grid(False)
    if title:
        ax.set_title(title, fontsize=10)
    ax.legend(loc="upper right", fontsize=8, framealpha=0.8, frameon=True)
    return ax


def plot_accuracy_against_lam(
    ax: Axes,
    lams: Sequence[float],
    train_accuracy: Sequence[float],
    val_accuracy: Sequence[float],
    lam: float,
) -> Axes:
    """Training and validation accuracy at each lam, the current lam marked.

    The lams are placed at equal spacing and labelled, so that lam = 0 can sit
    beside the others (a log axis has no place for it).
    """
    lams = list(lams)
    if not len(lams) == len(train_accuracy) == len(val_accuracy):
        raise ValueError(
            "lams, train_accuracy and val_accuracy must have one value per lam"
        )
    positions = np.arange(len(lams))
    i = int(np.argmin([abs(v - lam) for v in lams]))
    ax.plot(positions, train_accuracy, "o-", color=COLORS["data"], label="training")
    ax.plot(
        positions, val_accuracy, "s--", color=COLORS["validation"], label="validation"
    )
    ax.axvline(positions[i], color=COLORS["muted"], lw=1)
    ax.plot([positions[i]], [train_accuracy[i]], "o", color=COLORS["data"], ms=9)
    ax.plot([positions[i]], [val_accuracy[i]], "s", color=COLORS["validation"], ms=9)
    ax.set_xticks(positions, [_label(v) for v in lams], rotation=60, fontsize=8)
    ax.set_ylim(0.4, 1.02)
    ax.set_xlabel(r"$\lambda$")
    ax.set_ylabel("accuracy")
    ax.set_title("accuracy against $\\lambda$", fontsize=10)
    ax.legend(loc="lower left", fontsize=8)
    return ax
