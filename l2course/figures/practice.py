"""Figures for the chapter on L2 in practice.

The chapter fits the models and chooses the λ values; these functions only
draw what it computed.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
from matplotlib.axes import Axes
from matplotlib.colors import LogNorm, Normalize

from l2course.figures.style import COLORS


def plot_rescaled_feature(
    axes: Sequence[Axes],
    feature_names: Sequence[str],
    effects: Mapping[str, np.ndarray],
    standardized: Mapping[str, np.ndarray],
    rescaled: int,
    scale: float,
) -> Sequence[Axes]:
    """Per-standard-deviation effects of each feature, one panel per model.

    ``effects[model]`` holds the fitted effect of one standard deviation of
    each feature when feature number ``rescaled`` was multiplied by ``scale``
    before fitting; ``standardized[model]`` the same with no rescaling, drawn
    as open markers. The rescaled feature's bar is vermillion.
    """
    positions = np.arange(len(feature_names))
    for ax, model in zip(axes, effects, strict=True):
        colors = [
            COLORS["penalty"] if j == rescaled else COLORS["data"] for j in positions
        ]
        ax.bar(positions, effects[model], color=colors, width=0.7)
        ax.plot(
            positions,
            standardized[model],
            "o",
            color=COLORS["total"],
            mfc="white",
            ms=6,
            label="all features standardized",
        )
        ax.axhline(0, color="#555555", lw=0.8)
        ax.set_xticks(positions, feature_names, rotation=60, fontsize=8)
        ax.set_ylabel("effect of one standard deviation")
        ax.set_title(f"{model}: '{feature_names[rescaled]}' × {scale:.3g}")
        ax.legend(loc="lower left", fontsize=7)
    low = min(float(np.min(v)) for v in (*effects.values(), *standardized.values()))
    high = max(float(np.max(v)) for v in (*effects.values(), *standardized.values()))
    pad = 0.08 * (high - low)
    for ax in axes:
        ax.set_ylim(low - pad, high + pad)
    return axes


def plot_one_standard_error(
    ax: Axes,
    lams: np.ndarray,
    mean_error: np.ndarray,
    standard_error: np.ndarray,
    best: int,
    chosen: int,
) -> Axes:
    """Mean cross-validation error against λ with one-standard-error bars.

    The y-axis is linear and zoomed to a few standard errors around the minimum.

    ``best`` indexes the smallest mean error (diamond); the dotted line is
    that minimum plus its standard error, and ``chosen`` (square) indexes the
    largest λ whose mean error stays under that line.
    """
    lams = np.asarray(lams, dtype=float)
    ax.errorbar(
        lams,
        mean_error,
        yerr=standard_error,
        color=COLORS["total"],
        ecolor=COLORS["muted"],
        lw=1.5,
        capsize=2,
        label="mean ± 1 SE",
    )
    ax.axhline(
        mean_error[best] + standard_error[best],
        color=COLORS["validation"],
        ls=":",
        lw=1.5,
        label="minimum + its SE",
    )
    ax.plot(
        [lams[best]],
        [mean_error[best]],
        "D",
        color=COLORS["data"],
        ms=8,
        label=f"minimum, λ = {lams[best]:.3g}",
    )
    ax.plot(
        [lams[chosen]],
        [mean_error[chosen]],
        "s",
        color=COLORS["penalty"],
        ms=8,
        label=f"one-SE rule, λ = {lams[chosen]:.3g}",
    )
    ax.set_xscale("log")
    # Zoom on the minimum: the rule is about differences of one standard error
    # there, which a full-range axis (errors 20 times larger at small lam)
    # would flatten into a line.
    spread = float(standard_error[best])
    ax.set_ylim(mean_error[best] - 3 * spread, mean_error[best] + 6 * spread)
    ax.set_xlabel(r"$\lambda$")
    ax.set_ylabel("validation MSE (5 folds), near the minimum")
    ax.legend(loc="upper center", fontsize=8)
    return ax


def plot_evidence(
    axes: Sequence[Axes],
    lams: np.ndarray,
    log_evidence: np.ndarray,
    mean_error: np.ndarray,
    choices: Mapping[str, float],
) -> Sequence[Axes]:
    """Log marginal likelihood and cross-validation error against λ.

    ``choices`` maps a label ("evidence", "cross-validation", ...) to the λ
    it picks; each is a vertical line on both panels.
    """
    evidence_ax, cv_ax = axes
    evidence_ax.plot(lams, log_evidence, color=COLORS["data"], lw=2)
    evidence_ax.set_ylabel("log evidence (noise variance at its best)")
    evidence_ax.set_title("marginal likelihood")
    cv_ax.plot(lams, mean_error, color=COLORS["total"], lw=2)
    cv_ax.set_yscale("log")
    cv_ax.set_ylabel("mean validation MSE")
    cv_ax.set_title("cross-validation")
    palette = (COLORS["data"], COLORS["penalty"], COLORS["l1"], COLORS["accent"])
    styles = ("-", "--", ":", "-.")
    for (label, lam), color, style in zip(
        choices.items(), palette, styles, strict=False
    ):
        for ax in axes:
            ax.axvline(
                lam, color=color, ls=style, lw=1.5, label=f"{label}: λ = {lam:.3g}"
            )
    for ax in axes:
        ax.set_xscale("log")
        ax.set_xlabel(r"$\lambda$")
    cv_ax.legend(loc="upper center", fontsize=7)
    return axes


def plot_orthonormal_shrinkage(
    ax: Axes,
    least_squares: np.ndarray,
    curves: Mapping[str, np.ndarray],
    sample_least_squares: np.ndarray,
    sample_fits: Mapping[str, np.ndarray],
    lam: float,
) -> Axes:
    """Three estimators of one coefficient as functions of its least-squares value.

    ``curves[name]`` is each estimator evaluated on ``least_squares``; the
    markers are the fitted coefficients of an actual orthonormal regression.
    The identity line (no shrinkage) is grey.
    """
    styles = {
        0: (COLORS["l1"], "-"),
        1: (COLORS["penalty"], "--"),
        2: (COLORS["data"], "-."),
    }
    ax.plot(
        least_squares, least_squares, color=COLORS["muted"], lw=1, label="least squares"
    )
    for i, name in enumerate(curves):
        color, style = styles[i % 3]
        ax.plot(least_squares, curves[name], color=color, ls=style, lw=2, label=name)
        ax.plot(
            sample_least_squares, sample_fits[name], "o", color=color, ms=5, mfc="white"
        )
    ax.axhline(0, color="#555555", lw=0.8)
    ax.axvline(0, color="#555555", lw=0.8)
    ax.set_aspect("equal")
    ax.set_xlabel(r"least-squares coefficient $w^\ast_j = \mathbf{x}_j^\top\mathbf{y}$")
    ax.set_ylabel("penalized coefficient")
    ax.set_title(rf"orthonormal design, $\lambda$ = {lam:.3g}")
    ax.legend(loc="upper left", fontsize=8)
    return ax


def plot_lr_decay_grid(
    axes: Sequence[Axes],
    lrs: Sequence[float],
    lams: Sequence[float] | Mapping[str, Sequence[float]],
    val_losses: Mapping[str, np.ndarray],
    xlabels: Mapping[str, str] | None = None,
) -> Sequence[Axes]:
    """Heat maps of the final validation loss over learning rate × λ.

    ``val_losses[name]`` has shape (len(lrs), len(lams)); NaN cells (settings
    that were not run) are left blank. Each row's best λ is circled. All
    panels share one colour scale (logarithmic when the losses span more than
    a factor of 3). ``lams`` is one grid for every panel or one per panel (by
    name); ``xlabels`` names a panel's x-axis when it is not the course's λ.
    """
    finite = np.concatenate([v[np.isfinite(v)] for v in val_losses.values()])
    low, high = float(finite.min()), float(finite.max())
    # A log scale only where the losses span a wide range; over a narrow one
    # it would leave the colour bar with one or two labels.
    norm = LogNorm(low, high) if high > 3 * low else Normalize(low, high)
    image = None
    for ax, name in zip(axes, val_losses, strict=True):
        losses = np.asarray(val_losses[name], dtype=float)
        panel_lams = lams[name] if isinstance(lams, Mapping) else lams
        image = ax.imshow(
            losses, origin="lower", aspect="auto", cmap="viridis_r", norm=norm
        )
        for row in range(len(lrs)):
            if np.all(np.isnan(losses[row])):
                continue
            best = int(np.nanargmin(losses[row]))
            ax.plot(best, row, "o", mfc="none", mec="white", ms=12, mew=2)
        ax.set_xticks(
            range(len(panel_lams)),
            [f"{lam:.0e}" for lam in panel_lams],
            rotation=60,
            fontsize=8,
        )
        ax.set_yticks(range(len(lrs)), [f"{lr:.2g}" for lr in lrs], fontsize=8)
        ax.set_xlabel((xlabels or {}).get(name, r"$\lambda$"))
        ax.set_ylabel(r"learning rate $\alpha$")
        ax.set_title(name)
        ax.grid(False)
    if image is not None:
        axes[-1].figure.colorbar(image, ax=axes[-1], label="validation loss")
    return axes
