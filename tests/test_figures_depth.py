"""The depth chapters' shared problems (l2course.tasks) and pure figures."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from sklearn.linear_model import Ridge  # noqa: E402
from sklearn.model_selection import KFold  # noqa: E402

from l2course.figures.beyond import (  # noqa: E402
    plot_curvature_shrinkage,
    plot_early_stopping,
    plot_separable_growth,
)
from l2course.figures.practice import (  # noqa: E402
    plot_evidence,
    plot_lr_decay_grid,
    plot_one_standard_error,
    plot_orthonormal_shrinkage,
    plot_rescaled_feature,
)
from l2course.tasks import (  # noqa: E402
    breast_cancer_task,
    diabetes_quadratic,
    ridge_cv_errors,
    ridge_fold_errors,
    ridge_folds,
)


@pytest.fixture
def two_axes():
    fig, axes = plt.subplots(1, 2)
    yield axes
    plt.close(fig)


def test_breast_cancer_task_is_standardized_on_the_training_rows():
    task = breast_cancer_task()
    assert task.X_train.shape == (80, 31) and task.X_held_out.shape == (489, 31)
    np.testing.assert_allclose(task.X_train[:, :-1].mean(axis=0), 0, atol=1e-12)
    np.testing.assert_allclose(task.X_train[:, :-1].std(axis=0), 1, rtol=1e-12)
    assert np.all(task.X_train[:, -1] == 1) and np.all(task.X_held_out[:, -1] == 1)
    assert set(np.unique(task.y_train)) == {0.0, 1.0}
    assert task.feature_names[-1] == "bias" and len(task.feature_names) == 31


def test_tasks_use_disjoint_rows_that_cover_the_data():
    task = diabetes_quadratic()
    assert task.X_train.shape == (80, 65) and task.X_held_out.shape == (362, 65)
    np.testing.assert_allclose(task.X_train.mean(axis=0), 0, atol=1e-12)
    # No training row reappears among the held-out rows.
    train_rows = {tuple(np.round(row, 10)) for row in task.X_train}
    assert not train_rows & {tuple(np.round(row, 10)) for row in task.X_held_out}


def test_ridge_fold_errors_match_an_explicit_loop():
    task = diabetes_quadratic()
    lams = np.array([0.1, 10.0, 1000.0])
    errors = ridge_fold_errors(task.X_train, task.y_train, lams, n_splits=4, seed=2)
    assert errors.shape == (3, 4)
    folds = KFold(n_splits=4, shuffle=True, random_state=2)
    for i, lam in enumerate(lams):
        for k, (train, val) in enumerate(folds.split(task.X_train)):
            fit = Ridge(alpha=lam).fit(task.X_train[train], task.y_train[train])
            residual = fit.predict(task.X_train[val]) - task.y_train[val]
            assert errors[i, k] == pytest.approx(np.mean(residual**2), rel=1e-10)


def test_ridge_cv_errors_give_each_folds_training_error_too():
    task = diabetes_quadratic()
    lams = np.array([0.01, 100.0])
    training, validation = ridge_cv_errors(task.X_train, task.y_train, lams, 3, 5)
    np.testing.assert_array_equal(
        validation, ridge_fold_errors(task.X_train, task.y_train, lams, 3, 5)
    )
    for k, (train, val) in enumerate(ridge_folds(3, 5).split(task.X_train)):
        # The validation rows of the folds partition the training set.
        assert len(val) in (26, 27) and len(train) + len(val) == 80
        for i, lam in enumerate(lams):
            fit = Ridge(alpha=lam).fit(task.X_train[train], task.y_train[train])
            residual = fit.predict(task.X_train[train]) - task.y_train[train]
            assert training[i, k] == pytest.approx(np.mean(residual**2), rel=1e-10)
    assert np.all(training[0] < training[1])  # more penalty, worse training fit


def test_curvature_shrinkage_draws_the_formula(two_axes):
    grid = np.meshgrid(np.linspace(-1, 1, 5), np.linspace(-1, 1, 5))
    curvatures = np.array([0.1, 1.0])
    lams = np.array([0.01, 0.1, 1.0])
    plot_curvature_shrinkage(
        two_axes,
        *grid,
        grid[0] ** 2 + grid[1] ** 2,
        np.array([0.5, 0.2]),
        np.eye(2),
        np.array([0.3, 0.1]),
        np.array([0.31, 0.1]),
        lams,
        np.ones((3, 2)),
        curvatures,
        0.1,
    )
    lines = two_axes[1].lines
    x, y = lines[0].get_data()
    np.testing.assert_allclose(y, 0.1 / (0.1 + 2 * x))
    assert two_axes[1].get_xscale() == "log"
    assert any(set(ln.get_xdata()) == {0.1} for ln in lines)  # the current λ


def test_early_stopping_marks_the_step(two_axes):
    steps = np.array([1, 10, 100])
    h = np.logspace(-2, 1, 20)
    plot_early_stopping(
        two_axes,
        steps,
        np.zeros((3, 2)),
        np.ones((3, 2)),
        10,
        h,
        1 - (1 - 0.1 * h) ** 10,
        h / (h + 1.0),
        np.array([0.1, 1.0]),
        ["a", "b"],
    )
    assert any(set(ln.get_xdata()) == {10} for ln in two_axes[0].lines)
    assert two_axes[1].get_legend() is not None
    assert "t = 10" in two_axes[0].get_title()


def test_separable_growth_uses_log_axes(two_axes):
    steps = np.array([1, 10, 100])
    plot_separable_growth(two_axes, steps, {"λ = 0": steps * 1.0}, {"λ = 0": 1 / steps})
    assert two_axes[0].get_xscale() == "log" and two_axes[1].get_yscale() == "log"


def test_rescaled_feature_highlights_the_scaled_column(two_axes):
    effects = {"ridge": np.array([0.1, 0.2, 0.3]), "lasso": np.array([0, 0.2, 0.1])}
    plot_rescaled_feature(two_axes, ["a", "b", "c"], effects, effects, 1, 10.0)
    bars = two_axes[0].patches
    assert bars[1].get_facecolor() != bars[0].get_facecolor()
    assert "× 10" in two_axes[0].get_title()


def test_one_standard_error_line_is_minimum_plus_its_error():
    fig, ax = plt.subplots()
    lams = np.array([1.0, 10.0, 100.0])
    plot_one_standard_error(
        ax, lams, np.array([2.0, 1.0, 1.1]), np.array([0.1, 0.2, 0.1]), 1, 2
    )
    horizontal = [
        ln
        for ln in ax.lines
        if len(set(ln.get_ydata())) == 1 and len(ln.get_ydata()) == 2
    ]
    assert horizontal and horizontal[0].get_ydata()[0] == pytest.approx(1.2)
    plt.close(fig)


def test_evidence_marks_each_choice_on_both_panels(two_axes):
    lams = np.logspace(0, 2, 5)
    plot_evidence(two_axes, lams, -lams, lams, {"a": 3.0, "b": 30.0})
    for ax in two_axes:
        marked = {ln.get_xdata()[0] for ln in ax.lines if len(set(ln.get_xdata())) == 1}
        assert marked == {3.0, 30.0}


def test_orthonormal_curves_are_drawn_as_given():
    fig, ax = plt.subplots()
    w = np.linspace(-2, 2, 9)
    curves = {
        "hard": np.where(w**2 > 1, w, 0),
        "soft": np.sign(w) * 0.5,
        "ridge": w / 2,
    }
    plot_orthonormal_shrinkage(
        ax, w, curves, w[:3], {k: v[:3] for k, v in curves.items()}, 1.0
    )
    drawn = {line.get_label(): line.get_ydata() for line in ax.lines}
    np.testing.assert_allclose(drawn["ridge"], w / 2)
    plt.close(fig)


def test_lr_decay_grid_circles_each_rows_best(two_axes):
    losses = np.array([[0.3, 0.1, 0.2], [0.5, 0.4, 0.2]])
    plot_lr_decay_grid(
        two_axes, [0.1, 1.0], [1e-3, 1e-2, 1e-1], {"A": losses, "B": losses[::-1]}
    )
    circles = [ln.get_data() for ln in two_axes[0].lines]
    assert [(int(x[0]), int(y[0])) for x, y in circles] == [(1, 0), (2, 1)]


def test_static_figure_carries_the_alt_text_and_caption():
    from l2course.static_figure import static_figure

    def draw(ax):
        ax.plot([0, 1], [0, 1])
        return ax

    shown = static_figure(draw, alt='a line from 0 to 1 & "up"', caption="One line.")
    assert 'alt="a line from 0 to 1 &amp; &quot;up&quot;"' in shown.data
    assert 'src="data:image/png;base64,' in shown.data
    assert "<figcaption" in shown.data and "One line." in shown.data


def test_one_standard_error_axis_zooms_on_the_minimum():
    fig, ax = plt.subplots()
    lams = np.logspace(-1, 2, 4)
    plot_one_standard_error(
        ax, lams, np.array([20.0, 1.0, 1.1, 1.5]), np.full(4, 0.05), 1, 2
    )
    low, high = ax.get_ylim()
    assert ax.get_yscale() == "linear"
    assert low < 1.0 < 1.05 < high < 20.0
    plt.close(fig)
