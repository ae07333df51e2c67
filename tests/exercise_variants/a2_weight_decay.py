"""Implementations of assignment 2 that a student might hand in.

Naming and use as in a1_l2_penalty.py: ``<contract name>__<wrong|right>_<what>``.
The notebook's set-up cell has imported math, and numpy as np.
"""

import math

import numpy as np

# --- decay_factor -------------------------------------------------------------


def decay_factor__wrong_missing_two(lr, lam):
    """Forgets the 2 from the penalty's gradient."""
    return float(1 - lr * lam)


def decay_factor__wrong_sign(lr, lam):
    """Adds the penalty's step instead of subtracting it."""
    return float(1 + 2 * lr * lam)


def decay_factor__wrong_amount(lr, lam):
    """Returns what is taken away rather than the factor."""
    return float(2 * lr * lam)


def decay_factor__wrong_exponential(lr, lam):
    """The continuous-time approximation of the factor."""
    return float(np.exp(-2 * lr * lam))


def decay_factor__right_rearranged(lr, lam):
    """The same number, computed in another order."""
    return float(1.0 - lr * lam * 2)


def decay_factor__right_numpy_scalar(lr, lam):
    """A NumPy float64 is a float too."""
    return np.subtract(1.0, np.multiply(2.0 * lr, lam))


# --- sgd_step -----------------------------------------------------------------


def sgd_step__wrong_decay_after_step(w, grad, lr, lam):
    """Takes the gradient step first and decays the result."""
    w = np.asarray(w, dtype=float)
    return (w - lr * np.asarray(grad, dtype=float)) * (1 - 2 * lr * lam)


def sgd_step__wrong_missing_two(w, grad, lr, lam):
    """Decays by 1 - lr * lam."""
    w = np.asarray(w, dtype=float)
    return w * (1 - lr * lam) - lr * np.asarray(grad, dtype=float)


def sgd_step__wrong_in_place(w, grad, lr, lam):
    """Updates the caller's array."""
    w = np.asarray(w, dtype=float)
    w *= 1 - 2 * lr * lam
    w -= lr * np.asarray(grad, dtype=float)
    return w


def sgd_step__wrong_gradient_sign(w, grad, lr, lam):
    """Climbs the gradient."""
    w = np.asarray(w, dtype=float)
    return w * (1 - 2 * lr * lam) + lr * np.asarray(grad, dtype=float)


def sgd_step__wrong_decay_without_lr(w, grad, lr, lam):
    """Shrinks by 1 - 2 lam, forgetting that the decay is a step of size lr too."""
    w = np.asarray(w, dtype=float)
    return w * (1 - 2 * lam) - lr * np.asarray(grad, dtype=float)


def sgd_step__right_penalized_gradient(w, grad, lr, lam):
    """A gradient step on the penalized loss, written as such."""
    w = np.asarray(w, dtype=float)
    return w - lr * (np.asarray(grad, dtype=float) + 2 * lam * w)


# --- decayed_weights ----------------------------------------------------------


def decayed_weights__wrong_one_step_too_many(w0, lr, lam, steps):
    """Counts the starting point as a step."""
    return np.asarray(w0, dtype=float) * (1 - 2 * lr * lam) ** (steps + 1)


def decayed_weights__wrong_exponential(w0, lr, lam, steps):
    """Continuous decay instead of repeated multiplication."""
    return np.asarray(w0, dtype=float) * np.exp(-2 * lr * lam * steps)


def decayed_weights__wrong_in_place_loop(w0, lr, lam, steps):
    """Multiplies the caller's array step by step."""
    w = np.asarray(w0, dtype=float)
    for _ in range(steps):
        w *= 1 - 2 * lr * lam
    return w


def decayed_weights__wrong_missing_two(w0, lr, lam, steps):
    """Uses the factor 1 - lr * lam."""
    return np.asarray(w0, dtype=float) * (1 - lr * lam) ** steps


def decayed_weights__right_loop(w0, lr, lam, steps):
    """Step by step, on a copy."""
    w = np.array(w0, dtype=float)
    for _ in range(steps):
        w = w * (1 - 2 * lr * lam)
    return w


def decayed_weights__right_power(w0, lr, lam, steps):
    """np.power on the factor."""
    return np.multiply(np.asarray(w0, dtype=float), np.power(1 - 2 * lr * lam, steps))


# --- steps_to_shrink ----------------------------------------------------------


def steps_to_shrink__wrong_floor(lr, lam, fraction):
    """Rounds down, one step short."""
    if not 0 < 2 * lr * lam < 1 or not 0 < fraction < 1:
        raise ValueError("out of range")
    return math.floor(math.log(fraction) / math.log(1 - 2 * lr * lam))


