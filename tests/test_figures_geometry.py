"""Unit tests for the plotting functions of the geometry and Bayesian chapters.

Each test draws on a fresh axes and checks what was drawn: where the markers
are, how big the ball is, what the bars and bands show.
"""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib.collections import PolyCollection  # noqa: E402
from matplotlib.patches import Circle, FancyArrow, Polygon  # noqa: E402

from l2course.figures.bayesian import (  # noqa: E402
    normal_density,
    plot_gaussian_update,
    plot_predictive_bands,
)
from l2course.figures.geometry import (  # noqa: E402
    ball_outline,
    plot_constraint_view,
    plot_shrinkage,
    quadratic_loss_grid,
)

GRAM = np.array([[2.0, 0.5], [0.5, 1.0]])
W_STAR = np.array([3.5, 2.1])


@pytest.fixture
def ax():
    fig, ax = plt.subplots()
    yield ax
    plt.close(fig)


@pytest.fixture
def two_axes():
    fig, axes = plt.subplots(1, 2)
    yield axes
    plt.close(fig)


def _marker_positions(ax, marker):
    return [
        tuple(np.asarray(line.get_xydata())[0])
        for line in ax.get_lines()
        if line.get_marker() == marker
    ]


def test_quadratic_loss_grid_is_zero_at_w_star_and_matches_the_formula():
    extent = (3.0, 4.0, 1.6, 2.6)
    grid1, grid2, loss = quadratic_loss_grid(GRAM, W_STAR, extent, points=11)
    i, j = 5, 5  # the grid centre is exactly w*
    assert (grid1[i, j], grid2[i, j]) == pytest.approx(tuple(W_STAR))
    assert loss[i, j] == pytest.approx(0.0)
    offset = np.array([grid1[0, 0], grid2[0, 0]]) - W_STAR
    assert loss[0, 0] == pytest.approx(offset @ GRAM @ offset)


@pytest.mark.parametrize(("ball", "norm_order"), [("l2", 2), ("l1", 1)])
def test_ball_outline_lies_on_the_norm_sphere(ball, norm_order):
    points = ball_outline(ball, 1.7)
    if ball == "l1":  # corners only: check the edges between them too
        t = np.linspace(0, 1, 9)[:, None]
        ends = np.roll(points, -1, axis=0)
        points = np.concatenate(
            [a + t * (b - a) for a, b in zip(points, ends, strict=True)]
        )
    np.testing.assert_allclose(np.linalg.norm(points, ord=norm_order, axis=1), 1.7)


def test_ball_outline_rejects_unknown_balls():
    with pytest.raises(ValueError, match="'l2' or 'l1'"):
        ball_outline("linf", 1.0)


def test_constraint_view_l2_draws_disc_through_the_solution(ax):
    w_lam = np.array([1.2, 0.9])
    path = np.array([W_STAR, w_lam, [0.0, 0.0]])
    out = plot_constraint_view(
        ax, GRAM, W_STAR, w_lam, path, ball="l2", lam=2.0, data_pull=[0.6, 0.45]
    )
    assert out is ax
    circles = [p for p in ax.patches if isinstance(p, Circle)]
    assert len(circles) == 1
    assert circles[0].get_radius() == pytest.approx(np.linalg.norm(w_lam))
    assert circles[0].center == pytest.approx((0.0, 0.0))
    assert _marker_positions(ax, "o") == [pytest.approx(tuple(W_STAR))]
    assert _marker_positions(ax, "D") == [pytest.approx(tuple(w_lam))]
    drawn_path = [line for line in ax.get_lines() if line.get_linestyle() == ":"]
    np.testing.assert_allclose(drawn_path[0].get_xydata(), path)
    assert len([p for p in ax.patches if isinstance(p, FancyArrow)]) == 1
    # Background contours plus the highlighted one through w_lam.
    assert len(ax.collections) == 2
    assert ax.get_title().endswith("= 2")
    assert ax.get_aspect() == 1.0


def test_constraint_view_l1_draws_diamond_with_corners_on_the_axes(ax):
    w_lam = np.array([0.0, 1.4])
    path = np.array([W_STAR, [0.0, 2.5], w_lam, [0.0, 0.0]])
    plot_constraint_view(ax, GRAM, W_STAR, w_lam, path, ball="l1", lam=5.0)
    diamonds = [p for p in ax.patches if isinstance(p, Polygon)]
    assert len(diamonds) == 1
    corners = diamonds[0].get_xy()[:4]
    np.testing.assert_allclose(np.sort(np.abs(corners).max(axis=1)), [1.4] * 4)
    assert any(np.allclose(c, w_lam) for c in corners), "the solution is on a corner"
    assert not any(isinstance(p, Circle) for p in ax.patches)
    assert not any(isinstance(p, FancyArrow) for p in ax.patches)
    assert "L1" in ax.get_title()


