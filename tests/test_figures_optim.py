"""Unit tests for the figures of the gradient, decay-factor and optimizer chapters.

Each test calls a plotting function on fresh axes and checks what it drew:
how many lines and arrows, where they are, the limits and the labels.
"""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib.colors import to_hex  # noqa: E402
from matplotlib.patches import FancyArrowPatch  # noqa: E402

from l2course.figures.decay import plot_decay_regime, plot_weight_trajectory  # noqa: E402
from l2course.figures.gradient import (  # noqa: E402
    plot_loss_and_pulls,
    plot_pull_against_position,
)
from l2course.figures.optimizers import (  # noqa: E402
    OPTIMIZER_STYLE,
    plot_lambda_sweep,
    plot_runs_side_by_side,
)
from l2course.figures.style import COLORS  # noqa: E402


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def _axes(n: int = 1):
    _, axes = plt.subplots(1, n)
    return axes


def _arrows(ax):
    return [p for p in ax.patches if isinstance(p, FancyArrowPatch)]


def _line_with_color(ax, color):
    return [line for line in ax.lines if to_hex(line.get_color()) == to_hex(color)]


# --- gradient ---------------------------------------------------------------


def _bowl():
    w1, w2 = np.meshgrid(np.linspace(-2, 4, 31), np.linspace(-1, 3, 21))
    return w1, w2, (w1 - 3) ** 2 + (w2 - 2) ** 2


def test_loss_and_pulls_draws_three_arrows_from_the_point():
    w1, w2, loss = _bowl()
    point = (0.5, 1.0)
    data_step, penalty_step = np.array([1.0, 0.4]), np.array([-0.2, -0.4])
    ax = plot_loss_and_pulls(_axes(), w1, w2, loss, point, data_step, penalty_step)
    arrows = _arrows(ax)
    assert len(arrows) == 3
    starts = [np.array(a._posA_posB[0]) for a in arrows]
    ends = [np.array(a._posA_posB[1]) for a in arrows]
    for start in starts:
        np.testing.assert_allclose(start, point)
    np.testing.assert_allclose(ends[0], np.add(point, data_step))
    np.testing.assert_allclose(ends[1], np.add(point, penalty_step))
    np.testing.assert_allclose(ends[2], np.add(point, data_step + penalty_step))
    colors = [to_hex(a.get_edgecolor()) for a in arrows]
    assert colors == [to_hex(COLORS[k]) for k in ("data", "penalty", "total")]


def test_loss_and_pulls_frames_the_grid_and_labels_the_axes():
    w1, w2, loss = _bowl()
    ax = plot_loss_and_pulls(
        _axes(),
        w1,
        w2,
        loss,
        (0, 0),
        (1, 0),
        (0, 0),
        data_minimum=(3, 2),
        total_minimum=(2, 1),
        title="a title",
    )
    assert ax.get_xlim() == (-2.0, 4.0) and ax.get_ylim() == (-1.0, 3.0)
    assert ax.get_xlabel() == "$w_1$" and ax.get_ylabel() == "$w_2$"
    assert ax.get_title() == "a title"
    assert ax.collections, "no contour lines were drawn"
    markers = {line.get_marker() for line in ax.lines}
    assert {"o", "D"} <= markers
    assert len(ax.get_legend().get_texts()) == 3


def test_zero_penalty_makes_the_total_arrow_the_data_arrow():
    w1, w2, loss = _bowl()
    ax = plot_loss_and_pulls(_axes(), w1, w2, loss, (1, 1), (0.5, 0.5), (0.0, 0.0))
    data_arrow, penalty_arrow, total_arrow = _arrows(ax)
    np.testing.assert_allclose(total_arrow._posA_posB, data_arrow._posA_posB)
    np.testing.assert_allclose(*penalty_arrow._posA_posB)


def test_pull_against_position_marks_the_nearest_position():
    positions = np.linspace(-3, 3, 61)
    penalty_pull = 2 * 0.5 * np.abs(positions)
    data_pull = np.full_like(positions, 2.5)
    ax = plot_pull_against_position(_axes(), positions, penalty_pull, data_pull, 1.02)
    curves = [line for line in ax.lines if len(line.get_xdata()) == positions.size]
    assert len(curves) == 2
    marked = [
        float(line.get_xdata()[0])
        for line in ax.lines
        if line.get_marker() in ("o", "s")
    ]
    assert marked == [pytest.approx(1.0)] * 2  # one marker on each curve
    assert ax.get_xlim() == (-3.0, 3.0)
    assert ax.get_ylim()[1] >= 3.0
    assert "distance" in ax.get_xlabel()


# --- decay factor -------------------------------------------------------------