def steps_to_shrink__wrong_float(lr, lam, fraction):
    """np.ceil returns a float."""
    if not 0 < 2 * lr * lam < 1 or not 0 < fraction < 1:
        raise ValueError("out of range")
    return np.ceil(np.log(fraction) / np.log(1 - 2 * lr * lam))


def steps_to_shrink__wrong_strict(lr, lam, fraction):
    """Keeps going while the weights are at the target, not only above it."""
    if not 0 < 2 * lr * lam < 1 or not 0 < fraction < 1:
        raise ValueError("out of range")
    size, steps = 1.0, 0
    while size >= fraction:
        size *= 1 - 2 * lr * lam
        steps += 1
    return steps


def steps_to_shrink__wrong_no_checks(lr, lam, fraction):
    """Never raises ValueError itself."""
    return math.ceil(math.log(fraction) / math.log(1 - 2 * lr * lam))


def steps_to_shrink__wrong_missing_two(lr, lam, fraction):
    """Uses the factor 1 - lr * lam."""
    if not 0 < 2 * lr * lam < 1 or not 0 < fraction < 1:
        raise ValueError("out of range")
    return math.ceil(math.log(fraction) / math.log(1 - lr * lam))


def steps_to_shrink__wrong_refuses_one_step(lr, lam, fraction):
    """Raises at 2 lr lam = 1, where one step lands on zero."""
    if not 0 < 2 * lr * lam < 1 or not 0 < fraction < 1:
        raise ValueError("out of range")
    return math.ceil(math.log(fraction) / math.log(1 - 2 * lr * lam))


def steps_to_shrink__right_loop(lr, lam, fraction):
    """Multiply until small enough."""
    if not 0 < 2 * lr * lam <= 1:
        raise ValueError("2 * lr * lam must lie in (0, 1]")
    if not 0 < fraction < 1:
        raise ValueError("fraction must lie strictly between 0 and 1")
    factor, size, steps = 1 - 2 * lr * lam, 1.0, 0
    while size > fraction:
        size *= factor
        steps += 1
    return steps


def steps_to_shrink__right_numpy_int(lr, lam, fraction):
    """A NumPy integer is a whole number too."""
    if not (0 < 2 * lr * lam <= 1 and 0 < fraction < 1):
        raise ValueError("need 0 < 2 lr lam <= 1 and 0 < fraction < 1")
    if 2 * lr * lam == 1:
        return np.int64(1)
    return np.ceil(np.log(fraction) / np.log1p(-2 * lr * lam)).astype(np.int64)


# --- adam_step ----------------------------------------------------------------


def adam_step__wrong_no_bias_correction(
    w, grad, m, v, t, lr, lam, decoupled, beta1=0.9, beta2=0.999, eps=1e-8
):
    """Uses m and v without dividing by 1 - beta**t."""
    w, grad = np.asarray(w, dtype=float), np.asarray(grad, dtype=float)
    g = grad if decoupled else grad + 2 * lam * w
    m = beta1 * np.asarray(m, dtype=float) + (1 - beta1) * g
    v = beta2 * np.asarray(v, dtype=float) + (1 - beta2) * g**2
    step = lr * m / (np.sqrt(v) + eps)
    return ((1 - 2 * lr * lam) * w if decoupled else w) - step, m, v


def adam_step__wrong_decay_after_step(
    w, grad, m, v, t, lr, lam, decoupled, beta1=0.9, beta2=0.999, eps=1e-8
):
    """Decoupled decay applied to the weights after the Adam step."""
    w, grad = np.asarray(w, dtype=float), np.asarray(grad, dtype=float)
    g = grad if decoupled else grad + 2 * lam * w
    m = beta1 * np.asarray(m, dtype=float) + (1 - beta1) * g
    v = beta2 * np.asarray(v, dtype=float) + (1 - beta2) * g**2
    step = lr * (m / (1 - beta1**t)) / (np.sqrt(v / (1 - beta2**t)) + eps)
    if decoupled:
        return (w - step) * (1 - 2 * lr * lam), m, v
    return w - step, m, v


def adam_step__wrong_l2_missing_two(
    w, grad, m, v, t, lr, lam, decoupled, beta1=0.9, beta2=0.999, eps=1e-8
):
    """Adds lam * w to the gradient, as with a 1/2 in the penalty."""
    w, grad = np.asarray(w, dtype=float), np.asarray(grad, dtype=float)
    g = grad if decoupled else grad + lam * w
    m = beta1 * np.asarray(m, dtype=float) + (1 - beta1) * g
    v = beta2 * np.asarray(v, dtype=float) + (1 - beta2) * g**2
    step = lr * (m / (1 - beta1**t)) / (np.sqrt(v / (1 - beta2**t)) + eps)
    return ((1 - 2 * lr * lam) * w if decoupled else w) - step, m, v


