"""Figures for the chapter on weight decay inside optimizers.

The chapter runs the optimizers; these functions draw the histories they are
handed, one panel per optimizer or per quantity.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
from matplotlib.axes import Axes

from l2course.figures.style import COLORS

#: One colour and line style per optimizer, so every figure of the chapter
#: draws the same optimizer the same way.
OPTIMIZER_STYLE = {
    "Adam + L2": {"color": COLORS["data"], "ls": "-"},
    "AdamW": {"color": COLORS["penalty"], "ls": "--"},
}


def _style(name: str) -> dict:
    return OPTIMIZER_STYLE.get(name, {"color": COLORS["total"], "ls": "-"})


def plot_runs_side_by_side(
    axes: Sequence[Axes],
    steps: np.ndarray,
    runs: Mapping[str, np.ndarray],
    reference: np.ndarray,
    *,
    shown_runs: int = 4,
    ylim: tuple[float, float] = (-0.4, 1.6),
    suptitle: str = "",
) -> Sequence[Axes]:
    """One panel per optimizer: weights over steps, many runs at once.

    ``runs[name]`` has shape (len(steps), n_runs): column j is run j's weight
    after each step. The first ``shown_runs`` runs are drawn thin, their mean
    thick, and ``reference`` (the same length as ``steps``) dashed in grey on
    every panel, so the panels can be compared against one curve.
    """
    for ax, (name, history) in zip(axes, runs.items(), strict=True):
        style = _style(name)
        history = np.asarray(history, dtype=float)
        ax.axhline(0, color="#555555", lw=0.8)
        ax.plot(
            steps,
            reference,
            color=COLORS["muted"],
            ls="--",
            lw=2,
            label=r"$(1-2\alpha\lambda)^t$",
        )
        for j in range(min(shown_runs, history.shape[1])):
            ax.plot(steps, history[:, j], color=style["color"], lw=0.7, alpha=0.45)
        ax.plot(
            steps,
            history.mean(axis=1),
            color=style["color"],
            lw=2.5,
            label=f"mean of {history.shape[1]} runs",
        )
        ax.set_xlim(float(steps[0]), float(steps[-1]))
        ax.set_ylim(*ylim)
        ax.set_xlabel("step $t$")
        ax.set_ylabel("weight")
        ax.set_title(f"{name}{': ' + suptitle if suptitle else ''}")
        ax.legend(loc="upper right", fontsize=8)
    return axes


def plot_lambda_sweep(
    axes: Sequence[Axes],
    steps: np.ndarray,
    lams: Sequence[float],
    lam: float,
    weight_norms: Mapping[str, np.ndarray],
    val_losses: Mapping[str, np.ndarray],
) -> Sequence[Axes]:
    """Three panels comparing optimizers over a grid of ``lams``.

    ``weight_norms[name]`` and ``val_losses[name]`` have shape
    (len(lams), len(steps)): the weight norm and the validation loss after
    each step, for each lam. Left: the weight norm over steps at ``lam``.
    Middle: the validation loss over steps at ``lam``. Right: the final
    validation loss against lam (log scale), with ``lam`` marked.
    """
    norm_ax, val_ax, sweep_ax = axes
    i = int(np.argmin(np.abs(np.log(np.asarray(lams)) - np.log(lam))))
    for name in weight_norms:
        style = _style(name)
        norm_ax.plot(steps, weight_norms[name][i], lw=2, label=name, **style)
        val_ax.plot(steps, val_losses[name][i], lw=2, label=name, **style)
        finals = np.asarray(val_losses[name])[:, -1]
        sweep_ax.plot(lams, finals, lw=2, marker=".", label=name, **style)
        sweep_ax.plot([lams[i]], [finals[i]], "o", color=style["color"], ms=8)
    norm_ax.set_ylim(0, 1.05 * max(float(np.max(v)) for v in weight_norms.values()))
    top = max(float(np.max(np.asarray(v)[:, 1:])) for v in val_losses.values())
    val_ax.set_ylim(0, 1.05 * top)
    for ax in (norm_ax, val_ax):
        ax.set_xlim(float(steps[0]), float(steps[-1]))
        ax.set_xlabel("step")
    norm_ax.set_ylabel(r"weight norm $\|\mathbf{w}\|$")
    norm_ax.set_title(rf"weights, $\lambda$ = {lams[i]:.3g}")
    val_ax.set_ylabel("validation loss")
    val_ax.set_title(rf"validation loss, $\lambda$ = {lams[i]:.3g}")
    sweep_ax.axvline(lams[i], color=COLORS["muted"], lw=1)
    sweep_ax.set_xscale("log")
    sweep_ax.set_xlabel(r"$\lambda$ (log scale)")
    sweep_ax.set_ylabel("final validation loss")
    sweep_ax.set_title(r"after training, against $\lambda$")
    for ax, where in zip(
        axes, ("lower right", "upper right", "upper left"), strict=True
    ):
        ax.legend(loc=where, fontsize=8)
    return axes
