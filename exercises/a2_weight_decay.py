# Source of exercises/a2_weight_decay/a2_weight_decay.ipynb.
# Edit this file, then run `make exercises` (format: exercises/README.md).
# Solutions and hidden tests live here: never give this file to students.

# %% [markdown] locked="intro"
# # Assignment 2: weight decay, in SGD and in Adam
#
# Adding $\lambda \lVert \mathbf w \rVert^2$ to the loss changes every
# gradient step: before the data gradient moves the weights, the penalty
# shrinks them by a fixed factor. In this assignment you compute that factor,
# take the step, follow the decay over many steps, and then see why the same
# penalty behaves differently inside Adam.
#
# It practises the chapters {chapter:decay-factor} and {chapter:optimizers}.
#
# **Convention.** The penalty is $\lambda \lVert \mathbf w \rVert^2$ (no
# $\tfrac12$), so one gradient step with learning rate `lr` on
# $L(\mathbf w) + \lambda\lVert\mathbf w\rVert^2$ is
#
# $$
# \mathbf w \leftarrow \mathbf w - \mathrm{lr}\,\bigl(\nabla L + 2\lambda\mathbf w\bigr)
#   = (1 - 2\,\mathrm{lr}\,\lambda)\,\mathbf w - \mathrm{lr}\,\nabla L .
# $$
#
# Libraries count differently: PyTorch's `SGD(weight_decay=wd)` adds
# `wd * w` to the gradient, which is our $\lambda = \mathrm{wd}/2$, and its
# `AdamW(weight_decay=wd)` multiplies the weights by $1 - \mathrm{lr}\cdot
# \mathrm{wd}$, which is our $2\lambda = \mathrm{wd}$.
#
# **How to work.** Replace each `raise NotImplementedError()` with your code,
# run the cell, then the test cell under it. More tests run when your work is
# graded. Functions accept lists, integers and NumPy arrays, and never modify
# the arrays they are given. Before you hand in, restart the kernel and run
# all cells (or press *Validate*).
# The notebook needs only NumPy and Matplotlib, so it runs in any Jupyter,
# Colab included.

# %% locked="setup"
import math

import numpy as np
from numpy.typing import ArrayLike

# %% [markdown] locked="md_decay_factor"
# ## 1. The decay factor
#
# Write `decay_factor(lr, lam)`: the number that multiplies the weights in one
# step when the data gradient is zero.


# %% solution="decay_factor"
def decay_factor(lr: float, lam: float) -> float:
    """The factor that one SGD step on the course's penalty applies to ``w``.

    With learning rate ``lr``, strength ``lam`` and a zero data gradient.
    Returns a Python float.
    """
    ### BEGIN SOLUTION
    return float(1.0 - 2.0 * lr * lam)
    ### END SOLUTION


# %% test="test_decay_factor" points=1
"""Checks decay_factor on two cases you can work out by hand."""
got = decay_factor(0.01, 0.1)
assert np.isclose(got, 0.998), f"decay_factor(0.01, 0.1) should be 0.998, not {got}"
got = decay_factor(0.1, 0.0)
assert np.isclose(got, 1.0), f"no penalty, no decay: 1.0, not {got}"
### BEGIN HIDDEN TESTS
from l2course.checks import expect

rng = np.random.default_rng(2101)
with expect("decay_factor should return a single number."):
    assert np.ndim(decay_factor(0.1, 0.2)) == 0
with expect(
    "decay_factor should be below 1 when lr and lam are positive: weight decay "
    "shrinks the weights. Check the sign."
):
    assert decay_factor(0.05, 0.5) < 1
with expect(
    "decay_factor should be the factor itself, close to 1 for small lr * lam, "
    "not the amount 2 * lr * lam that is taken away."
):
    assert 0.9 < decay_factor(0.001, 0.5) < 1
with expect(
    "decay_factor should take away 2 * lr * lam (the gradient of lam * w**2 is "
    "2 * lam * w): check the factor 2."
):
    np.testing.assert_allclose(1 - decay_factor(0.1, 0.5), 0.1, rtol=1e-9)
with expect("With lam = 0 or lr = 0, decay_factor should be exactly 1."):
    assert decay_factor(0.3, 0.0) == 1
    assert decay_factor(0.0, 0.7) == 1
