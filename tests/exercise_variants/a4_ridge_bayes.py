"""Implementations of assignment 4 that a student might hand in.

Naming and use as in a1_l2_penalty.py: ``<contract name>__<wrong|right>_<what>``.
"""

import numpy as np

# --- ridge_fit ----------------------------------------------------------------


def ridge_fit__wrong_lam_everywhere(X, y, lam):
    """Adds lam to every entry of X^T X (broadcasting), not to its diagonal."""
    X, y = np.asarray(X, dtype=float), np.asarray(y, dtype=float)
    return np.linalg.solve(X.T @ X + lam, X.T @ y)


def ridge_fit__wrong_two_lam(X, y, lam):
    """Keeps the 2 of the penalty's gradient but not the 2 of the data's."""
    X, y = np.asarray(X, dtype=float), np.asarray(y, dtype=float)
    return np.linalg.solve(X.T @ X + 2 * lam * np.eye(X.shape[1]), X.T @ y)


def ridge_fit__right_inverse(X, y, lam):
    """Right numbers by inverting the matrix: advice, and no points lost."""
    X, y = np.asarray(X, dtype=float), np.asarray(y, dtype=float)
    return np.linalg.inv(X.T @ X + lam * np.eye(X.shape[1])) @ (X.T @ y)


def ridge_fit__wrong_minus_lam(X, y, lam):
    """Subtracts the penalty."""
    X, y = np.asarray(X, dtype=float), np.asarray(y, dtype=float)
    return np.linalg.solve(X.T @ X - lam * np.eye(X.shape[1]), X.T @ y)


def ridge_fit__wrong_mean_loss(X, y, lam):
    """Minimizes the MEAN squared error plus the penalty: lam scaled by n."""
    X, y = np.asarray(X, dtype=float), np.asarray(y, dtype=float)
    n, p = X.shape
    return np.linalg.solve(X.T @ X / n + lam * np.eye(p), X.T @ y / n)


def ridge_fit__right_augmented_lstsq(X, y, lam):
    """Least squares on X stacked over sqrt(lam) I, y stacked over zeros."""
    X, y = np.asarray(X, dtype=float), np.asarray(y, dtype=float)
    p = X.shape[1]
    A = np.vstack([X, np.sqrt(lam) * np.eye(p)])
    b = np.concatenate([y, np.zeros(p)])
    return np.linalg.lstsq(A, b, rcond=None)[0]


def ridge_fit__right_svd(X, y, lam):
    """w = V diag(d / (d^2 + lam)) U^T y, from the thin SVD."""
    X, y = np.asarray(X, dtype=float), np.asarray(y, dtype=float)
    U, d, Vt = np.linalg.svd(X, full_matrices=False)
    return Vt.T @ (d / (d**2 + lam) * (U.T @ y))


# --- ridge_fit_intercept ------------------------------------------------------


def ridge_fit_intercept__wrong_penalized_intercept(X, y, lam):
    """A column of ones, penalized like every other column."""
    X, y = np.asarray(X, dtype=float), np.asarray(y, dtype=float)
    A = np.column_stack([X, np.ones(len(y))])
    solution = np.linalg.solve(A.T @ A + lam * np.eye(A.shape[1]), A.T @ y)
    return solution[:-1], float(solution[-1])


def ridge_fit_intercept__wrong_no_intercept(X, y, lam):
    """Ridge on the raw data, with b = 0."""
    X, y = np.asarray(X, dtype=float), np.asarray(y, dtype=float)
    return np.linalg.solve(X.T @ X + lam * np.eye(X.shape[1]), X.T @ y), 0.0


def ridge_fit_intercept__wrong_centre_y_only(X, y, lam):
    """Centres y but not X."""
    X, y = np.asarray(X, dtype=float), np.asarray(y, dtype=float)
    w = np.linalg.solve(X.T @ X + lam * np.eye(X.shape[1]), X.T @ (y - y.mean()))
    return w, float(y.mean() - X.mean(axis=0) @ w)


