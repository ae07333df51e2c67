"""The learning rate × decay grid trainer of the in-practice chapter."""

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
import pytest

from l2course.adam_grid import (
    best_per_row,
    cosine_multiplier,
    logistic_gradient,
    logistic_loss,
    minibatch_rows,
    noisy_tumour_task,
    normalized_logistic_gradient,
    normalized_logistic_loss,
    normalized_logits,
    train_adam_grid,
)
from l2course.figures.practice import plot_lr_decay_grid
from l2course.tasks import breast_cancer_task


@pytest.fixture(scope="module")
def small_problem():
    rng = np.random.default_rng(0)
    X = np.column_stack([rng.normal(size=(40, 3)), np.ones(40)])
    y = (X[:, 0] + 0.5 * rng.normal(size=40) > 0).astype(float)
    return X, y


def zero_gradient(params, rows):
    return [np.zeros_like(p) for p in params]


def test_cosine_multiplier_runs_from_one_towards_zero():
    assert cosine_multiplier(0, 100) == 1.0
    assert cosine_multiplier(50, 100) == pytest.approx(0.5)
    assert 0 < cosine_multiplier(99, 100) < 1e-3


def test_minibatches_cover_every_row_once_per_pass():
    rows = minibatch_rows(n_train=10, batch_size=4, steps=5, seed=3)
    assert rows.shape == (5, 4)
    flat = rows.ravel()
    assert sorted(flat[:10]) == list(range(10))
    assert sorted(flat[10:20]) == list(range(10))


def test_paper_form_decay_follows_the_schedule_not_the_learning_rate():
    # With no loss gradient, Adam's direction is 0 and only the decay acts:
    # w_T = w_0 * prod(1 - eta_t * lam), the same for every learning rate.
    w0 = np.array([1.0, -2.0])
    lams = [0.01, 0.1]
    final = train_adam_grid(
        zero_gradient,
        [w0],
        [1e-3, 1.0],
        lams,
        decoupled=True,
        decay_masks=[1.0],
        n_train=8,
        steps=50,
        batch_size=4,
    )[0]
    etas = np.array([cosine_multiplier(t, 50) for t in range(50)])
    for j, lam in enumerate(lams):
        expected = w0 * np.prod(1 - etas * lam)
        np.testing.assert_allclose(final[:, j], [expected, expected], rtol=1e-12)


def test_decay_mask_spares_the_bias():
    w0 = np.array([1.0, 1.0])
    final = train_adam_grid(
        zero_gradient,
        [w0],
        [0.1],
        [0.5],
        decoupled=True,
        decay_masks=[np.array([1.0, 0.0])],
        n_train=8,
        steps=10,
        batch_size=4,
    )[0][0, 0]
    assert final[0] < 1.0 and final[1] == 1.0


def test_adam_l2_first_step_is_the_sign_of_the_penalized_gradient(small_problem):
    X, y = small_problem
    theta0 = np.array([0.3, -0.2, 0.1, 0.0])
    lam, lr = 0.7, 0.01
    rows = minibatch_rows(len(y), 8, 1, seed=0)[0]
    g = (1 / (1 + np.exp(-X[rows] @ theta0)) - y[rows]) @ X[rows] / 8
    g = g + 2 * lam * np.r_[1.0, 1.0, 1.0, 0.0] * theta0
    final = train_adam_grid(
        logistic_gradient(X, y),
        [theta0],
        [lr],
        [lam],
        decoupled=False,
        decay_masks=[np.r_[1.0, 1.0, 1.0, 0.0]],
        n_train=len(y),
        steps=1,
        batch_size=8,
    )[0][0, 0]
    np.testing.assert_allclose(final, theta0 - lr * np.sign(g), atol=1e-7)


def test_each_cell_of_the_grid_is_its_own_run(small_problem):
    X, y = small_problem
    kwargs = dict(
        decay_masks=[np.r_[1.0, 1.0, 1.0, 0.0]],
        n_train=len(y),
        steps=30,
        batch_size=8,
        seed=4,
    )
    init = [np.zeros(4)]
    for decoupled in (False, True):
        grid = train_adam_grid(
            logistic_gradient(X, y),
            init,
            [0.01, 0.1],
            [0.0, 0.1, 1.0],
            decoupled=decoupled,
            **kwargs,
        )[0]
        assert grid.shape == (2, 3, 4)
        alone = train_adam_grid(
            logistic_gradient(X, y), init, [0.1], [0.1], decoupled=decoupled, **kwargs
        )[0]
        np.testing.assert_allclose(grid[1, 1], alone[0, 0], rtol=1e-12)
    # With lam = 0 the two methods are the same optimizer.
    a = train_adam_grid(
        logistic_gradient(X, y), init, [0.05], [0.0], decoupled=False, **kwargs
    )[0]
    b = train_adam_grid(
        logistic_gradient(X, y), init, [0.05], [0.0], decoupled=True, **kwargs
    )[0]
    np.testing.assert_allclose(a, b, rtol=1e-12)