with expect(
    "decay_factor should be the factor that one gradient step on lam * w**2 "
    "applies to w: a step along the penalty's slope, found by finite "
    "differences, gives another factor on random lr and lam."
):
    for lr, lam in rng.uniform(0, 0.5, size=(10, 2)):
        w, h = 1.7, 1e-6
        slope = (lam * (w + h) ** 2 - lam * (w - h) ** 2) / (2 * h)
        np.testing.assert_allclose(
            decay_factor(lr, lam), (w - lr * slope) / w, rtol=1e-8, atol=1e-10
        )
with expect("decay_factor should accept integers and NumPy numbers."):
    np.testing.assert_allclose(decay_factor(1, 0), 1.0, rtol=1e-12)
    np.testing.assert_allclose(
        decay_factor(np.float32(0.25), np.float64(1.0)), 0.5, rtol=1e-7
    )
### END HIDDEN TESTS

# %% [markdown] locked="md_sgd_step"
# ## 2. One SGD step with weight decay
#
# Write `sgd_step(w, grad, lr, lam)`. `grad` is the gradient of the **data**
# loss only; your step adds the penalty's part. Shrink the weights you were
# given, then take the data-gradient step, as in the formula above. Return a
# new array.


# %% solution="sgd_step"
def sgd_step(w: ArrayLike, grad: ArrayLike, lr: float, lam: float) -> np.ndarray:
    """One SGD step on the data loss plus the course's penalty.

    ``grad`` is the data loss's gradient at ``w``, shaped like ``w``. Returns a
    new float array shaped like ``w``; ``w`` and ``grad`` are not modified.
    """
    ### BEGIN SOLUTION
    w = np.asarray(w, dtype=float)
    grad = np.asarray(grad, dtype=float)
    return w * (1.0 - 2.0 * lr * lam) - lr * grad
    ### END SOLUTION


# %% test="test_sgd_step" points=2
"""Checks sgd_step: decay the old weights, then step against the data gradient."""
got = sgd_step([1.0, -2.0], [0.5, 0.5], 0.1, 0.5)
assert np.allclose(got, [0.85, -1.85]), (
    f"[1, -2] * (1 - 2 * 0.1 * 0.5) - 0.1 * [0.5, 0.5] = [0.85, -1.85], not {got}"
)
got = sgd_step([2.0], [0.0], 0.25, 1.0)
assert np.allclose(got, [1.0]), f"factor 0.5 and no gradient: [1.0], not {got}"
w, grad = np.array([1.0, -2.0]), np.array([0.5, 0.5])
w_before, grad_before = w.copy(), grad.copy()
sgd_step(w, grad, 0.1, 0.5)
assert np.array_equal(w, w_before) and np.array_equal(grad, grad_before), (
    f"sgd_step must not modify w or grad (no w -= ...): they became {w} and {grad}"
)
### BEGIN HIDDEN TESTS
from l2course.checks import expect

rng = np.random.default_rng(2102)
with expect(
    "sgd_step must not modify w or grad: build a new array instead of updating "
    "w in place (no w -= ... or w *= ... on the caller's array)."
):
    w, grad = rng.normal(size=(2, 3, 4))
    w_before, grad_before = w.copy(), grad.copy()
    sgd_step(w, grad, 0.1, 0.3)
    np.testing.assert_array_equal(w, w_before)
    np.testing.assert_array_equal(grad, grad_before)
with expect("sgd_step should return an array shaped like w (here 3 x 4)."):
    w, grad = rng.normal(size=(2, 3, 4))
    assert np.shape(sgd_step(w, grad, 0.1, 0.3)) == (3, 4)
with expect(
    "With lam = 0, sgd_step should be a plain gradient step w - lr * grad: "
    "check that you move against the gradient, scaled by lr."
):
    w, grad = rng.normal(size=(2, 6))
    np.testing.assert_allclose(
        sgd_step(w, grad, 0.2, 0.0), w - 0.2 * grad, rtol=1e-12, atol=1e-14
    )
with expect(
    "With a zero gradient, sgd_step should only shrink w, by the factor "
    "1 - 2 * lr * lam."
):
    w = rng.normal(size=6)
    np.testing.assert_allclose(
        sgd_step(w, np.zeros(6), 0.1, 0.5), 0.9 * w, rtol=1e-12, atol=1e-14
    )
with expect(
    "sgd_step should decay the weights it was given and then subtract "
    "lr * grad: w * (1 - 2 lr lam) - lr * grad, which is a gradient step on "
    "the loss plus lam * ||w||^2. Decaying w - lr * grad afterwards shrinks "
    "the gradient step too."
):
    w, grad = rng.normal(size=(2, 5))
    lr, lam = 0.3, 0.5
    expected = w - lr * (grad + 2 * lam * w)
    np.testing.assert_allclose(
        sgd_step(w, grad, lr, lam), expected, rtol=1e-12, atol=1e-14
    )