def test_decay_regime_draws_the_path_and_marks_the_product():
    steps = np.arange(6)
    weights = (-0.5) ** steps
    products = np.linspace(0, 3, 31)
    path_ax, factor_ax = plot_decay_regime(
        _axes(2), steps, weights, products, np.abs(1 - products), 1.5, title="t"
    )
    path = _line_with_color(path_ax, COLORS["penalty"])
    assert len(path) == 1
    np.testing.assert_allclose(path[0].get_ydata(), weights)
    assert path_ax.get_ylim() == (-2.5, 2.5)
    assert path_ax.get_title() == "t"
    marker = _line_with_color(factor_ax, COLORS["penalty"])
    assert len(marker) == 1
    assert marker[0].get_xdata()[0] == pytest.approx(1.5)
    assert marker[0].get_ydata()[0] == pytest.approx(0.5)
    labels = [text.get_text() for text in factor_ax.texts]
    assert labels == ["shrinks", "flips sign,\nshrinks", "diverges"]
    assert factor_ax.get_xlim() == (0.0, 3.0)


def test_weight_trajectory_draws_both_paths_and_both_levels():
    steps = np.arange(101)
    decay_only = 4 * 0.98**steps
    with_data = 1 + 3 * 0.9**steps
    ax = plot_weight_trajectory(
        _axes(),
        steps,
        decay_only,
        with_data,
        1.0,
        2.0,
        half_life=np.log(0.5) / np.log(0.98),
        title="α, λ",
    )
    labels = [text.get_text() for text in ax.get_legend().get_texts()]
    assert len(labels) == 5
    assert labels[0].endswith("= 2") and labels[1].endswith("= 1")
    assert labels[-1].startswith("half-life")
    full = [line for line in ax.lines if len(line.get_xdata()) == steps.size]
    np.testing.assert_allclose(full[0].get_ydata(), decay_only)
    np.testing.assert_allclose(full[1].get_ydata(), with_data)
    assert ax.get_xscale() == "symlog"
    assert ax.get_xlim() == (0.0, 100.0)
    assert ax.get_ylim()[1] >= 4.0
    assert ax.get_title() == "α, λ"


def test_weight_trajectory_skips_a_half_life_under_one_step():
    steps = np.arange(11)
    ax = plot_weight_trajectory(
        _axes(), steps, 0.1**steps, 0.5 + 0 * steps, 0.5, 1.0, half_life=0.3
    )
    labels = [text.get_text() for text in ax.get_legend().get_texts()]
    assert not any(label.startswith("half-life") for label in labels)
    assert ax.get_ylim()[0] < 0 < ax.get_ylim()[1]


# --- optimizers ---------------------------------------------------------------


def test_runs_side_by_side_draws_one_panel_per_optimizer():
    steps = np.arange(50)
    rng = np.random.default_rng(0)
    runs = {
        "Adam + L2": 1 + 0.01 * rng.standard_normal((50, 6)),
        "AdamW": 0.9 ** steps[:, None] + 0.01 * rng.standard_normal((50, 6)),
    }
    reference = 0.9**steps
    axes = plot_runs_side_by_side(
        _axes(2), steps, runs, reference, shown_runs=3, suptitle="ν = 1"
    )
    for ax, (name, history) in zip(axes, runs.items(), strict=True):
        color = OPTIMIZER_STYLE[name]["color"]
        drawn = _line_with_color(ax, color)
        assert len(drawn) == 3 + 1  # three thin runs and their mean
        np.testing.assert_allclose(drawn[-1].get_ydata(), history.mean(axis=1))
        assert drawn[-1].get_linewidth() > drawn[0].get_linewidth()
        grey = _line_with_color(ax, COLORS["muted"])
        np.testing.assert_allclose(grey[0].get_ydata(), reference)
        assert ax.get_title() == f"{name}: ν = 1"
        assert ax.get_xlim() == (0.0, 49.0)


def test_lambda_sweep_shows_the_chosen_lambda_everywhere():
    steps = np.arange(20)
    lams = [1e-3, 1e-2, 1e-1, 1.0]
    norms = {
        name: np.outer(np.arange(1, 5), np.linspace(0, 1, 20)) * k
        for k, name in enumerate(OPTIMIZER_STYLE, start=1)
    }
    vals = {
        name: 1 / (1 + np.outer(np.arange(1, 5), steps)) * k
        for k, name in enumerate(OPTIMIZER_STYLE, start=1)
    }
    norm_ax, val_ax, sweep_ax = plot_lambda_sweep(
        _axes(3), steps, lams, 0.011, norms, vals
    )
    i = 1  # 0.011 is nearest to 1e-2 on a log scale
    for name in OPTIMIZER_STYLE:
        color = OPTIMIZER_STYLE[name]["color"]
        np.testing.assert_allclose(
            _line_with_color(norm_ax, color)[0].get_ydata(), norms[name][i]
        )
        np.testing.assert_allclose(
            _line_with_color(val_ax, color)[0].get_ydata(), vals[name][i]
        )
        curve, marker = _line_with_color(sweep_ax, color)
        np.testing.assert_allclose(curve.get_ydata(), vals[name][:, -1])
        assert marker.get_xdata()[0] == lams[i]
    assert sweep_ax.get_xscale() == "log"
    assert "0.01" in norm_ax.get_title() and "0.01" in val_ax.get_title()
    assert norm_ax.get_ylim()[1] >= norms["AdamW"].max()
    for ax in (norm_ax, val_ax, sweep_ax):
        assert len(ax.get_legend().get_texts()) == 2
