"""Implementations of assignment 5 that a student might hand in.

Naming and use as in a1_l2_penalty.py: ``<contract name>__<wrong|right>_<what>``.
``ridge`` is the notebook's read-only solver cell.
"""

import numpy as np

# --- kfold_indices --------------------------------------------------------------


def kfold_indices__wrong_not_shuffled(n, k, seed):
    """Cuts range(n) in order: the seed is ignored."""
    if not 2 <= k <= n:
        raise ValueError("need 2 <= k <= n")
    pieces = np.array_split(np.arange(n), k)
    return [
        (np.concatenate(pieces[:i] + pieces[i + 1 :]), piece)
        for i, piece in enumerate(pieces)
    ]


def kfold_indices__wrong_floor_sizes(n, k, seed):
    """Pieces of n // k rows: the last n % k rows are never validated."""
    if not 2 <= k <= n:
        raise ValueError("need 2 <= k <= n")
    order = np.random.default_rng(seed).permutation(n)
    size = n // k
    folds = []
    for i in range(k):
        validation = order[i * size : (i + 1) * size]
        folds.append((np.setdiff1d(order, validation), validation))
    return folds


def kfold_indices__wrong_train_is_validation(n, k, seed):
    """Returns (validation, train) in the wrong order."""
    if not 2 <= k <= n:
        raise ValueError("need 2 <= k <= n")
    pieces = np.array_split(np.random.default_rng(seed).permutation(n), k)
    return [
        (piece, np.concatenate(pieces[:i] + pieces[i + 1 :]))
        for i, piece in enumerate(pieces)
    ]


def kfold_indices__wrong_no_value_error(n, k, seed):
    """Right folds, but k = 1 gives one fold with an empty training set."""
    k = min(max(k, 1), n)
    pieces = np.array_split(np.random.default_rng(seed).permutation(n), k)
    return [
        (np.concatenate(pieces[:i] + pieces[i + 1 :] or [np.array([], int)]), piece)
        for i, piece in enumerate(pieces)
    ]


def kfold_indices__wrong_global_seed(n, k, seed):
    """Shuffles with the legacy global generator, not default_rng(seed)."""
    if not 2 <= k <= n:
        raise ValueError("need 2 <= k <= n")
    np.random.seed(seed)
    pieces = np.array_split(np.random.permutation(n), k)
    return [
        (np.concatenate(pieces[:i] + pieces[i + 1 :]), piece)
        for i, piece in enumerate(pieces)
    ]