def ridge_fit_intercept__wrong_intercept_mean_y(X, y, lam):
    """Right w, but b = mean(y), forgetting the columns' means."""
    X, y = np.asarray(X, dtype=float), np.asarray(y, dtype=float)
    Xc = X - X.mean(axis=0)
    w = np.linalg.solve(Xc.T @ Xc + lam * np.eye(X.shape[1]), Xc.T @ (y - y.mean()))
    return w, float(y.mean())


def ridge_fit_intercept__right_augmented(X, y, lam):
    """One system for (w, b), with a zero in the penalty for b."""
    X, y = np.asarray(X, dtype=float), np.asarray(y, dtype=float)
    A = np.column_stack([X, np.ones(len(y))])
    penalty = np.diag(np.append(np.full(X.shape[1], float(lam)), 0.0))
    solution = np.linalg.solve(A.T @ A + penalty, A.T @ y)
    return solution[:-1], float(solution[-1])


def ridge_fit_intercept__right_lstsq(X, y, lam):
    """Least squares on the augmented system, with no penalty row for b."""
    X, y = np.asarray(X, dtype=float), np.asarray(y, dtype=float)
    n, p = X.shape
    top = np.column_stack([X, np.ones(n)])
    bottom = np.column_stack([np.sqrt(lam) * np.eye(p), np.zeros(p)])
    solution = np.linalg.lstsq(
        np.vstack([top, bottom]), np.concatenate([y, np.zeros(p)]), rcond=None
    )[0]
    return solution[:p], float(solution[p])


# --- map_estimate -------------------------------------------------------------


def map_estimate__wrong_inverted_ratio(X, y, noise_var, prior_var):
    """lam = prior_var / noise_var."""
    X, y = np.asarray(X, dtype=float), np.asarray(y, dtype=float)
    lam = prior_var / noise_var
    return np.linalg.solve(X.T @ X + lam * np.eye(X.shape[1]), X.T @ y)


def map_estimate__wrong_product(X, y, noise_var, prior_var):
    """lam = noise_var * prior_var."""
    X, y = np.asarray(X, dtype=float), np.asarray(y, dtype=float)
    lam = noise_var * prior_var
    return np.linalg.solve(X.T @ X + lam * np.eye(X.shape[1]), X.T @ y)


def map_estimate__wrong_ignores_noise(X, y, noise_var, prior_var):
    """lam = 1 / prior_var."""
    X, y = np.asarray(X, dtype=float), np.asarray(y, dtype=float)
    return np.linalg.solve(X.T @ X + np.eye(X.shape[1]) / prior_var, X.T @ y)


def map_estimate__wrong_half(X, y, noise_var, prior_var):
    """Cancels the 1/2 on one term only."""
    X, y = np.asarray(X, dtype=float), np.asarray(y, dtype=float)
    lam = noise_var / (2 * prior_var)
    return np.linalg.solve(X.T @ X + lam * np.eye(X.shape[1]), X.T @ y)


def map_estimate__right_posterior_mean(X, y, noise_var, prior_var):
    """The Gaussian posterior's mean, in precision form."""
    X, y = np.asarray(X, dtype=float), np.asarray(y, dtype=float)
    precision = X.T @ X / noise_var + np.eye(X.shape[1]) / prior_var
    return np.linalg.solve(precision, X.T @ y / noise_var)


def map_estimate__right_weighted_lstsq(X, y, noise_var, prior_var):
    """Each term of the log-posterior as rows of one least-squares problem."""
    X, y = np.asarray(X, dtype=float), np.asarray(y, dtype=float)
    p = X.shape[1]
    A = np.vstack([X / np.sqrt(noise_var), np.eye(p) / np.sqrt(prior_var)])
    b = np.concatenate([y / np.sqrt(noise_var), np.zeros(p)])
    return np.linalg.lstsq(A, b, rcond=None)[0]


