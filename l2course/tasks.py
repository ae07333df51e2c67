"""The small learning problems that several chapters share.

Each function rebuilds one chapter's data set exactly (same rows, same
scaling), so a later chapter can return to a problem without pasting its
set-up. The functions only prepare data and run library fits; none of them is
the answer to a graded exercise.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from sklearn.datasets import load_breast_cancer, load_diabetes
from sklearn.linear_model import Ridge
from sklearn.model_selection import KFold, validation_curve
from sklearn.preprocessing import PolynomialFeatures, StandardScaler


@dataclass(frozen=True)
class Task:
    """A training set and a held-out set; ``feature_names`` name X's columns."""

    X_train: np.ndarray
    y_train: np.ndarray
    X_held_out: np.ndarray
    y_held_out: np.ndarray
    feature_names: tuple[str, ...]


def breast_cancer_task(n_train: int = 80, seed: int = 0) -> Task:
    """The optimizers chapter's logistic-regression task.

    ``n_train`` tumours of the Wisconsin breast-cancer data to train on, the
    other ones held out. The 30 measurements are standardized with the
    training rows' mean and standard deviation, and a last column of ones
    carries the bias. Labels are 0.0 (malignant) and 1.0 (benign).
    """
    cancer = load_breast_cancer()
    order = np.random.default_rng(seed).permutation(len(cancer.target))
    train_rows, held_rows = order[:n_train], order[n_train:]
    mean = cancer.data[train_rows].mean(axis=0)
    std = cancer.data[train_rows].std(axis=0)

    def design(rows: np.ndarray) -> np.ndarray:
        standardized = (cancer.data[rows] - mean) / std
        return np.column_stack([standardized, np.ones(len(rows))])

    target = cancer.target.astype(float)
    return Task(
        design(train_rows),
        target[train_rows],
        design(held_rows),
        target[held_rows],
        (*cancer.feature_names, "bias"),
    )


def diabetes_standardized() -> tuple[np.ndarray, np.ndarray, tuple[str, ...]]:
    """All 442 diabetes patients: the ten measurements and the target standardized.

    Each column and the target have mean 0 and standard deviation 1 (divisor n)
    over all patients, as in the depth chapters' early-stopping and
    standardization sections. Returns ``(X, y, feature_names)``.
    """
    diabetes = load_diabetes()
    X, y = diabetes.data, diabetes.target
    X_std = (X - X.mean(axis=0)) / X.std(axis=0)
    y_std = (y - y.mean()) / y.std()
    return X_std, y_std, tuple(diabetes.feature_names)


def diabetes_quadratic(n_train: int = 80, seed: int = 0) -> Task:
    """The choosing-λ chapter's ridge problem.

    The ten diabetes measurements with all their squares and pairwise products
    (65 columns), standardized with the statistics of ``n_train`` training
    patients; the target is standardized over all 442 patients. The other
    patients are the held-out test set. There is no column of ones: fit an
    intercept (scikit-learn's default) or centre the data.
    """
    X_all, y_all = load_diabetes(return_X_y=True)
    y_all = (y_all - y_all.mean()) / y_all.std()
    poly = PolynomialFeatures(degree=2, include_bias=False)
    features = poly.fit_transform(X_all)
    order = np.random.default_rng(seed).permutation(len(y_all))
    train, test = order[:n_train], order[n_train:]
    scaler = StandardScaler().fit(features[train])
    names = tuple(poly.get_feature_names_out(load_diabetes().feature_names))
    return Task(
        scaler.transform(features[train]),
        y_all[train],
        scaler.transform(features[test]),
        y_all[test],
        names,
    )


def ridge_folds(n_splits: int = 5, seed: int = 0) -> KFold:
    """The choosing-λ chapter's folds: scikit-learn's shuffled ``KFold``.

    The splits come from scikit-learn, not from the course's own code: writing
    k-fold indices is a graded exercise (a5), whose answer stays out of here.
    """
    return KFold(n_splits=n_splits, shuffle=True, random_state=seed)


def ridge_cv_errors(
    X: np.ndarray,
    y: np.ndarray,
    lams: np.ndarray,
    n_splits: int = 5,
    seed: int = 0,
) -> tuple[np.ndarray, np.ndarray]:
    """Each fold's training and validation mean squared error of ridge, per λ.

    scikit-learn's ``validation_curve`` over ``Ridge(alpha=lam)`` (summed squared
    error, unpenalized intercept, so ``alpha`` is the course's λ) on the folds
    of ``ridge_folds(n_splits, seed)``. Returns two arrays of shape
    (len(lams), n_splits): training errors, then validation errors.
    """
    train_scores, val_scores = validation_curve(
        Ridge(),
        X,
        y,
        param_name="alpha",
        param_range=np.asarray(lams, dtype=float),
        cv=ridge_folds(n_splits, seed),
        scoring="neg_mean_squared_error",
    )
    return -train_scores, -val_scores


def ridge_fold_errors(
    X: np.ndarray,
    y: np.ndarray,
    lams: np.ndarray,
    n_splits: int = 5,
    seed: int = 0,
) -> np.ndarray:
    """Each fold's validation mean squared error of ridge, for each λ.

    The validation half of ``ridge_cv_errors``: shape (len(lams), n_splits).
    """
    return ridge_cv_errors(X, y, lams, n_splits, seed)[1]