def kfold_indices__right_masks(n, k, seed):
    """Fold sizes counted by hand, training rows picked with a boolean mask."""
    if k < 2 or k > n:
        raise ValueError(f"k must be in [2, n], got {k}")
    order = np.random.default_rng(seed).permutation(n)
    sizes = [n // k + (1 if i < n % k else 0) for i in range(k)]
    folds, start = [], 0
    for size in sizes:
        validation = order[start : start + size]
        mask = np.ones(n, dtype=bool)
        mask[start : start + size] = False
        folds.append((order[mask], validation))
        start += size
    return folds


# --- cv_error -------------------------------------------------------------------


def cv_error__wrong_training_error(X, y, lam, folds):
    """Scores each fold on the rows it was fitted on."""
    X, y = np.asarray(X, dtype=float), np.asarray(y, dtype=float)
    errors = []
    for train, _ in folds:
        w = ridge(X[train], y[train], lam)  # noqa: F821
        errors.append(np.mean((y[train] - X[train] @ w) ** 2))
    return float(np.mean(errors))


def cv_error__wrong_pooled(X, y, lam, folds):
    """Pools the squared errors of all validation rows: big folds count more."""
    X, y = np.asarray(X, dtype=float), np.asarray(y, dtype=float)
    squares = []
    for train, validation in folds:
        w = ridge(X[train], y[train], lam)  # noqa: F821
        squares.extend((y[validation] - X[validation] @ w) ** 2)
    return float(np.mean(squares))


def cv_error__wrong_sum_of_squares(X, y, lam, folds):
    """Sums the squared errors of each fold instead of averaging them."""
    X, y = np.asarray(X, dtype=float), np.asarray(y, dtype=float)
    errors = []
    for train, validation in folds:
        w = ridge(X[train], y[train], lam)  # noqa: F821
        errors.append(np.sum((y[validation] - X[validation] @ w) ** 2))
    return float(np.mean(errors))


def cv_error__wrong_rmse(X, y, lam, folds):
    """Takes the square root of each fold's error."""
    X, y = np.asarray(X, dtype=float), np.asarray(y, dtype=float)
    errors = []
    for train, validation in folds:
        w = ridge(X[train], y[train], lam)  # noqa: F821
        errors.append(np.sqrt(np.mean((y[validation] - X[validation] @ w) ** 2)))
    return float(np.mean(errors))


def cv_error__wrong_fit_on_everything(X, y, lam, folds):
    """Fits once on all the rows, so every validation row was seen in training."""
    X, y = np.asarray(X, dtype=float), np.asarray(y, dtype=float)
    w = ridge(X, y, lam)  # noqa: F821
    return float(np.mean([np.mean((y[v] - X[v] @ w) ** 2) for _, v in folds]))


def cv_error__right_list_comprehension(X, y, lam, folds):
    """The same, written as one expression over the folds."""
    X, y = np.asarray(X, dtype=float), np.asarray(y, dtype=float)
    return float(
        np.mean(
            [
                np.mean((X[v] @ ridge(X[t], y[t], lam) - y[v]) ** 2)  # noqa: F821
                for t, v in folds
            ]
        )
    )


# --- one_se_lambda --------------------------------------------------------------


def one_se_lambda__wrong_best_lambda(lams, fold_errors):
    """Returns the lam with the smallest mean error: no rule at all."""
    lams, errors = np.asarray(lams, dtype=float), np.asarray(fold_errors, dtype=float)
    return float(lams[np.argmin(errors.mean(axis=1))])


def one_se_lambda__wrong_ddof_zero(lams, fold_errors):
    """Uses the population standard deviation (ddof = 0)."""
    lams, errors = np.asarray(lams, dtype=float), np.asarray(fold_errors, dtype=float)
    means = errors.mean(axis=1)
    best = np.argmin(means)
    se = errors[best].std() / np.sqrt(errors.shape[1])
    return float(np.max(lams[means <= means[best] + se]))


def one_se_lambda__wrong_no_sqrt_k(lams, fold_errors):
    """Uses the standard deviation itself, not the standard error."""
    lams, errors = np.asarray(lams, dtype=float), np.asarray(fold_errors, dtype=float)
    means = errors.mean(axis=1)
    best = np.argmin(means)
    se = errors[best].std(ddof=1)
    return float(np.max(lams[means <= means[best] + se]))


def one_se_lambda__wrong_smallest(lams, fold_errors):
    """Returns the smallest lam within the band, the most complex model."""
    lams, errors = np.asarray(lams, dtype=float), np.asarray(fold_errors, dtype=float)
    means = errors.mean(axis=1)
    best = np.argmin(means)
    se = errors[best].std(ddof=1) / np.sqrt(errors.shape[1])
    return float(np.min(lams[means <= means[best] + se]))


def one_se_lambda__wrong_assumes_sorted(lams, fold_errors):
    """Takes the last position within the band, as if lams were increasing."""
    lams, errors = np.asarray(lams, dtype=float), np.asarray(fold_errors, dtype=float)
    means = errors.mean(axis=1)
    best = np.argmin(means)
    se = errors[best].std(ddof=1) / np.sqrt(errors.shape[1])
    return float(lams[np.flatnonzero(means <= means[best] + se)[-1]])


def one_se_lambda__wrong_strict(lams, fold_errors):
    """Uses < instead of <=, so a mean exactly on the limit is left out."""
    lams, errors = np.asarray(lams, dtype=float), np.asarray(fold_errors, dtype=float)
    means = errors.mean(axis=1)
    best = np.argmin(means)
    se = errors[best].std(ddof=1) / np.sqrt(errors.shape[1])
    return float(np.max(lams[(means < means[best] + se) | (means == means[best])]))


def one_se_lambda__wrong_sorts_in_place(lams, fold_errors):
    """Right answer, but sorts the caller's arrays in place."""
    errors = np.asarray(fold_errors)
    order = np.argsort(lams)
    if isinstance(lams, np.ndarray):
        lams[:] = lams[order]
        errors[:] = errors[order]
    lams = np.asarray(lams, dtype=float)
    means = errors.mean(axis=1)
    best = np.argmin(means)
    se = errors[best].std(ddof=1) / np.sqrt(errors.shape[1])
    return float(np.max(lams[means <= means[best] + se]))


def one_se_lambda__right_sorted_copy(lams, fold_errors):
    """Sorts copies by lam, then walks from the largest lam down."""
    order = np.argsort(np.asarray(lams, dtype=float))
    lams = np.asarray(lams, dtype=float)[order]
    errors = np.asarray(fold_errors, dtype=float)[order]
    means = errors.mean(axis=1)
    best = int(np.argmin(means))
    limit = means[best] + np.std(errors[best], ddof=1) / errors.shape[1] ** 0.5
    for i in range(len(lams) - 1, -1, -1):
        if means[i] <= limit:
            return float(lams[i])
    raise AssertionError("unreachable: the best lam is always within its own band")


# --- torch_weight_decay_to_lambda -----------------------------------------------


def torch_weight_decay_to_lambda__wrong_same(weight_decay):
    """Takes weight_decay for lam: forgets the 2 of the penalty's gradient."""
    return float(weight_decay)


def torch_weight_decay_to_lambda__wrong_double(weight_decay):
    """Doubles instead of halving."""
    return float(2 * weight_decay)


def torch_weight_decay_to_lambda__wrong_squared(weight_decay):
    """Squares it, as if the decay were a norm."""
    return float(weight_decay**2)


def torch_weight_decay_to_lambda__right_times_half(weight_decay):
    """The same division, written as a product."""
    return 0.5 * float(weight_decay)


# --- lasso_alpha ----------------------------------------------------------------


def lasso_alpha__wrong_no_two(lam, n):
    """Divides by n only: forgets the 1/2 in front of Lasso's data term."""
    return float(lam / n)


def lasso_alpha__wrong_no_n(lam, n):
    """Divides by 2 only: forgets that Lasso's data term is a mean."""
    return float(lam / 2)


def lasso_alpha__wrong_times_n(lam, n):
    """Multiplies by 2n instead of dividing."""
    return float(2 * n * lam)


def lasso_alpha__wrong_same(lam, n):
    """Passes lam through unchanged."""
    return float(lam)


def lasso_alpha__right_two_steps(lam, n):
    """Divide by n for the mean, then by 2 for the 1/2."""
    per_row = lam / n
    return float(per_row / 2)


# --- map_lambda -----------------------------------------------------------------


def map_lambda__wrong_upside_down(noise_var, prior_var, n, mean_loss):
    """prior_var / noise_var: a broad prior would be a strong penalty."""
    lam = prior_var / noise_var
    return float(lam / n if mean_loss else lam)


def map_lambda__wrong_n_ignored(noise_var, prior_var, n, mean_loss):
    """The same lam for both conventions of the data term."""
    return float(noise_var / prior_var)


def map_lambda__wrong_n_on_top(noise_var, prior_var, n, mean_loss):
    """Multiplies by n for the mean loss, instead of dividing."""
    lam = noise_var / prior_var
    return float(lam * n if mean_loss else lam)


def map_lambda__wrong_half(noise_var, prior_var, n, mean_loss):
    """Keeps a 1/2 that the log densities' two halves cancel."""
    lam = noise_var / (2 * prior_var)
    return float(lam / n if mean_loss else lam)


def map_lambda__wrong_std_not_var(noise_var, prior_var, n, mean_loss):
    """Uses the ratio of standard deviations."""
    lam = np.sqrt(noise_var / prior_var)
    return float(lam / n if mean_loss else lam)


def map_lambda__right_precisions(noise_var, prior_var, n, mean_loss):
    """The ratio of the prior's precision to the noise's, per row if asked."""
    alpha, beta = 1 / prior_var, 1 / noise_var
    rows = n if mean_loss else 1
    return float(alpha / beta / rows)