# --- shrinkage_factors --------------------------------------------------------


def shrinkage_factors__wrong_not_squared(X, lam):
    """d / (d + lam)."""
    d = np.linalg.svd(np.asarray(X, dtype=float), compute_uv=False)
    return d / (d + lam)


def shrinkage_factors__wrong_complement(X, lam):
    """The fraction removed, lam / (d^2 + lam)."""
    d = np.linalg.svd(np.asarray(X, dtype=float), compute_uv=False)
    return lam / (d**2 + lam)


def shrinkage_factors__wrong_ascending(X, lam):
    """Eigenvalues of X^T X come out smallest first."""
    X = np.asarray(X, dtype=float)
    e = np.clip(np.linalg.eigvalsh(X.T @ X), 0, None)[-min(X.shape) :]
    return e / (e + lam)


def shrinkage_factors__wrong_eigenvalues_as_d(X, lam):
    """Squares the eigenvalues of X^T X, which are already d^2."""
    X = np.asarray(X, dtype=float)
    e = np.sort(np.linalg.eigvalsh(X.T @ X))[::-1][: min(X.shape)]
    return e**2 / (e**2 + lam)


def shrinkage_factors__wrong_all_columns(X, lam):
    """One factor per column, padding wide X with zero singular values."""
    X = np.asarray(X, dtype=float)
    e = np.sort(np.clip(np.linalg.eigvalsh(X.T @ X), 0, None))[::-1]
    return e / (e + lam)


def shrinkage_factors__right_small_gram(X, lam):
    """Eigenvalues of the smaller Gram matrix are the d^2."""
    X = np.asarray(X, dtype=float)
    gram = X.T @ X if X.shape[0] >= X.shape[1] else X @ X.T
    d2 = np.clip(np.sort(np.linalg.eigvalsh(gram))[::-1], 0, None)
    return d2 / (d2 + lam)


def shrinkage_factors__right_transpose(X, lam):
    """X and X^T have the same singular values."""
    d = np.linalg.svd(np.asarray(X, dtype=float).T, compute_uv=False)
    return 1.0 - lam / (d * d + lam)


# --- effective_dof ------------------------------------------------------------


def effective_dof__wrong_not_squared(X, lam):
    """Sums d / (d + lam)."""
    d = np.linalg.svd(np.asarray(X, dtype=float), compute_uv=False)
    return float(np.sum(d / (d + lam)))


def effective_dof__wrong_complement(X, lam):
    """Sums the fractions removed."""
    d = np.linalg.svd(np.asarray(X, dtype=float), compute_uv=False)
    return float(np.sum(lam / (d**2 + lam)))


def effective_dof__wrong_mean(X, lam):
    """Averages the factors."""
    d = np.linalg.svd(np.asarray(X, dtype=float), compute_uv=False)
    return float(np.mean(d**2 / (d**2 + lam)))


def effective_dof__wrong_lam_squared(X, lam):
    """Puts lam^2 where lam belongs."""
    d = np.linalg.svd(np.asarray(X, dtype=float), compute_uv=False)
    return float(np.sum(d**2 / (d**2 + lam**2)))


def effective_dof__right_hat_matrix_trace(X, lam):
    """The trace of X (X^T X + lam I)^(-1) X^T, by solving."""
    X = np.asarray(X, dtype=float)
    p = X.shape[1]
    return float(np.trace(X @ np.linalg.solve(X.T @ X + lam * np.eye(p), X.T)))


def effective_dof__right_eigenvalues(X, lam):
    """From the eigenvalues of the smaller Gram matrix."""
    X = np.asarray(X, dtype=float)
    gram = X.T @ X if X.shape[0] >= X.shape[1] else X @ X.T
    d2 = np.clip(np.linalg.eigvalsh(gram), 0, None)
    return float(np.sum(d2 / (d2 + lam)))