for shape in [(7,), (2, 3), (2, 2, 2)]:
    for dtype, rtol in [(np.float64, 1e-12), (np.float32, 1e-6)]:
        with expect(
            f"sgd_step should give w * (1 - 2 lr lam) - lr * grad on {dtype.__name__} "
            f"arrays of shape {shape}."
        ):
            w = rng.normal(size=shape).astype(dtype)
            grad = rng.normal(size=shape).astype(dtype)
            lr, lam = rng.uniform(0.01, 0.4, size=2)
            expected = w.astype(float) * (1 - 2 * lr * lam) - lr * grad.astype(float)
            np.testing.assert_allclose(
                sgd_step(w, grad, lr, lam),
                expected,
                rtol=rtol,
                atol=1e-6 if rtol > 1e-9 else 1e-14,
            )
with expect("sgd_step should accept lists of integers."):
    np.testing.assert_allclose(
        sgd_step([1, 2], [0, 0], 0.25, 1), [0.5, 1.0], rtol=1e-12
    )
with expect("sgd_step should accept single numbers for w and grad."):
    np.testing.assert_allclose(
        sgd_step(2.0, 1.0, 0.5, 0.25), 2.0 * 0.75 - 0.5, rtol=1e-12
    )
### END HIDDEN TESTS

# %% [markdown] locked="md_decayed_weights"
# ## 3. Many steps of decay
#
# With a zero data gradient, every step multiplies the weights by the same
# factor. Write `decayed_weights(w0, lr, lam, steps)`: the weights after
# `steps` such steps, starting from `w0`. `steps = 0` leaves `w0` as it is.


# %% solution="decayed_weights"
def decayed_weights(w0: ArrayLike, lr: float, lam: float, steps: int) -> np.ndarray:
    """The weights after ``steps`` SGD steps with zero data gradient, from ``w0``.

    Returns a new float array shaped like ``w0``; ``w0`` is not modified.
    """
    ### BEGIN SOLUTION
    return np.asarray(w0, dtype=float) * (1.0 - 2.0 * lr * lam) ** steps
    ### END SOLUTION


# %% test="test_decayed_weights" points=2
"""Checks decayed_weights: w0 times the decay factor once per step."""
got = decayed_weights([1.0, -2.0], 0.1, 0.5, 2)
assert np.allclose(got, [0.81, -1.62]), (
    f"two steps with factor 0.9 give 0.81 * w0 = [0.81, -1.62], not {got}"
)
got = decayed_weights([3.0], 0.1, 0.5, 0)
assert np.allclose(got, [3.0]), f"0 steps leave w0 = [3.0] as it is, not {got}"
w0 = np.array([1.0, -2.0])
before = w0.copy()
decayed_weights(w0, 0.1, 0.5, 3)
assert np.array_equal(w0, before), (
    f"decayed_weights must not modify w0 (no w0 *= ...): [1, -2] became {w0}"
)
### BEGIN HIDDEN TESTS
from l2course.checks import expect

rng = np.random.default_rng(2103)
with expect(
    "decayed_weights must not modify w0: multiply a copy, not the caller's "
    "array (no w0 *= ... in the loop)."
):
    w0 = rng.normal(size=(2, 3))
    before = w0.copy()
    decayed_weights(w0, 0.1, 0.5, 5)
    np.testing.assert_array_equal(w0, before)
with expect("decayed_weights should return an array shaped like w0 (here 2 x 3)."):
    assert np.shape(decayed_weights(rng.normal(size=(2, 3)), 0.1, 0.5, 4)) == (2, 3)
with expect(
    "decayed_weights after exactly one step should be w0 * (1 - 2 lr lam): "
    "check the number of times the factor is applied."
):
    w0 = rng.normal(size=4)
    np.testing.assert_allclose(decayed_weights(w0, 0.1, 0.5, 1), 0.9 * w0, rtol=1e-12)
with expect("With steps = 0, decayed_weights should return w0 unchanged."):
    w0 = rng.normal(size=4)
    np.testing.assert_allclose(decayed_weights(w0, 0.1, 0.5, 0), w0, rtol=1e-12)
with expect(
    "With lam = 0, decayed_weights should return w0 unchanged, however many steps."
):
    w0 = rng.normal(size=4)
    np.testing.assert_allclose(decayed_weights(w0, 0.1, 0.0, 50), w0, rtol=1e-12)
