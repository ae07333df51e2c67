"""Implementations of assignment 1 that a student might hand in.

Each function is named ``<contract name>__<wrong|right>_<what>``. The test
suite renames it to the contract name, pastes its source into that function's
solution cell of the student version, and autogrades it with nbgrader: every
``wrong`` one must lose points on its function's test cell, every ``right`` one
must get them all. The notebook's set-up cell has imported numpy as np; any
other import goes inside the function.
"""

import numpy as np

# --- l2_penalty ---------------------------------------------------------------


def l2_penalty__wrong_mean(w, lam):
    """Averages the squares instead of adding them up."""
    return float(lam * np.mean(np.square(w)))


def l2_penalty__wrong_half(w, lam):
    """Uses the 1/2 convention of some textbooks against the course's."""
    return float(0.5 * lam * np.sum(np.square(w)))


def l2_penalty__wrong_norm_not_squared(w, lam):
    """Takes the Euclidean norm and forgets to square it."""
    return float(lam * np.linalg.norm(np.ravel(w)))


def l2_penalty__wrong_dot_1d_only(w, lam):
    """np.dot(w, w) is the sum of squares only for a vector."""
    w = np.asarray(w, dtype=float)
    return float(lam * np.dot(w, w))


def l2_penalty__wrong_square_of_sum(w, lam):
    """Squares the sum of the weights instead of summing their squares."""
    return float(lam * np.sum(w) ** 2)


def l2_penalty__right_norm_squared(w, lam):
    """The squared Frobenius norm of any array is its sum of squares."""
    return float(lam * np.linalg.norm(np.asarray(w, dtype=float)) ** 2)


def l2_penalty__right_vdot(w, lam):
    """np.vdot flattens both arguments first."""
    w = np.asarray(w, dtype=float)
    return lam * float(np.vdot(w, w))


# --- l2_grad ------------------------------------------------------------------


def l2_grad__wrong_missing_two(w, lam):
    """Forgets the 2 from the derivative of w**2."""
    return lam * np.asarray(w, dtype=float)


def l2_grad__wrong_sign(w, lam):
    """Returns the descent direction instead of the gradient."""
    return -2 * lam * np.asarray(w, dtype=float)


def l2_grad__wrong_in_place(w, lam):
    """Scales the caller's array in place and hands it back."""
    w = np.asarray(w, dtype=float)  # no copy when w is already a float array
    w *= 2 * lam
    return w


def l2_grad__wrong_l1_sign(w, lam):
    """Mixes up L2 with L1: a constant push of size 2 lam."""
    return 2 * lam * np.sign(np.asarray(w, dtype=float))


def l2_grad__wrong_summed(w, lam):
    """Sums the gradient into one number."""
    return np.asarray(2 * lam * np.sum(w))


def l2_grad__right_add(w, lam):
    """w + w is 2w."""
    w = np.asarray(w, dtype=float)
    return lam * (w + w)


def l2_grad__right_multiply(w, lam):
    """np.multiply allocates a new array."""
    return np.multiply(2.0 * lam, w, dtype=float)


# --- penalized_loss -----------------------------------------------------------


def penalized_loss__wrong_first_array_only(data_loss, weights, lam):
    """Penalizes only the first layer."""
    if not weights:
        return float(data_loss)
    return float(data_loss + lam * np.sum(np.square(weights[0])))


def penalized_loss__wrong_last_array_only(data_loss, weights, lam):
    """Overwrites the total in the loop instead of adding to it."""
    penalty = 0.0
    for W in weights:
        penalty = lam * np.sum(np.square(W))
    return float(data_loss + penalty)


def penalized_loss__wrong_no_data_loss(data_loss, weights, lam):
    """Returns the penalty alone."""
    return float(lam * sum(np.sum(np.square(W)) for W in weights))


def penalized_loss__wrong_sum_of_norms(data_loss, weights, lam):
    """Adds up the norms of the arrays, not their squared entries."""
    return float(data_loss + lam * sum(np.linalg.norm(np.ravel(W)) for W in weights))


def penalized_loss__wrong_mean_per_array(data_loss, weights, lam):
    """Averages within each array."""
    return float(data_loss + lam * sum(np.mean(np.square(W)) for W in weights))