def test_logistic_loss_matches_a_direct_computation(small_problem):
    X, y = small_problem
    theta = np.array([[[0.5, -1.0, 0.2, 0.3]]])
    p = 1 / (1 + np.exp(-X @ theta[0, 0]))
    direct = -np.mean(y * np.log(p) + (1 - y) * np.log(1 - p))
    np.testing.assert_allclose(logistic_loss([theta], X, y)[0, 0], direct)


def test_normalized_logits_ignore_the_scale_of_w(small_problem):
    X, _ = small_problem
    w = np.array([0.3, -1.0, 2.0, 0.5])
    np.testing.assert_allclose(
        normalized_logits([w], X, 4.0), normalized_logits([17.0 * w], X, 4.0)
    )


def test_normalized_gradient_matches_finite_differences(small_problem):
    X, y = small_problem
    w = np.array([[[0.3, -1.0, 2.0, 0.5]]])
    (grad,) = normalized_logistic_gradient(X, y, 4.0)([w], np.arange(len(y)))
    numeric = np.zeros_like(w)
    for j in range(4):
        bump = np.zeros_like(w)
        bump[..., j] = 1e-6
        numeric[..., j] = (
            normalized_logistic_loss([w + bump], X, y, 4.0)
            - normalized_logistic_loss([w - bump], X, y, 4.0)
        ) / 2e-6
    np.testing.assert_allclose(grad, numeric, atol=1e-8)
    assert abs(np.sum(grad * w)) < 1e-12  # orthogonal to w


def test_noisy_task_flips_only_training_labels():
    clean = breast_cancer_task(n_train=300)
    noisy = noisy_tumour_task(n_train=300, flip=0.25)
    np.testing.assert_array_equal(noisy.X_train, clean.X_train)
    np.testing.assert_array_equal(noisy.y_held_out, clean.y_held_out)
    flipped = np.mean(noisy.y_train != clean.y_train)
    assert 0.18 < flipped < 0.32
    assert set(np.unique(noisy.y_train)) == {0.0, 1.0}


def test_best_per_row_picks_each_rows_minimum():
    losses = np.array([[3.0, 1.0, 2.0], [0.5, 0.7, 0.9]])
    np.testing.assert_array_equal(best_per_row([1, 10, 100], losses), [10, 1])


def test_grid_plot_takes_one_lambda_grid_and_label_per_panel():
    fig, axes = plt.subplots(1, 2)
    plot_lr_decay_grid(
        axes,
        [0.1, 1.0],
        {"A": [1e-3, 1e-2, 1e-1], "B": [1e-4, 1e-3]},
        {
            "A": np.array([[0.3, 0.1, 0.2], [0.5, 0.4, 0.2]]),
            "B": np.array([[0.2, 0.1], [0.1, 0.3]]),
        },
        xlabels={"B": "decay rate"},
    )
    assert len(axes[0].get_xticklabels()) == 3
    assert len(axes[1].get_xticklabels()) == 2
    assert axes[0].get_xlabel() == r"$\lambda$"
    assert axes[1].get_xlabel() == "decay rate"
    circles = [
        (int(x[0]), int(y[0])) for x, y in (ln.get_data() for ln in axes[1].lines)
    ]
    assert circles == [(1, 0), (0, 1)]
    plt.close(fig)


def test_grid_colour_scale_is_logarithmic_only_over_a_wide_range():
    from matplotlib.colors import LogNorm

    for losses, wide in [
        (np.array([[0.36, 0.4], [0.38, 0.5]]), False),
        (np.array([[0.1, 2.0], [0.3, 5.0]]), True),
    ]:
        fig, axes = plt.subplots(1, 2)
        plot_lr_decay_grid(axes, [0.1, 1.0], [1e-2, 1e-1], {"A": losses, "B": losses})
        norm = axes[0].images[0].norm
        assert isinstance(norm, LogNorm) == wide
        assert (norm.vmin, norm.vmax) == (losses.min(), losses.max())
        plt.close(fig)