def test_constraint_view_at_w_star_draws_no_touching_contour_or_arrow(ax):
    plot_constraint_view(
        ax, GRAM, W_STAR, W_STAR, np.array([W_STAR, [0, 0]]), data_pull=[0.0, 0.0]
    )
    assert len(ax.collections) == 1  # background contours only
    assert not any(isinstance(p, FancyArrow) for p in ax.patches)


def test_shrinkage_bars_show_the_given_factors_and_dof(two_axes):
    factors = np.array([0.99, 0.8, 0.3, 0.05])
    lams = np.logspace(-1, 3, 30)
    dof_curve = np.linspace(4.0, 0.2, 30)
    out = plot_shrinkage(two_axes, factors, 3.0, lams, dof_curve, dof=2.14)
    bar_ax, dof_ax = out
    heights = [bar.get_height() for bar in bar_ax.patches]
    np.testing.assert_allclose(heights, factors)
    curve, marker = dof_ax.get_lines()[:2]
    np.testing.assert_allclose(curve.get_ydata(), dof_curve)
    assert tuple(marker.get_xydata()[0]) == pytest.approx((3.0, 2.14))
    assert "2.14" in dof_ax.get_title()
    assert dof_ax.get_xscale() == "log"


def test_normal_density_integrates_to_one_and_peaks_at_the_mean():
    w = np.linspace(-10, 12, 200_001)
    density = normal_density(w, 1.0, 0.7)
    assert np.sum(density) * (w[1] - w[0]) == pytest.approx(1.0, abs=1e-6)
    assert w[np.argmax(density)] == pytest.approx(1.0, abs=1e-4)


def test_gaussian_update_draws_three_densities_with_given_centres(ax):
    out = plot_gaussian_update(
        ax, 0.5, (0.8, 0.3), (0.6, 0.25), w_range=(-2, 2), y_max=4
    )
    assert out is ax
    curves = [line for line in ax.get_lines() if len(line.get_xdata()) > 2]
    assert len(curves) == 3
    peaks = [line.get_xdata()[np.argmax(line.get_ydata())] for line in curves]
    np.testing.assert_allclose(peaks, [0.0, 0.8, 0.6], atol=0.01)
    # The posterior curve is the N(0.6, 0.25^2) density.
    posterior = curves[2]
    np.testing.assert_allclose(
        posterior.get_ydata(), normal_density(posterior.get_xdata(), 0.6, 0.25)
    )
    assert ax.get_ylim() == (0.0, 4.0)
    assert "0.600" in ax.get_title() and "0.250" in ax.get_title()


def test_predictive_bands_are_two_sd_around_the_mean(ax):
    x_grid = np.linspace(-1, 1, 50)
    mean = 0.5 * x_grid
    curve_sd = 0.1 + 0.05 * x_grid**2
    new_sd = np.sqrt(curve_sd**2 + 0.64)
    out = plot_predictive_bands(
        ax,
        [0.0, 0.5],
        [0.1, 0.2],
        x_grid,
        mean,
        curve_sd,
        new_sd,
        x_other=[0.3],
        y_other=[-0.2],
        title="t",
    )
    assert out is ax
    bands = [c for c in ax.collections if isinstance(c, PolyCollection)]
    assert len(bands) == 3  # outer band, white underlay, inner band
    assert bands[1].get_paths()[0].vertices == pytest.approx(
        bands[2].get_paths()[0].vertices
    )
    # fill_between's polygon covers exactly [mean - 2 sd, mean + 2 sd].
    for band, sd in zip([bands[0], bands[2]], [new_sd, curve_sd], strict=True):
        ys = band.get_paths()[0].vertices[:, 1]
        assert ys.max() == pytest.approx(np.max(mean + 2 * sd))
        assert ys.min() == pytest.approx(np.min(mean - 2 * sd))
    mean_line = [line for line in ax.get_lines() if len(line.get_xdata()) == 50]
    np.testing.assert_allclose(mean_line[0].get_ydata(), mean)
    scatter_sizes = sorted(
        len(c.get_offsets())
        for c in ax.collections
        if not isinstance(c, PolyCollection)
    )
    assert scatter_sizes == [1, 2]  # held-out point and the training points
    assert ax.get_title() == "t"


def test_constraint_view_draws_no_arrow_for_a_rounding_level_pull(ax):
    """At lam = 0 the computed gradient is ~1e-14, not 0; a fixed-length arrow
    would then point somewhere arbitrary, against the text."""
    plot_constraint_view(
        ax, GRAM, W_STAR, W_STAR, np.array([W_STAR, [0, 0]]), data_pull=[1e-14, -3e-14]
    )
    assert not any(isinstance(p, FancyArrow) for p in ax.patches)
    plot_constraint_view(
        ax,
        GRAM,
        W_STAR,
        W_STAR * 0.5,
        np.array([W_STAR, [0, 0]]),
        data_pull=[1e-3, 0.0],
    )
    assert any(isinstance(p, FancyArrow) for p in ax.patches)