with expect(
    "decayed_weights should apply the factor (1 - 2 lr lam) once per step: "
    "w0 * (1 - 2 lr lam) ** steps. exp(-2 lr lam steps) is only close to it, "
    "and a missing 2 halves the decay."
):
    w0 = rng.normal(size=5)
    for lr, lam, steps in [(0.1, 0.5, 7), (0.01, 0.3, 200), (0.05, 1.0, 37)]:
        np.testing.assert_allclose(
            decayed_weights(w0, lr, lam, steps),
            w0 * (1 - 2 * lr * lam) ** steps,
            rtol=1e-9,
        )
with expect(
    "decayed_weights should also follow the factor when it is negative "
    "(2 lr lam > 1): the weights then flip sign at every step."
):
    w0 = rng.normal(size=3)
    np.testing.assert_allclose(
        decayed_weights(w0, 1.0, 0.75, 3), -0.125 * w0, rtol=1e-12
    )
with expect("decayed_weights should accept lists of integers and float32 arrays."):
    np.testing.assert_allclose(
        decayed_weights([4, -8], 0.25, 1, 2), [1.0, -2.0], rtol=1e-12
    )
    w0 = rng.normal(size=6).astype(np.float32)
    np.testing.assert_allclose(
        decayed_weights(w0, 0.02, 0.5, 30), w0.astype(float) * 0.98**30, rtol=1e-5
    )
with expect("decayed_weights should accept a single number as w0."):
    np.testing.assert_allclose(decayed_weights(2.0, 0.25, 1.0, 3), 0.25, rtol=1e-12)
### END HIDDEN TESTS

# %% [markdown] locked="md_steps_to_shrink"
# ## 4. How long until the weights have shrunk?
#
# Write `steps_to_shrink(lr, lam, fraction)`: the fewest steps, with zero data
# gradient, after which $|w| \le \text{fraction}\cdot|w_0|$. "At most" counts:
# if the weights reach exactly that fraction after $n$ steps, the answer is
# $n$. Return an `int`.
#
# The question only makes sense when each step shrinks the weights without
# flipping their sign, $0 < 2\,\mathrm{lr}\,\lambda \le 1$, and when the
# target is a real shrinkage, $0 < \text{fraction} < 1$. Otherwise raise a
# `ValueError` that says which condition failed. At $2\,\mathrm{lr}\,\lambda
# = 1$ the factor is 0: one step sets the weights to exactly zero, so the
# answer is 1 whatever the fraction.


# %% solution="steps_to_shrink"
def steps_to_shrink(lr: float, lam: float, fraction: float) -> int:
    """Fewest zero-gradient steps after which abs(w) is at most fraction times abs(w0).

    Returns an int. Raises ValueError unless each step shrinks the weights
    without flipping their sign (the decay factor lies in [0, 1)) and
    0 < fraction < 1.
    """
    ### BEGIN SOLUTION
    if not 0 < 2 * lr * lam <= 1:
        raise ValueError(f"need 0 < 2 * lr * lam <= 1, got {2 * lr * lam}")
    if not 0 < fraction < 1:
        raise ValueError(f"need 0 < fraction < 1, got {fraction}")
    factor = 1 - 2 * lr * lam
    if factor == 0:
        return 1  # one step lands on zero, below any positive fraction
    return math.ceil(math.log(fraction) / math.log(factor))
    ### END SOLUTION


# %% test="test_steps_to_shrink" points=2
"""Checks steps_to_shrink: the fewest steps, as an int, and its ValueErrors."""
got = steps_to_shrink(0.01, 0.1, 0.5)
assert got == 347, f"0.998**346 > 0.5 >= 0.998**347: 347 steps, not {got}"
got = steps_to_shrink(0.25, 1.0, 0.25)
assert got == 2, f"factor 0.5 reaches exactly 0.25 after 2 steps: 2, not {got}"
got = steps_to_shrink(0.5, 1.0, 0.5)
assert got == 1, f"2 * lr * lam = 1: one step sets w to 0, so 1, not {got}"
try:
    got = steps_to_shrink(1.0, 1.0, 0.5)
except ValueError:
    pass
else:
    raise AssertionError(f"2 * lr * lam > 1 should raise ValueError, not return {got}")
### BEGIN HIDDEN TESTS
from l2course.checks import expect, expect_raises

with expect(
    "steps_to_shrink should return an int (a whole number of steps), not a "
    "float: math.ceil returns an int, np.ceil does not."
):
    assert isinstance(steps_to_shrink(0.05, 0.3, 0.1), int | np.integer)