def adam_step__wrong_decay_twice(
    w, grad, m, v, t, lr, lam, decoupled, beta1=0.9, beta2=0.999, eps=1e-8
):
    """Decoupled mode still adds the L2 gradient to grad."""
    w, grad = np.asarray(w, dtype=float), np.asarray(grad, dtype=float)
    g = grad + 2 * lam * w
    m = beta1 * np.asarray(m, dtype=float) + (1 - beta1) * g
    v = beta2 * np.asarray(v, dtype=float) + (1 - beta2) * g**2
    step = lr * (m / (1 - beta1**t)) / (np.sqrt(v / (1 - beta2**t)) + eps)
    return ((1 - 2 * lr * lam) * w if decoupled else w) - step, m, v


def adam_step__wrong_in_place_moments(
    w, grad, m, v, t, lr, lam, decoupled, beta1=0.9, beta2=0.999, eps=1e-8
):
    """Updates the caller's m and v arrays in place."""
    w, grad = np.asarray(w, dtype=float), np.asarray(grad, dtype=float)
    g = grad if decoupled else grad + 2 * lam * w
    m = np.asarray(m, dtype=float)
    v = np.asarray(v, dtype=float)
    m *= beta1
    m += (1 - beta1) * g
    v *= beta2
    v += (1 - beta2) * g**2
    step = lr * (m / (1 - beta1**t)) / (np.sqrt(v / (1 - beta2**t)) + eps)
    return ((1 - 2 * lr * lam) * w if decoupled else w) - step, m, v


def adam_step__wrong_step_count_off_by_one(
    w, grad, m, v, t, lr, lam, decoupled, beta1=0.9, beta2=0.999, eps=1e-8
):
    """Corrects the bias with t + 1, as if t counted from 0."""
    w, grad = np.asarray(w, dtype=float), np.asarray(grad, dtype=float)
    g = grad if decoupled else grad + 2 * lam * w
    m = beta1 * np.asarray(m, dtype=float) + (1 - beta1) * g
    v = beta2 * np.asarray(v, dtype=float) + (1 - beta2) * g**2
    m_hat = m / (1 - beta1 ** (t + 1))
    v_hat = v / (1 - beta2 ** (t + 1))
    step = lr * m_hat / (np.sqrt(v_hat) + eps)
    return ((1 - 2 * lr * lam) * w if decoupled else w) - step, m, v


def adam_step__right_pytorch_form(
    w, grad, m, v, t, lr, lam, decoupled, beta1=0.9, beta2=0.999, eps=1e-8
):
    """PyTorch's algebra: corrections folded into step size and denominator."""
    w = np.array(w, dtype=float)
    grad = np.array(grad, dtype=float)
    if decoupled:
        w = w * (1 - 2 * lr * lam)
    else:
        grad = grad + 2 * lam * np.asarray(w)
    m = beta1 * np.asarray(m, dtype=float) + (1 - beta1) * grad
    v = beta2 * np.asarray(v, dtype=float) + (1 - beta2) * grad * grad
    step_size = lr / (1 - beta1**t)
    denominator = np.sqrt(v) / math.sqrt(1 - beta2**t) + eps
    return w - step_size * m / denominator, m, v


def adam_step__right_explicit_branches(
    w, grad, m, v, t, lr, lam, decoupled, beta1=0.9, beta2=0.999, eps=1e-8
):
    """Two separate branches, each written out in full."""
    w = np.asarray(w, dtype=float)
    grad = np.asarray(grad, dtype=float)
    m = np.asarray(m, dtype=float)
    v = np.asarray(v, dtype=float)
    if decoupled:
        new_m = beta1 * m + (1 - beta1) * grad
        new_v = beta2 * v + (1 - beta2) * np.square(grad)
        m_hat = new_m / (1 - beta1**t)
        v_hat = new_v / (1 - beta2**t)
        return w - 2 * lr * lam * w - lr * m_hat / (np.sqrt(v_hat) + eps), new_m, new_v
    total = grad + 2 * lam * w
    new_m = beta1 * m + (1 - beta1) * total
    new_v = beta2 * v + (1 - beta2) * np.square(total)
    m_hat = new_m / (1 - beta1**t)
    v_hat = new_v / (1 - beta2**t)
    return w - lr * m_hat / (np.sqrt(v_hat) + eps), new_m, new_v
