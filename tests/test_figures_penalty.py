"""Chapter 1's plotting functions and the shared data loaders."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from l2course.data import diabetes_bmi, polynomial_features  # noqa: E402
from l2course.figures.penalty import (  # noqa: E402
    plot_penalized_quadratic,
    plot_polynomial_fit,
)


@pytest.fixture
def ax():
    fig, ax = plt.subplots()
    yield ax
    plt.close(fig)


@pytest.mark.parametrize("lam", [0.0, 1.0, 4.0])
def test_penalized_quadratic_marks_the_shrunk_minimum(ax, lam):
    plot_penalized_quadratic(ax, lam, curvature=2.0, w_star=3.0)
    total = ax.lines[2]
    w, loss = total.get_data()
    expected = 2.0 * 3.0 / (2.0 + lam)
    assert abs(w[np.argmin(loss)] - expected) < 0.02
    marker = ax.lines[4]
    assert marker.get_xdata()[0] == pytest.approx(expected)
    assert f"{expected:.2f}" in ax.texts[0].get_text()


def test_polynomial_fit_marks_the_current_lambda():
    fig, axes = plt.subplots(1, 2)
    lams = np.logspace(-3, 1, 5)
    train, val = np.linspace(0.1, 0.5, 5), np.linspace(2.0, 0.8, 5)
    plot_polynomial_fit(
        axes,
        np.zeros(3),
        np.zeros(3),
        np.linspace(0, 1, 4),
        np.zeros(4),
        lams,
        train,
        val,
        lam=lams[3],
    )
    assert axes[1].get_xscale() == "log"
    vertical = [
        ln
        for ln in axes[1].lines
        if len(set(ln.get_xdata())) == 1 and len(ln.get_xdata()) == 2
    ]
    assert vertical and vertical[0].get_xdata()[0] == pytest.approx(lams[3])
    plt.close(fig)


def test_diabetes_split_is_standardized_and_disjoint():
    split = diabetes_bmi(n_train=20, seed=1)
    assert split.x_train.shape == (20,) and split.x_val.shape == (422,)
    x = np.concatenate([split.x_train, split.x_val])
    assert abs(x.mean()) < 1e-12 and abs(x.std() - 1) < 1e-12
    again = diabetes_bmi(n_train=20, seed=1)
    np.testing.assert_array_equal(split.x_train, again.x_train)


def test_polynomial_features_columns():
    features = polynomial_features(np.array([3.0, -3.0]), degree=3, scale=3.0)
    np.testing.assert_allclose(features, [[1, 1, 1], [-1, 1, -1]])


def test_polynomial_error_panel_has_log_axes_so_the_minimum_shows():
    """The validation error spans orders of magnitude: a linear y-axis hid it."""
    fig, axes = plt.subplots(1, 2)
    lams = np.logspace(-6, 2, 9)
    val = np.array([500.0, 80.0, 5.0, 0.9, 0.75, 0.8, 0.9, 0.95, 0.97])
    plot_polynomial_fit(
        axes,
        np.zeros(3),
        np.zeros(3),
        np.linspace(0, 1, 4),
        np.zeros(4),
        lams,
        np.linspace(0.01, 0.9, 9),
        val,
        lam=lams[4],
    )
    assert axes[1].get_xscale() == "log" and axes[1].get_yscale() == "log"
    low, high = axes[1].get_ylim()
    # The minimum 0.75 and the top 500 are both inside, with room to tell them apart.
    assert low < 0.75 < 500 < high and np.log10(high / low) > 2.5
    plt.close(fig)