with expect(
    "steps_to_shrink should count a target reached exactly: with factor 0.5, "
    "|w| is exactly 0.125 |w0| after 3 steps, so steps_to_shrink(0.25, 1.0, "
    "0.125) is 3."
):
    assert steps_to_shrink(0.25, 1.0, 0.125) == 3
    assert steps_to_shrink(0.375, 1.0, 0.0625) == 2
cases = [
    (0.05, 0.3, 0.1),
    (0.001, 2.0, 0.5),
    (0.1, 0.2, 0.01),
    (0.3, 1.5, 0.2),
    (0.2, 1.0, 0.7),
    (0.02, 0.75, 0.05),
    (0.004, 0.5, 0.9),
]
for lr, lam, fraction in cases:
    factor = 1 - 2 * lr * lam
    with expect(
        f"steps_to_shrink({lr}, {lam}, {fraction}) should be the FEWEST steps n "
        f"with (1 - 2 lr lam)**n <= fraction: after n steps the weights must be "
        f"small enough, after n - 1 they must not be yet. Check for an "
        f"off-by-one (floor or round instead of ceil) and the factor 2."
    ):
        n = int(steps_to_shrink(lr, lam, fraction))
        assert factor**n <= fraction * (1 + 1e-12)
        assert factor ** (n - 1) > fraction * (1 - 1e-12)
with expect(
    "steps_to_shrink should accept 2 * lr * lam = 1: the factor is 0, one step "
    "sets the weights to exactly 0, so the answer is 1 for any fraction."
):
    for lr, lam, fraction in [(0.5, 1.0, 0.5), (0.25, 2.0, 0.01), (1.0, 0.5, 0.99)]:
        assert steps_to_shrink(lr, lam, fraction) == 1
invalid = [
    ((1.0, 1.0, 0.5), "2 * lr * lam > 1 (the weights flip sign)"),
    ((0.1, 0.0, 0.5), "lam = 0 (the weights never shrink)"),
    ((-0.1, 1.0, 0.5), "a negative lr"),
    ((0.1, 0.5, 0.0), "fraction = 0"),
    ((0.1, 0.5, 1.0), "fraction = 1"),
    ((0.1, 0.5, 1.5), "fraction > 1"),
    ((0.1, 0.5, -0.2), "a negative fraction"),
]
for args, why in invalid:
    with expect_raises(
        ValueError, f"steps_to_shrink should raise ValueError for {why}."
    ):
        steps_to_shrink(*args)
### END HIDDEN TESTS

# %% [markdown] locked="md_adam_step"
# ## 5. Weight decay inside Adam
#
# Adam divides each coordinate's step by a running estimate of the size of
# its gradient. That changes what a penalty in the loss does. Write
# `adam_step(w, grad, m, v, t, lr, lam, decoupled, beta1=0.9, beta2=0.999,
# eps=1e-8)`, one step of Adam at step number `t` (1 for the first step), with
# `m` and `v` the moment estimates from the previous step (zeros before the
# first). With $\mathbf g$ the gradient Adam sees:
#
# $$
# \mathbf m \leftarrow \beta_1 \mathbf m + (1-\beta_1)\,\mathbf g, \quad
# \mathbf v \leftarrow \beta_2 \mathbf v + (1-\beta_2)\,\mathbf g^2, \quad
# \hat{\mathbf m} = \frac{\mathbf m}{1-\beta_1^t}, \quad
# \hat{\mathbf v} = \frac{\mathbf v}{1-\beta_2^t}, \quad
# \mathbf s = \mathrm{lr}\,\frac{\hat{\mathbf m}}{\sqrt{\hat{\mathbf v}} + \varepsilon}.
# $$
#
# - `decoupled=False` (L2 in the loss): $\mathbf g$ = `grad` $+ 2\lambda\mathbf
#   w$, and the new weights are $\mathbf w - \mathbf s$.
# - `decoupled=True` (AdamW, Loshchilov & Hutter 2019): $\mathbf g$ = `grad`
#   alone, and the new weights are $(1 - 2\,\mathrm{lr}\,\lambda)\,\mathbf w -
#   \mathbf s$: the decay multiplies the weights you were given, as in
#   `sgd_step`, and never passes through $\mathbf m$ or $\mathbf v$.
#
# Return the tuple `(w, m, v)` of new arrays.


