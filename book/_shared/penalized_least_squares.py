# The book's penalized least-squares helpers, loaded into each chapter that uses
# them with myst-nb's `:load:` (tools/chapter_notebooks.py inlines them in the
# downloads). They live in book/_shared/ and not in l2course because ridge and
# soft thresholding are reference answers of graded exercises (a4's ridge_fit,
# a3's soft_threshold and proximal step): students import l2course, while book/
# is neither installed nor shipped with an assignment.
# Convention: the data loss is the SUMMED squared error ||X w - y||^2, no bias.
import numpy as np


def ridge(X, y, lam):
    """Minimize ||X w - y||^2 + lam ||w||^2 (no bias).

    Solves (X^T X + lam I) w = X^T y; no inverse is formed.
    """
    return np.linalg.solve(X.T @ X + lam * np.eye(X.shape[1]), X.T @ y)


def soft_threshold(v, threshold):
    """sign(v) max(|v| - threshold, 0), elementwise, with exact zeros."""
    v = np.asarray(v, dtype=float)
    return np.where(np.abs(v) <= threshold, 0.0, v - threshold * np.sign(v))


def lasso_ista(X, y, lam, steps=20_000, w=None):
    """Minimize ||X w - y||^2 + lam ||w||_1 by proximal gradient steps (ISTA).

    The step 1 / (2 d_1^2), with d_1 the largest singular value of X, is small
    enough for every step to lower the objective. `w` is a warm start.
    """
    lr = 1.0 / (2 * np.linalg.norm(X, 2) ** 2)
    w = np.zeros(X.shape[1]) if w is None else np.array(w, dtype=float)
    for _ in range(steps):
        w = soft_threshold(w - lr * 2 * X.T @ (X @ w - y), lr * lam)
    return w
