"""Unit tests for the L1 and choosing-λ figures, and for the NumPy MLP.

The plotting functions are pure, so they are tested by drawing on a figure and
reading back what they drew; the MLP is tested against finite differences and
against what L2 must do to its weights.
"""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib.collections import PathCollection  # noqa: E402

from l2course.figures.sparsity import (  # noqa: E402
    count_nonzero,
    plot_coefficient_path,
    plot_lasso_ridge_paths,
    plot_update_trajectories,
)
from l2course.figures.tuning import (  # noqa: E402
    plot_accuracy_against_lam,
    plot_cv_curves,
    plot_decision_boundary,
)
from l2course.mlp import (  # noqa: E402
    copy_mlp,
    init_mlp,
    mlp_accuracy,
    mlp_logits,
    mlp_loss,
    mlp_loss_and_grad,
    train_mlp,
    weight_norm,
)


@pytest.fixture
def axes_row():
    """A factory for a row of axes, closed after the test."""
    figures = []

    def make(panels: int = 1):
        fig, axes = plt.subplots(1, panels, squeeze=True)
        figures.append(fig)
        return axes

    yield make
    for fig in figures:
        plt.close(fig)


# --- sparsity figures -------------------------------------------------------


def test_count_nonzero_counts_exact_zeros_only():
    assert count_nonzero(np.array([0.0, -0.0, 1e-300, -2.0])) == 2


def test_coefficient_path_title_counts_nonzero_at_nearest_lam(axes_row):
    lams = np.array([0.1, 1.0, 10.0])
    coefs = np.array([[1.0, 0.5, 0.0], [0.3, 0.0, 0.0], [-0.2, -0.1, 0.0]])
    ax = plot_coefficient_path(axes_row(), lams, coefs, 1.2, ["a", "b", "c"], "L1")
    assert ax.get_title() == "L1: 2 of 3 weights non-zero"
    assert ax.get_xscale() == "log"
    # The vertical marker sits at the grid point nearest the requested lam.
    vertical = [
        line
        for line in ax.lines
        if np.ptp(line.get_xdata()) == 0
        and len(line.get_xdata()) == 2
        and line.get_xdata()[0] == 1.0
    ]
    assert vertical, "no vertical line at lam = 1"


def test_coefficient_path_rejects_mismatched_shapes(axes_row):
    with pytest.raises(ValueError, match="one column per lam"):
        plot_coefficient_path(
            axes_row(),
            np.array([1.0, 2.0]),
            np.zeros((3, 4)),
            1.0,
            ["a", "b", "c"],
            "L1",
        )


def test_lasso_ridge_paths_share_y_limits_and_count(axes_row):
    lams = np.logspace(-1, 2, 4)
    lasso = np.array([[2.0, 1.0, 0.0, 0.0], [-1.0, 0.0, 0.0, 0.0]])
    ridge = np.array([[2.0, 1.5, 0.5, 0.1], [-1.0, -0.7, -0.2, -0.01]])
    left, right = plot_lasso_ridge_paths(
        axes_row(2), lams, lasso, ridge, 10.0, ["x1", "x2"]
    )
    assert left.get_ylim() == right.get_ylim()
    assert left.get_title().startswith("L1 (lasso): 0 of 2")
    assert right.get_title().startswith("L2 (ridge): 2 of 2")


def test_update_trajectories_draw_up_to_step_and_count_zeros(axes_row):
    path_a = np.array([[1.0, 0.2], [0.5, 0.0], [0.25, 0.0]])
    path_b = np.array([[1.0, 0.2], [0.8, 0.1], [0.6, -0.05]])
    axes = plot_update_trajectories(axes_row(2), {"a": path_a, "b": path_b}, 1)
    assert axes[0].get_title().endswith("1 of 2 exactly zero")
    assert axes[1].get_title().endswith("0 of 2 exactly zero")
    # The first weight's line in panel "a" has steps 0 and 1 only.
    first = axes[0].lines[0]
    np.testing.assert_array_equal(first.get_xdata(), [0, 1])
    np.testing.assert_array_equal(first.get_ydata(), [1.0, 0.5])


def test_update_trajectories_reject_step_out_of_range(axes_row):
    with pytest.raises(ValueError, match="outside"):
        plot_update_trajectories([axes_row()], {"a": np.zeros((3, 2))}, 3)


# --- tuning figures ---------------------------------------------------------


def test_cv_curves_mark_fold_and_mean_minima(axes_row):
    lams = np.array([0.01, 0.1, 1.0, 10.0])
    fold_errors = np.array([[3.0, 2.0], [1.0, 2.0], [2.0, 0.5], [4.0, 3.0]])
    train_error = np.array([0.1, 0.2, 0.4, 0.8])
    ax = plot_cv_curves(axes_row(), lams, fold_errors, train_error, fold=1)
    # Fold 1 is lowest at 0.1; the mean (2.5, 1.5, 1.25, 3.5) is lowest at 1.
    assert ax.get_title() == r"fold 1 alone picks $\lambda$ = 0.1; the mean picks 1"
    ax2 = plot_cv_curves(axes_row(), lams, fold_errors, train_error, fold=2)
    assert "fold 2 alone picks $\\lambda$ = 1;" in ax2.get_title()


def test_cv_curves_reject_bad_fold(axes_row):
    with pytest.raises(ValueError, match="fold must be"):
        plot_cv_curves(
            axes_row(), np.array([1.0, 2.0]), np.ones((2, 3)), np.ones(2), fold=4
        )