def penalized_loss__wrong_stack(data_loss, weights, lam):
    """Stacks the arrays into one, which fails for arrays of different shapes."""
    if len(weights) == 0:
        return float(data_loss)
    return float(data_loss + lam * np.sum(np.square(np.array(weights))))


def penalized_loss__right_flatten(data_loss, weights, lam):
    """Flatten everything into one vector first (guarding the empty list)."""
    if len(weights) == 0:
        return float(data_loss)
    flat = np.concatenate([np.ravel(np.asarray(W, dtype=float)) for W in weights])
    return float(data_loss + lam * flat @ flat)


def penalized_loss__right_loop(data_loss, weights, lam):
    """A plain loop with a running total."""
    total = float(data_loss)
    for W in weights:
        W = np.asarray(W, dtype=float)
        total += lam * float(np.vdot(W, W))
    return total


# --- numerical_grad -----------------------------------------------------------


def numerical_grad__wrong_forward(f, w, eps=1e-6):
    """A one-sided difference: its error shrinks only like eps."""
    w = np.array(w, dtype=float)
    grad = np.zeros_like(w)
    f0 = f(w)
    for index in np.ndindex(w.shape):
        step = np.zeros_like(w)
        step[index] = eps
        grad[index] = (f(w + step) - f0) / eps
    return grad


def numerical_grad__wrong_divide_by_eps(f, w, eps=1e-6):
    """A central difference divided by eps instead of 2 eps."""
    w = np.array(w, dtype=float)
    grad = np.zeros_like(w)
    for index in np.ndindex(w.shape):
        step = np.zeros_like(w)
        step[index] = eps
        grad[index] = (f(w + step) - f(w - step)) / eps
    return grad


def numerical_grad__wrong_nudge_in_place(f, w, eps=1e-6):
    """Nudges the caller's array and forgets to put the entry back."""
    w = np.asarray(w)
    grad = np.zeros(w.shape)
    for index in np.ndindex(w.shape):
        w[index] += eps
        f_plus = f(w)
        w[index] -= 2 * eps
        f_minus = f(w)
        grad[index] = (f_plus - f_minus) / (2 * eps)
    return grad


def numerical_grad__wrong_flat(f, w, eps=1e-6):
    """Works on the flattened vector and returns it flat."""
    w = np.array(w, dtype=float).ravel()
    grad = np.zeros_like(w)
    for i in range(w.size):
        step = np.zeros_like(w)
        step[i] = eps
        grad[i] = (f(w + step) - f(w - step)) / (2 * eps)
    return grad


def numerical_grad__wrong_keeps_dtype(f, w, eps=1e-6):
    """Keeps the caller's dtype, so float32 cannot resolve eps."""
    w = np.array(w)
    if not np.issubdtype(w.dtype, np.floating):
        w = w.astype(float)
    grad = np.zeros_like(w)
    for index in np.ndindex(w.shape):
        step = np.zeros_like(w)
        step[index] = eps
        grad[index] = (f(w + step) - f(w - step)) / (2 * eps)
    return grad


def numerical_grad__right_flat_views(f, w, eps=1e-6):
    """Loop over a flat copy, reshape whenever f is called."""
    w = np.array(w, dtype=float)
    flat = w.ravel()
    grad = np.empty(flat.size)
    for i in range(flat.size):
        plus, minus = flat.copy(), flat.copy()
        plus[i] += eps
        minus[i] -= eps
        grad[i] = (f(plus.reshape(w.shape)) - f(minus.reshape(w.shape))) / (2 * eps)
    return grad.reshape(w.shape)


def numerical_grad__right_restore_copy(f, w, eps=1e-6):
    """Nudge a private copy and restore each entry from the original value."""
    work = np.array(w, dtype=float)
    grad = np.zeros_like(work)
    for index in np.ndindex(work.shape):
        original = work[index]
        work[index] = original + eps
        f_plus = f(work.copy())
        work[index] = original - eps
        f_minus = f(work.copy())
        work[index] = original
        grad[index] = (f_plus - f_minus) / (2 * eps)
    return grad
