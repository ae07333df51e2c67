"""Implementations of assignment 3 that a student might hand in.

Naming and use as in a1_l2_penalty.py: ``<contract name>__<wrong|right>_<what>``.
"""

import numpy as np

# --- l1_penalty ---------------------------------------------------------------


def l1_penalty__wrong_no_abs(w, lam):
    """Adds the signed weights, so positive and negative ones cancel."""
    return float(lam * np.sum(w))


def l1_penalty__wrong_squares(w, lam):
    """Writes the L2 penalty instead."""
    return float(lam * np.sum(np.square(w)))


def l1_penalty__wrong_mean(w, lam):
    """Averages the absolute values."""
    return float(lam * np.mean(np.abs(w)))


def l1_penalty__wrong_matrix_norm(w, lam):
    """np.linalg.norm(W, 1) of a matrix is its largest column sum."""
    w = np.asarray(w, dtype=float)
    if w.ndim == 0:
        return float(lam * abs(w))
    return (
        float(lam * np.linalg.norm(w, 1))
        if w.ndim <= 2
        else float(lam * np.sum(np.abs(w)))
    )


def l1_penalty__wrong_euclidean_norm(w, lam):
    """The L2 norm, not the L1 norm."""
    return float(lam * np.linalg.norm(np.ravel(w)))


def l1_penalty__right_flat_norm(w, lam):
    """The vector 1-norm of the flattened array."""
    return float(lam * np.linalg.norm(np.ravel(np.asarray(w, dtype=float)), 1))


def l1_penalty__right_python_sum(w, lam):
    """Plain Python over the entries."""
    return lam * sum(abs(float(x)) for x in np.ravel(w))


# --- l1_subgrad ---------------------------------------------------------------


def l1_subgrad__wrong_divide_by_abs(w, lam):
    """w / |w| is NaN at 0."""
    w = np.asarray(w, dtype=float)
    return lam * w / np.abs(w)


def l1_subgrad__wrong_l2_gradient(w, lam):
    """The L2 gradient, proportional to w."""
    return 2 * lam * np.asarray(w, dtype=float)


def l1_subgrad__wrong_nonnegative_at_zero(w, lam):
    """Treats 0 as positive."""
    return np.where(np.asarray(w) >= 0, lam, -lam).astype(float)


def l1_subgrad__wrong_in_place(w, lam):
    """Writes the result into the caller's array."""
    w = np.asarray(w, dtype=float)
    np.sign(w, out=w)
    w *= lam
    return w


def l1_subgrad__wrong_two_lam(w, lam):
    """Carries the 2 over from the L2 gradient."""
    return 2 * lam * np.sign(np.asarray(w, dtype=float))


def l1_subgrad__right_where(w, lam):
    """Three cases, written out."""
    w = np.asarray(w, dtype=float)
    return np.where(w > 0, lam, np.where(w < 0, -lam, 0.0))


def l1_subgrad__right_comparisons(w, lam):
    """Booleans as numbers: (w > 0) - (w < 0) is the sign."""
    w = np.asarray(w, dtype=float)
    return lam * ((w > 0).astype(float) - (w < 0).astype(float))


# --- soft_threshold -----------------------------------------------------------


def soft_threshold__wrong_positive_only(w, t):
    """max(w - t, 0) zeroes every negative entry."""
    return np.maximum(np.asarray(w, dtype=float) - t, 0.0)


def soft_threshold__wrong_no_clipping(w, t):
    """Moves every entry by t, even across zero."""
    w = np.asarray(w, dtype=float)
    return w - t * np.sign(w)


def soft_threshold__wrong_hard_threshold(w, t):
    """Zeroes small entries but does not shrink the others."""
    w = np.asarray(w, dtype=float)
    return np.where(np.abs(w) > t, w, 0.0)


def soft_threshold__wrong_drops_sign(w, t):
    """Shrinks |w| and forgets to put the sign back."""
    return np.maximum(np.abs(np.asarray(w, dtype=float)) - t, 0.0)


def soft_threshold__wrong_in_place(w, t):
    """Shrinks the caller's array."""
    w = np.asarray(w, dtype=float)
    w[np.abs(w) <= t] = 0.0
    w -= t * np.sign(w)
    return w