# %% solution="adam_step"
def adam_step(
    w: ArrayLike,
    grad: ArrayLike,
    m: ArrayLike,
    v: ArrayLike,
    t: int,
    lr: float,
    lam: float,
    decoupled: bool,
    beta1: float = 0.9,
    beta2: float = 0.999,
    eps: float = 1e-8,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """One bias-corrected Adam step with the course's penalty, at step t >= 1.

    decoupled=False puts the penalty in the loss; decoupled=True decays the
    weights outside Adam, AdamW-style (section 5 above). Returns new float
    arrays (w, m, v), each shaped like ``w``; no argument is modified.
    """
    ### BEGIN SOLUTION
    w = np.asarray(w, dtype=float)
    grad = np.asarray(grad, dtype=float)
    if not decoupled:
        grad = grad + 2.0 * lam * w  # the penalty's gradient joins the data's
    m = beta1 * np.asarray(m, dtype=float) + (1.0 - beta1) * grad
    v = beta2 * np.asarray(v, dtype=float) + (1.0 - beta2) * grad**2
    m_hat = m / (1.0 - beta1**t)
    v_hat = v / (1.0 - beta2**t)
    step = lr * m_hat / (np.sqrt(v_hat) + eps)
    if decoupled:
        return (1.0 - 2.0 * lr * lam) * w - step, m, v
    return w - step, m, v
    ### END SOLUTION


# %% test="test_adam_step" points=3
"""Checks adam_step: bias correction, L2 in the loss, and decoupled decay."""
w, m, v = adam_step(
    np.array([1.0]),
    np.array([0.5]),
    np.zeros(1),
    np.zeros(1),
    t=1,
    lr=0.1,
    lam=0.0,
    decoupled=False,
)
assert np.allclose(m, [0.05]) and np.allclose(v, [0.00025]), (
    f"m = 0.1 g = [0.05] and v = 0.001 g**2 = [0.00025], not {m} and {v}"
)
assert np.allclose(w, [0.9]), (
    f"at t = 1 the bias-corrected step is lr * g / |g| = 0.1: w = [0.9], not {w}"
)
w, m, v = adam_step(
    np.array([2.0]),
    np.array([0.0]),
    np.zeros(1),
    np.zeros(1),
    t=1,
    lr=0.1,
    lam=0.25,
    decoupled=True,
)
assert np.allclose(w, [1.9]), (
    f"no gradient: decoupled decay alone, 2 * (1 - 2 * 0.1 * 0.25) = [1.9], not {w}"
)
args = [np.array([1.0, -1.0]), np.array([0.5, 0.5]), np.full(2, 0.1), np.full(2, 0.2)]
before = [a.copy() for a in args]
adam_step(*args, t=2, lr=0.1, lam=0.5, decoupled=False)
assert all(np.array_equal(a, b) for a, b in zip(args, before, strict=True)), (
    f"adam_step must not modify w, grad, m or v: they became {args}"
)
### BEGIN HIDDEN TESTS
from l2course.checks import expect


def _adam_by_the_book(
    w, grad, m, v, t, lr, lam, decoupled, beta1=0.9, beta2=0.999, eps=1e-8
):
    g = grad if decoupled else grad + 2 * lam * w
    m = beta1 * m + (1 - beta1) * g
    v = beta2 * v + (1 - beta2) * g * g
    s = lr * (m / (1 - beta1**t)) / (np.sqrt(v / (1 - beta2**t)) + eps)
    return ((1 - 2 * lr * lam) * w if decoupled else w) - s, m, v


rng = np.random.default_rng(2104)
with expect(
    "adam_step must not modify w, grad, m or v: compute new arrays (no m *= "
    "beta1 or w -= ... on the arrays you were given)."
):
    arrays = [rng.normal(size=4) for _ in range(3)] + [rng.uniform(0.1, 1, size=4)]
    copies = [a.copy() for a in arrays]
    adam_step(*arrays, 3, 0.01, 0.2, False)
    adam_step(*arrays, 3, 0.01, 0.2, True)
    for a, copy in zip(arrays, copies, strict=True):
        np.testing.assert_array_equal(a, copy)
with expect("adam_step should return a tuple (w, m, v) of arrays shaped like w."):
    out = adam_step(*rng.normal(size=(3, 2, 3)), np.ones((2, 3)), 2, 0.01, 0.1, True)
    assert len(out) == 3
    assert all(np.shape(a) == (2, 3) for a in out)
with expect(
    "adam_step should correct the bias of m and v: at t = 1 from m = v = 0, "
    "m / (1 - beta1**t) is g and v / (1 - beta2**t) is g**2, so each weight "
    "moves by almost exactly lr. Divide by 1 - beta1**t and 1 - beta2**t, "
    "with the step number t."
):
    w = rng.normal(size=6)
    grad = rng.choice([-1.0, 1.0], size=6) * rng.uniform(0.5, 2.0, size=6)
    new_w, _, _ = adam_step(w, grad, np.zeros(6), np.zeros(6), 1, 0.01, 0.0, False)
    np.testing.assert_allclose(np.abs(new_w - w), 0.01, rtol=1e-6)
with expect(
    "adam_step should update m and v from the gradient Adam sees: "
    "m = beta1 m + (1 - beta1) g and v = beta2 v + (1 - beta2) g**2."
):
    w, grad, m = rng.normal(size=(3, 5))
    v = rng.uniform(0.1, 1.0, size=5)
    _, new_m, new_v = adam_step(w, grad, m, v, 4, 0.01, 0.0, False)
    np.testing.assert_allclose(new_m, 0.9 * m + 0.1 * grad, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(new_v, 0.999 * v + 0.001 * grad**2, rtol=1e-10)
with expect(
    "With lam = 0, adam_step should give the same result for decoupled=True "
    "and decoupled=False."
):
    w, grad, m = rng.normal(size=(3, 5))
    v = rng.uniform(0.1, 1.0, size=5)
    for a, b in zip(
        adam_step(w, grad, m, v, 5, 0.01, 0.0, True),
        adam_step(w, grad, m, v, 5, 0.01, 0.0, False),
        strict=True,
    ):
        np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-15)
with expect(
    "With decoupled=False, adam_step should add 2 * lam * w to grad before "
    "updating m and v (L2 in the loss): check the factor 2, and that m and v "
    "see the penalty's gradient."
):
    w, grad, m = rng.normal(size=(3, 5))
    v = rng.uniform(0.1, 1.0, size=5)
    _, new_m, new_v = adam_step(w, grad, m, v, 3, 0.01, 0.4, False)
    g = grad + 0.8 * w
    np.testing.assert_allclose(new_m, 0.9 * m + 0.1 * g, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(new_v, 0.999 * v + 0.001 * g**2, rtol=1e-10)
with expect(
    "With decoupled=True, adam_step should build m and v from grad alone: the decay "
    "is applied to the weights directly and never enters Adam's moments."
):
    w, grad, m = rng.normal(size=(3, 5))
    v = rng.uniform(0.1, 1.0, size=5)
    _, new_m, new_v = adam_step(w, grad, m, v, 3, 0.01, 0.4, True)
    np.testing.assert_allclose(new_m, 0.9 * m + 0.1 * grad, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(new_v, 0.999 * v + 0.001 * grad**2, rtol=1e-10)
with expect(
    "With decoupled=True and a zero gradient (m = v = 0), adam_step should "
    "only shrink w by the factor 1 - 2 * lr * lam."
):
    w = rng.normal(size=5)
    new_w, _, _ = adam_step(w, np.zeros(5), np.zeros(5), np.zeros(5), 1, 0.1, 0.5, True)
    np.testing.assert_allclose(new_w, 0.9 * w, rtol=1e-12)
with expect(
    "With decoupled=True, adam_step should multiply the weights it was given "
    "by 1 - 2 lr lam and subtract the Adam step: (1 - 2 lr lam) w - step, as "
    "in AdamW. Multiplying w - step afterwards shrinks the step too."
):
    w, grad, m = rng.normal(size=(3, 6))
    v = rng.uniform(0.1, 1.0, size=6)
    args = (w, grad, m, v, 2, 0.1, 0.5, True)
    np.testing.assert_allclose(
        adam_step(*args)[0], _adam_by_the_book(*args)[0], rtol=1e-9, atol=1e-12
    )
with expect(
    "adam_step should use the beta1, beta2 and eps it is given, not fixed values."
):
    w, grad, m = rng.normal(size=(3, 4))
    v = rng.uniform(0.1, 1.0, size=4)
    for decoupled in (False, True):
        args = (w, grad, m, v, 3, 0.05, 0.3, decoupled)
        extras = dict(beta1=0.7, beta2=0.95, eps=0.1)
        for a, b in zip(
            adam_step(*args, **extras), _adam_by_the_book(*args, **extras), strict=True
        ):
            np.testing.assert_allclose(a, b, rtol=1e-9, atol=1e-12)
for decoupled in (False, True):
    for shape, dtype, rtol in [
        ((5,), np.float64, 1e-9),
        ((2, 3), np.float64, 1e-9),
        ((4,), np.float32, 1e-4),
    ]:
        with expect(
            f"adam_step with decoupled={decoupled} should follow Adam step by "
            f"step: over 6 steps from zero moments on {dtype.__name__} arrays of "
            f"shape {shape}, your weights drift away from the update rule above."
        ):
            w = rng.normal(size=shape)
            mine = (w.astype(dtype), np.zeros(shape), np.zeros(shape))
            book = (w, np.zeros(shape), np.zeros(shape))
            for t in range(1, 7):
                grad = rng.normal(size=shape)
                mine = adam_step(
                    mine[0],
                    grad.astype(dtype),
                    mine[1],
                    mine[2],
                    t,
                    0.05,
                    0.3,
                    decoupled,
                )
                book = _adam_by_the_book(
                    book[0], grad, book[1], book[2], t, 0.05, 0.3, decoupled
                )
            for a, b in zip(mine, book, strict=True):
                np.testing.assert_allclose(
                    np.asarray(a, dtype=float),
                    b,
                    rtol=rtol,
                    atol=1e-6 if dtype is np.float32 else 1e-12,
                )
with expect("adam_step should accept plain lists."):
    new_w, new_m, new_v = adam_step(
        [1.0, -1.0], [0.5, 0.5], [0, 0], [0, 0], 1, 0.1, 0.0, False
    )
    np.testing.assert_allclose(new_w, [0.9, -1.1], rtol=1e-6)
### END HIDDEN TESTS

# %% [markdown] locked="md_plot"
# ## Your functions at work
#
# The cell below uses only your functions. On the left, a weight decays from
# 1 under three settings of $\lambda$, by your `decayed_weights`; the dotted
# lines mark your `steps_to_shrink(..., 0.5)`, where each curve should cross
# one half.
#
# On the right, the same weight under Adam with **no** data gradient at all,
# by your `adam_step`, for $\lambda = 0.5$ and for a ten times stronger
# $\lambda = 5$. With the penalty in the loss, Adam divides the penalty's
# gradient by its own running size, so $\lambda$ cancels out: the dashed and
# dash-dotted curves coincide, and a tenfold penalty changes nothing. With
# decoupled decay the weight shrinks by the factor $1 - 2\,\mathrm{lr}\,
# \lambda$ per step, exactly like your `decayed_weights` (the dotted line
# should lie on the solid one), so $\lambda$ keeps its meaning. That
# difference is why AdamW exists.

# %% locked="plot"
import matplotlib.pyplot as plt

lr = 0.01
steps = np.arange(301)
curves, halves = {}, {}
for lam in (0.5, 1.0, 2.0):
    label = f"λ = {lam:g}"
    curves[label] = [float(decayed_weights(1.0, lr, lam, s)) for s in steps]
    halves[label] = steps_to_shrink(lr, lam, 0.5)


def adam_path(lam, decoupled):
    w, m, v = np.ones(1), np.zeros(1), np.zeros(1)
    path = [1.0]
    for t in steps[1:]:
        w, m, v = adam_step(w, np.zeros(1), m, v, t, lr, lam, decoupled)
        path.append(float(w[0]))
    return path


adam_paths = {
    "decoupled (AdamW), λ = 0.5": adam_path(0.5, True),
    "L2 in the loss, λ = 0.5": adam_path(0.5, False),
    "L2 in the loss, λ = 5": adam_path(5.0, False),
    "your decayed_weights, λ = 0.5": curves["λ = 0.5"],
    "decoupled (AdamW), λ = 5": adam_path(5.0, True),
}
colours = ["#1f77b4", "#d62728", "#9467bd", "#2ca02c", "#ff7f0e"]
styles = ["-", "--", "-.", ":"]
fig, (left, right) = plt.subplots(1, 2, figsize=(10, 3.8))
for ax, paths, title in [
    (left, curves, f"SGD weight decay, lr = {lr}"),
    (right, adam_paths, f"Adam, no data gradient, lr = {lr}"),
]:
    for k, (label, path) in enumerate(paths.items()):
        ax.plot(steps, path, color=colours[k], ls=styles[k % 4], lw=2, label=label)
        if ax is left:  # your steps_to_shrink: where the curve should cross 1/2
            ax.axvline(halves[label], color=colours[k], ls=":", lw=1.2)
    ax.axhline(0.0, color="#888888", lw=0.8)
    ax.set_xlabel("step")
    ax.set_ylabel("weight")
    ax.set_title(title)
    ax.legend(loc="upper right", fontsize=8)
fig.tight_layout()
plt.show()