def test_decision_boundary_draws_the_half_contour_and_both_classes(axes_row):
    grid_x, grid_y = np.linspace(-1, 1, 30), np.linspace(-1, 1, 20)
    proba = 1 / (1 + np.exp(-5 * np.meshgrid(grid_x, grid_y)[0]))  # boundary x = 0
    X = np.array([[-0.5, 0.0], [0.5, 0.0], [0.6, 0.3]])
    y = np.array([0, 1, 1])
    ax = plot_decision_boundary(axes_row(), grid_x, grid_y, proba, X, y, "t")
    scatters = [c for c in ax.collections if isinstance(c, PathCollection)]
    assert sorted(len(c.get_offsets()) for c in scatters) == [1, 2]
    assert len(ax.collections) > len(scatters), "no contour was drawn"
    assert ax.get_title() == "t"
    with pytest.raises(ValueError, match="expected"):
        plot_decision_boundary(axes_row(), grid_x, grid_y, proba.T, X, y)


def test_accuracy_against_lam_places_zero_and_marks_current(axes_row):
    lams = [0.0, 1e-3, 1e-1]
    ax = plot_accuracy_against_lam(
        axes_row(), lams, [1.0, 0.9, 0.5], [0.8, 0.85, 0.5], 1e-3
    )
    labels = [t.get_text() for t in ax.get_xticklabels()]
    assert labels == ["0", "0.001", "0.1"]
    markers = [line for line in ax.lines if len(line.get_xdata()) == 1]
    assert {float(line.get_xdata()[0]) for line in markers} == {1.0}


# --- the MLP ----------------------------------------------------------------


def _small_problem(seed: int = 0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(40, 2))
    y = (X[:, 0] * X[:, 1] > 0).astype(float)
    return X, y


@pytest.mark.parametrize("lam", [0.0, 0.03])
def test_mlp_gradient_matches_finite_differences(lam):
    X, y = _small_problem()
    layers = init_mlp([2, 6, 5, 1], seed=1)
    rng = np.random.default_rng(2)
    for layer in layers:  # non-zero biases, so their gradients are exercised
        layer.b = rng.normal(size=layer.b.shape)
    loss, grads = mlp_loss_and_grad(layers, X, y, lam)
    assert loss == pytest.approx(mlp_loss(layers, X, y, lam), rel=1e-12)
    eps = 1e-6
    for layer, grad in zip(layers, grads, strict=True):
        for name in ("W", "b"):
            values, analytic = getattr(layer, name), getattr(grad, name)
            numeric = np.zeros_like(values)
            for index in np.ndindex(values.shape):
                saved = values[index]
                values[index] = saved + eps
                up = mlp_loss(layers, X, y, lam)
                values[index] = saved - eps
                down = mlp_loss(layers, X, y, lam)
                values[index] = saved
                numeric[index] = (up - down) / (2 * eps)
            np.testing.assert_allclose(analytic, numeric, rtol=1e-5, atol=1e-7)


def test_penalty_adds_two_lam_w_to_weights_and_nothing_to_biases():
    X, y = _small_problem()
    layers = init_mlp([2, 4, 1], seed=0)
    lam = 0.2
    loss0, plain = mlp_loss_and_grad(layers, X, y, 0.0)
    loss1, decayed = mlp_loss_and_grad(layers, X, y, lam)
    assert loss1 - loss0 == pytest.approx(lam * weight_norm(layers) ** 2)
    for layer, g0, g1 in zip(layers, plain, decayed, strict=True):
        np.testing.assert_allclose(g1.W - g0.W, 2 * lam * layer.W, atol=1e-14)
        np.testing.assert_array_equal(g1.b, g0.b)


def test_l2_shrinks_the_trained_weight_norm():
    X, y = _small_problem()
    start = init_mlp([2, 8, 8, 1], seed=0)
    norms = [
        weight_norm(train_mlp(start, X, y, lam, lr=0.3, steps=600)[0])
        for lam in (0.0, 1e-3, 1e-2)
    ]
    assert norms[0] > norms[1] > norms[2]


def test_training_lowers_the_loss_and_leaves_the_start_untouched():
    X, y = _small_problem()
    start = init_mlp([2, 8, 8, 1], seed=0)
    before = copy_mlp(start)
    trained, losses = train_mlp(start, X, y, 1e-3, lr=0.3, steps=600)
    assert losses.shape == (600,)
    assert losses[-1] < 0.5 * losses[0]
    assert mlp_accuracy(trained, X, y) > 0.9
    for a, b in zip(start, before, strict=True):
        np.testing.assert_array_equal(a.W, b.W)
        np.testing.assert_array_equal(a.b, b.b)


def test_init_is_seeded_and_biases_start_at_zero():
    a, b = init_mlp([2, 3, 1], seed=5), init_mlp([2, 3, 1], seed=5)
    for la, lb in zip(a, b, strict=True):
        np.testing.assert_array_equal(la.W, lb.W)
        assert not la.b.any()
    assert mlp_logits(a, np.zeros((4, 2))).shape == (4,)


def test_weight_norm_ignores_biases():
    layers = init_mlp([2, 3, 1], seed=0)
    norm = weight_norm(layers)
    for layer in layers:
        layer.b = layer.b + 100.0
    assert weight_norm(layers) == norm
