"""The book's shared chapter helpers (book/_shared/), checked independently.

They are loaded into chapters with myst-nb's `:load:`, so a bug here is a bug in
every chapter that shows them. They are not in l2course, because some of them
are reference answers of graded exercises; this file also checks they stay out.
"""

from __future__ import annotations

import runpy
import tomllib

import numpy as np
import pytest
from conftest import ROOT
from sklearn.linear_model import Lasso, Ridge

SHARED = ROOT / "book" / "_shared"
least_squares = runpy.run_path(str(SHARED / "penalized_least_squares.py"))
differences = runpy.run_path(str(SHARED / "central_difference.py"))


@pytest.fixture
def regression():
    rng = np.random.default_rng(11)
    X = rng.normal(size=(50, 4))
    y = X @ np.array([2.0, -1.0, 0.0, 0.3]) + 0.5 * rng.normal(size=50)
    return X, y


@pytest.mark.parametrize("lam", [0.0, 0.5, 30.0])
def test_ridge_is_scikit_learns_ridge_without_intercept(regression, lam):
    X, y = regression
    reference = Ridge(alpha=lam, fit_intercept=False, solver="svd").fit(X, y).coef_
    np.testing.assert_allclose(least_squares["ridge"](X, y, lam), reference, atol=1e-10)


def test_soft_threshold_gives_exact_zeros_and_shifts_the_rest():
    soft = least_squares["soft_threshold"]
    out = soft(np.array([-2.0, -0.5, -0.1, 0.0, 0.3, 1.5]), 0.5)
    np.testing.assert_array_equal(out, [-1.5, 0.0, 0.0, 0.0, 0.0, 1.0])
    assert soft(0.2, 0.5) == 0.0 and soft(-3.0, 1.0) == -2.0


@pytest.mark.parametrize("lam", [1.0, 20.0, 60.0])
def test_lasso_ista_is_scikit_learns_lasso_with_alpha_lam_over_2n(regression, lam):
    X, y = regression
    reference = (
        Lasso(
            alpha=lam / (2 * len(y)), fit_intercept=False, tol=1e-12, max_iter=100_000
        )
        .fit(X, y)
        .coef_
    )
    ours = least_squares["lasso_ista"](X, y, lam)
    np.testing.assert_allclose(ours, reference, atol=1e-7)
    assert np.array_equal(ours == 0, reference == 0)


def test_lasso_ista_warm_start_is_not_modified(regression):
    X, y = regression
    start = np.ones(4)
    least_squares["lasso_ista"](X, y, 5.0, steps=10, w=start)
    np.testing.assert_array_equal(start, np.ones(4))


def test_central_difference_matches_known_gradients_of_any_shape():
    grad = differences["central_difference"]
    W = np.arange(6.0).reshape(2, 3) / 7
    np.testing.assert_allclose(grad(lambda v: np.sum(v**3), W), 3 * W**2, atol=1e-8)
    np.testing.assert_allclose(
        grad(lambda v: np.sin(v).sum(), np.array([0.3])), [np.cos(0.3)], atol=1e-9
    )


def test_shared_helpers_are_not_shipped_in_the_package():
    """Students import l2course; reference answers must not be in it."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    packages = config["tool"]["setuptools"]["packages"]["find"]["include"]
    assert not any(p.startswith("book") for p in packages)
    package_source = "\n".join(p.read_text() for p in (ROOT / "l2course").rglob("*.py"))
    for name in (
        "def ridge(",
        "def soft_threshold(",
        "def lasso_ista(",
        "def central_difference(",
        # a5's graded functions (choosing lambda): the chapters use scikit-learn's
        # folds through l2course.tasks and write the one-SE rule out in the text.
        "def kfold_indices(",
        "def cv_error(",
        "def one_se_lambda(",
        "def torch_weight_decay_to_lambda(",
        "def lasso_alpha(",
        "def map_lambda(",
    ):
        assert name not in package_source, name