def soft_threshold__right_clip(w, t):
    """Subtract the part of w that lies inside [-t, t]."""
    w = np.asarray(w, dtype=float)
    return w - np.clip(w, -t, t)


def soft_threshold__right_where(w, t):
    """Three cases, written out."""
    w = np.asarray(w, dtype=float)
    return np.where(w > t, w - t, np.where(w < -t, w + t, 0.0))


# --- proximal_l1_step ---------------------------------------------------------


def proximal_l1_step__wrong_threshold_lam(w, grad, lr, lam):
    """Thresholds at lam instead of lr * lam."""
    z = np.asarray(w, dtype=float) - lr * np.asarray(grad, dtype=float)
    return np.sign(z) * np.maximum(np.abs(z) - lam, 0.0)


def proximal_l1_step__wrong_threshold_first(w, grad, lr, lam):
    """Soft-thresholds w, then takes the gradient step."""
    w = np.asarray(w, dtype=float)
    shrunk = np.sign(w) * np.maximum(np.abs(w) - lr * lam, 0.0)
    return shrunk - lr * np.asarray(grad, dtype=float)


def proximal_l1_step__wrong_subgradient_step(w, grad, lr, lam):
    """A subgradient step: never exactly zero."""
    w = np.asarray(w, dtype=float)
    return w - lr * (np.asarray(grad, dtype=float) + lam * np.sign(w))


def proximal_l1_step__wrong_gradient_sign(w, grad, lr, lam):
    """Climbs the gradient."""
    z = np.asarray(w, dtype=float) + lr * np.asarray(grad, dtype=float)
    return np.sign(z) * np.maximum(np.abs(z) - lr * lam, 0.0)


def proximal_l1_step__right_clip(w, grad, lr, lam):
    """Gradient step, then remove the part inside [-lr lam, lr lam]."""
    z = np.asarray(w, dtype=float) - lr * np.asarray(grad, dtype=float)
    return z - np.clip(z, -lr * lam, lr * lam)


def proximal_l1_step__right_where(w, grad, lr, lam):
    """Gradient step, then the three cases of soft thresholding."""
    z = np.asarray(w, dtype=float) - lr * np.asarray(grad, dtype=float)
    t = lr * lam
    return np.where(z > t, z - t, np.where(z < -t, z + t, 0.0))


# --- elastic_net_penalty ------------------------------------------------------


def elastic_net_penalty__wrong_swapped(w, lam1, lam2):
    """lam1 on the squares, lam2 on the absolute values."""
    w = np.asarray(w, dtype=float)
    return float(lam2 * np.sum(np.abs(w)) + lam1 * np.sum(w**2))


def elastic_net_penalty__wrong_half_l2(w, lam1, lam2):
    """The 1/2 that some libraries put on the L2 part."""
    w = np.asarray(w, dtype=float)
    return float(lam1 * np.sum(np.abs(w)) + 0.5 * lam2 * np.sum(w**2))


def elastic_net_penalty__wrong_no_abs(w, lam1, lam2):
    """Forgets the absolute value in the L1 part."""
    w = np.asarray(w, dtype=float)
    return float(lam1 * np.sum(w) + lam2 * np.sum(w**2))


def elastic_net_penalty__wrong_norms(w, lam1, lam2):
    """Uses the L2 norm unsquared."""
    w = np.ravel(np.asarray(w, dtype=float))
    return float(lam1 * np.sum(np.abs(w)) + lam2 * np.linalg.norm(w))


def elastic_net_penalty__wrong_means(w, lam1, lam2):
    """Averages instead of summing."""
    w = np.asarray(w, dtype=float)
    if w.size == 0:
        return 0.0
    return float(lam1 * np.mean(np.abs(w)) + lam2 * np.mean(w**2))


def elastic_net_penalty__right_norms(w, lam1, lam2):
    """The vector 1-norm plus the squared 2-norm of the flattened array."""
    w = np.ravel(np.asarray(w, dtype=float))
    return float(lam1 * np.linalg.norm(w, 1) + lam2 * np.linalg.norm(w) ** 2)


def elastic_net_penalty__right_loop(w, lam1, lam2):
    """Entry by entry."""
    total = 0.0
    for x in np.ravel(w):
        x = float(x)
        total += lam1 * abs(x) + lam2 * x * x
    return total
