"""Datasets for the chapters, all from scikit-learn's bundled data.

Loading goes through here so that every chapter gets the same split and no
chapter carries a relative data path.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from sklearn.datasets import load_diabetes


@dataclass(frozen=True)
class Split:
    """A train/validation split of a 1-D regression problem."""

    x_train: np.ndarray
    y_train: np.ndarray
    x_val: np.ndarray
    y_val: np.ndarray


def diabetes_bmi(n_train: int = 20, seed: int = 0) -> Split:
    """Body-mass index against disease progression, from the diabetes data.

    Both columns are standardized. Only ``n_train`` patients go into the
    training set, so that a flexible model can overfit them; the other 422 are
    the validation set.
    """
    data = load_diabetes()
    bmi = data.data[:, list(data.feature_names).index("bmi")]
    x = (bmi - bmi.mean()) / bmi.std()
    y = (data.target - data.target.mean()) / data.target.std()
    order = np.random.default_rng(seed).permutation(len(x))
    train, val = order[:n_train], order[n_train:]
    return Split(x[train], y[train], x[val], y[val])


def polynomial_features(x: np.ndarray, degree: int, scale: float = 3.0) -> np.ndarray:
    """Columns (x/scale)^1 ... (x/scale)^degree, with no constant column.

    Dividing by ``scale`` keeps the powers of standardized data near [-1, 1],
    so one λ acts on every column on a comparable footing.
    """
    z = np.asarray(x, dtype=float)[:, None] / scale
    return z ** np.arange(1, degree + 1)
