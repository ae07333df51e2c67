# Source of exercises/a3_l1_sparsity/a3_l1_sparsity.ipynb.
# Edit this file, then run `make exercises` (format: exercises/README.md).
# Solutions and hidden tests live here: never give this file to students.

# %% [markdown] locked="intro"
# # Assignment 3: L1, soft thresholding and sparse weights
#
# L2's push towards zero weakens as a weight gets small: its gradient
# $2\lambda w$ vanishes with $w$. As $\lambda$ grows, ridge regression shrinks
# the norm of the weights steadily, yet zeroes none of them: at a generic
# $\lambda$ no ridge weight is exactly zero, and none stays at zero over a
# range of $\lambda$ (a weight may cross zero as it changes sign, but only at
# a single $\lambda$). L1's push, $\lambda\,\mathrm{sign}(w)$, keeps the same
# strength all the way down. Used the right way, through the proximal step
# you write here, it sets many weights to exactly zero. In this assignment
# you write the L1 penalty,
# its subgradient, the soft-threshold operator, one proximal gradient step,
# and the elastic-net penalty that mixes L1 and L2.
#
# It practises the chapter {chapter:l1-sparsity}, and compares with
# {chapter:penalty} and {chapter:gradient}.
#
# **Convention.** The L1 penalty is $\lambda \lVert\mathbf w\rVert_1 = \lambda
# \sum_i |w_i|$ and the L2 penalty stays $\lambda \lVert\mathbf w\rVert^2$,
# with no $\tfrac12$ in either.
#
# **How to work.** Replace each `raise NotImplementedError()` with your code,
# run the cell, then the test cell under it. More tests run when your work is
# graded. Functions accept lists, integers and NumPy arrays of any shape, and
# never modify the arrays they are given. Before you hand in, restart the
# kernel and run all cells (or press *Validate*).
# The notebook needs only NumPy and Matplotlib, so it runs in any Jupyter,
# Colab included.

# %% locked="setup"
import numpy as np
from numpy.typing import ArrayLike

# %% [markdown] locked="md_l1_penalty"
# ## 1. The L1 penalty
#
# Write `l1_penalty(w, lam)`: $\lambda \sum_i |w_i|$ over every entry of `w`,
# whatever its shape. (Careful: for a matrix, `np.linalg.norm(W, 1)` is the
# largest column sum, not the sum of all entries.)


# %% solution="l1_penalty"
def l1_penalty(w: ArrayLike, lam: float) -> float:
    """The course's L1 penalty of ``w`` at strength ``lam``, over every entry.

    ``w`` may have any shape. Returns a Python float; ``w`` is not modified.
    """
    ### BEGIN SOLUTION
    return float(lam * np.sum(np.abs(np.asarray(w, dtype=float))))
    ### END SOLUTION


# %% test="test_l1_penalty" points=2
"""Checks l1_penalty on cases you can work out by hand, and that w is left alone."""
got = l1_penalty([1.0, -2.0], 0.5)
assert np.isclose(got, 1.5), f"l1_penalty([1, -2], 0.5) should be 1.5, not {got}"
got = l1_penalty([[1.0, -1.0], [2.0, 0.0]], 1.0)
assert np.isclose(got, 4.0), f"all 4 entries of the matrix count: 4.0, not {got}"
w = np.array([1.0, -2.0])
before = w.copy()
l1_penalty(w, 0.5)
assert np.array_equal(w, before), f"l1_penalty must not modify w: [1, -2] became {w}"
### BEGIN HIDDEN TESTS
from l2course.checks import expect

rng = np.random.default_rng(3101)
with expect("l1_penalty must not modify the array it is given."):
    w = rng.normal(size=(3, 3))
    before = w.copy()
    l1_penalty(w, 0.5)
    np.testing.assert_array_equal(w, before)
with expect("l1_penalty should return a single number, not an array."):
    assert np.ndim(l1_penalty(rng.normal(size=(3, 4)), 0.5)) == 0
with expect(
    "l1_penalty should count a negative weight like a positive one: take the "
    "absolute value of each entry before adding them up."
):
    w = np.abs(rng.normal(size=6))
    np.testing.assert_allclose(l1_penalty(-w, 0.7), 0.7 * np.sum(w), rtol=1e-9)
with expect(
    "l1_penalty should grow linearly with the weights: doubling every weight "
    "must double the penalty (squares would quadruple it; that is L2)."
):
    w = rng.normal(size=7)
    np.testing.assert_allclose(
        l1_penalty(2 * w, 0.3), 2 * l1_penalty(w, 0.3), rtol=1e-9
    )
with expect(
    "l1_penalty should be a sum over entries, not a mean: listing the same "
    "weights twice must double the penalty."
):
    w = rng.normal(size=5)
    np.testing.assert_allclose(
        l1_penalty(np.concatenate([w, w]), 0.3), 2 * l1_penalty(w, 0.3), rtol=1e-9
    )
with expect(
    "l1_penalty should add |w| over EVERY entry of a matrix. Note that "
    "np.linalg.norm(W, 1) of a matrix is its largest column sum."
):
    W = rng.normal(size=(4, 3))
    np.testing.assert_allclose(l1_penalty(W, 0.2), 0.2 * np.sum(np.abs(W)), rtol=1e-9)
with expect(
    "l1_penalty should be exactly lam * sum(|w|): l1_penalty([-3.0], 1.0) is 3."
):
    np.testing.assert_allclose(l1_penalty([-3.0], 1.0), 3.0, rtol=1e-12)
for shape in [(8,), (2, 5), (2, 3, 4)]:
    for dtype, rtol in [(np.float64, 1e-9), (np.float32, 1e-5)]:
        w = rng.normal(size=shape).astype(dtype)
        with expect(
            f"l1_penalty should be lam * sum(|w|) for a {dtype.__name__} array of "
            f"shape {shape}."
        ):
            np.testing.assert_allclose(
                l1_penalty(w, 0.4), 0.4 * np.sum(np.abs(w.astype(float))), rtol=rtol
            )
with expect("With lam = 0, l1_penalty should be 0."):
    assert l1_penalty(rng.normal(size=4), 0.0) == 0
with expect("l1_penalty should accept lists of integers and single numbers."):
    np.testing.assert_allclose(l1_penalty([1, -2, 3], 2), 12.0, rtol=1e-12)
    np.testing.assert_allclose(l1_penalty(-2.5, 2.0), 5.0, rtol=1e-12)
with expect("l1_penalty of an empty array should be 0."):
    assert l1_penalty(np.array([]), 1.0) == 0
### END HIDDEN TESTS

# %% [markdown] locked="md_l1_subgrad"
# ## 2. Its subgradient
#
# $|w|$ has no derivative at $w = 0$. Any number between $-\lambda$ and
# $\lambda$ is a valid *subgradient* there; we pick 0. Write
# `l1_subgrad(w, lam)`: $\lambda\,\mathrm{sign}(w)$, with 0 where $w = 0$.
# Watch out: `w / np.abs(w)` gives NaN at 0.


# %% solution="l1_subgrad"
def l1_subgrad(w: ArrayLike, lam: float) -> np.ndarray:
    """A subgradient of l1_penalty at ``w``: the one that is 0 where w == 0.

    Returns a new float array shaped like ``w``; ``w`` is not modified.
    """
    ### BEGIN SOLUTION
    return lam * np.sign(np.asarray(w, dtype=float))
    ### END SOLUTION


# %% test="test_l1_subgrad" points=2
"""Checks l1_subgrad: the same size for every nonzero weight, exactly 0 at 0."""
got = l1_subgrad([2.0, -0.5], 0.1)
assert np.allclose(got, [0.1, -0.1]), (
    f"l1_subgrad([2, -0.5], 0.1): the same size whatever |w|, [0.1, -0.1], not {got}"
)
got = l1_subgrad([0.0], 0.1)
assert np.allclose(got, [0.0]), f"l1_subgrad([0], 0.1) should be [0.0], not {got}"
w = np.array([2.0, -0.5])
before = w.copy()
l1_subgrad(w, 0.1)
assert np.array_equal(w, before), f"l1_subgrad must not modify w: it became {w}"
### BEGIN HIDDEN TESTS
from l2course.checks import expect

rng = np.random.default_rng(3102)
with expect(
    "l1_subgrad must not modify w: return a new array instead of writing into "
    "the one you were given."
):
    w = rng.normal(size=(2, 4))
    before = w.copy()
    l1_subgrad(w, 0.5)
    np.testing.assert_array_equal(w, before)
with expect("l1_subgrad should return an array shaped like w (here 2 x 4)."):
    assert np.shape(l1_subgrad(rng.normal(size=(2, 4)), 0.5)) == (2, 4)
with expect(
    "l1_subgrad should be exactly 0 where w is 0, with no NaN: dividing w by "
    "|w| fails there. np.sign(0) is 0."
):
    w = np.array([0.0, 1.5, 0.0, -2.0])
    g = np.asarray(l1_subgrad(w, 0.3))
    assert not np.any(np.isnan(g))
    np.testing.assert_array_equal(g[[0, 2]], 0.0)
with expect(
    "l1_subgrad should have the same size lam for every nonzero weight, large "
    "or small: L1 pushes with constant strength (it is not 2 * lam * w)."
):
    w = rng.normal(size=10) * np.logspace(-3, 2, 10)
    np.testing.assert_allclose(np.abs(l1_subgrad(w, 0.25)), 0.25, rtol=1e-12)
with expect(
    "l1_subgrad should have the sign of w: +lam where w > 0, -lam where w < 0."
):
    w = rng.normal(size=10)
    np.testing.assert_allclose(l1_subgrad(w, 0.25), 0.25 * np.sign(w), rtol=1e-12)
for shape in [(9,), (3, 3), (2, 2, 3)]:
    for dtype in (np.float64, np.float32):
        with expect(
            f"l1_subgrad should be lam * sign(w), and 0 at zeros, on a "
            f"{dtype.__name__} array of shape {shape}."
        ):
            w = rng.normal(size=shape)
            w[rng.uniform(size=shape) < 0.3] = 0.0
            w = w.astype(dtype)
            np.testing.assert_allclose(
                l1_subgrad(w, 0.6), 0.6 * np.sign(w), rtol=1e-6, atol=0
            )
with expect("With lam = 0, l1_subgrad should be all zeros."):
    np.testing.assert_array_equal(l1_subgrad(rng.normal(size=4), 0.0), np.zeros(4))
with expect("l1_subgrad should accept lists of integers and single numbers."):
    np.testing.assert_allclose(l1_subgrad([3, 0, -1], 2), [2.0, 0.0, -2.0], rtol=1e-12)
    g = l1_subgrad(-4.0, 0.5)
    assert np.shape(g) == ()
    np.testing.assert_allclose(g, -0.5, rtol=1e-12)
    np.testing.assert_allclose(l1_subgrad(0.0, 0.5), 0.0, rtol=1e-12)
with expect("l1_subgrad of an empty array should be an empty array."):
    assert np.shape(l1_subgrad(np.array([]), 1.0)) == (0,)
### END HIDDEN TESTS

# %% [markdown] locked="md_soft_threshold"
# ## 3. Soft thresholding
#
# The soft-threshold operator moves every entry towards zero by $t$ and stops
# at zero:
#
# $$
# S_t(w) = \mathrm{sign}(w)\,\max(|w| - t,\ 0).
# $$
#
# Entries with $|w| \le t$ become exactly 0; the others shrink by $t$ and keep
# their sign. Write `soft_threshold(w, t)` for $t \ge 0$.


# %% solution="soft_threshold"
def soft_threshold(w: ArrayLike, t: float) -> np.ndarray:
    """The soft-threshold operator at threshold ``t >= 0``, entry by entry.

    Returns a new float array shaped like ``w``; ``w`` is not modified.
    """
    ### BEGIN SOLUTION
    w = np.asarray(w, dtype=float)
    return np.sign(w) * np.maximum(np.abs(w) - t, 0.0)
    ### END SOLUTION


# %% test="test_soft_threshold" points=2
"""Checks soft_threshold: a dead zone around 0, a shift by t outside it."""
got = soft_threshold([3.0, -3.0, 0.5], 1.0)
assert np.allclose(got, [2.0, -2.0, 0.0]), (
    f"move towards 0 by t = 1 and stop at 0: [2, -2, 0], not {got}"
)
got = soft_threshold([0.2, -0.7], 0.0)
assert np.allclose(got, [0.2, -0.7]), f"t = 0 changes nothing: [0.2, -0.7], not {got}"
w = np.array([3.0, -3.0, 0.5])
before = w.copy()
soft_threshold(w, 1.0)
assert np.array_equal(w, before), f"soft_threshold must not modify w: it became {w}"
### BEGIN HIDDEN TESTS
from l2course.checks import expect

rng = np.random.default_rng(3103)
with expect("soft_threshold must not modify w: return a new array."):
    w = rng.normal(size=(3, 3))
    before = w.copy()
    soft_threshold(w, 0.5)
    np.testing.assert_array_equal(w, before)
with expect("soft_threshold should return an array shaped like w (here 3 x 3)."):
    assert np.shape(soft_threshold(rng.normal(size=(3, 3)), 0.5)) == (3, 3)
with expect(
    "soft_threshold should set every entry with |w| <= t to exactly 0, "
    "negative entries included. Thresholding only w > t, or keeping entries "
    "that cross zero, breaks this."
):
    w = rng.uniform(-1.0, 1.0, size=20)
    out = np.asarray(soft_threshold(w, 1.0))
    np.testing.assert_array_equal(out, np.zeros(20))
    np.testing.assert_array_equal(np.asarray(soft_threshold([1.0, -1.0], 1.0)), 0.0)
with expect(
    "soft_threshold should move every entry with |w| > t towards zero by "
    "exactly t and keep its sign: a negative entry goes up by t. (Zeroing small "
    "entries but leaving large ones untouched is hard thresholding.)"
):
    w = rng.choice([-1.0, 1.0], size=12) * rng.uniform(1.5, 4.0, size=12)
    np.testing.assert_allclose(soft_threshold(w, 1.0), w - np.sign(w), rtol=1e-12)
with expect("With t = 0, soft_threshold should return w unchanged."):
    w = rng.normal(size=6)
    np.testing.assert_allclose(soft_threshold(w, 0.0), w, rtol=1e-12)
with expect(
    "soft_threshold(w, t) should minimize (u - w)**2 / 2 + t * |u| entry by "
    "entry: its optimality conditions fail (w - u = t * sign(u) where u is not "
    "0, and |w| <= t where u is 0)."
):
    many = np.random.default_rng(3199)
    w = 2 * many.normal(size=200)
    u = np.asarray(soft_threshold(w, 0.7), dtype=float)
    zero = u == 0
    assert np.all(np.abs(w[zero]) <= 0.7 + 1e-12)
    np.testing.assert_allclose(
        w[~zero] - u[~zero], 0.7 * np.sign(u[~zero]), rtol=1e-10, atol=1e-12
    )
for shape in [(10,), (4, 3), (2, 3, 2)]:
    for dtype, rtol in [(np.float64, 1e-12), (np.float32, 1e-6)]:
        with expect(
            f"soft_threshold should be sign(w) * max(|w| - t, 0) on a "
            f"{dtype.__name__} array of shape {shape}."
        ):
            w = rng.normal(size=shape).astype(dtype)
            t = 0.4
            wf = w.astype(float)
            expected = np.sign(wf) * np.maximum(np.abs(wf) - t, 0)
            np.testing.assert_allclose(
                soft_threshold(w, t),
                expected,
                rtol=rtol,
                atol=1e-6 if dtype is np.float32 else 1e-14,
            )
with expect("soft_threshold should accept lists of integers and single numbers."):
    np.testing.assert_allclose(
        soft_threshold([3, -1, -5], 2), [1.0, 0.0, -3.0], rtol=1e-12
    )
    out = soft_threshold(-2.5, 1.0)
    assert np.shape(out) == ()
    np.testing.assert_allclose(out, -1.5, rtol=1e-12)
with expect("soft_threshold of an empty array should be an empty array."):
    assert np.shape(soft_threshold(np.array([]), 1.0)) == (0,)
### END HIDDEN TESTS

# %% [markdown] locked="md_proximal_l1_step"
# ## 4. A proximal gradient step
#
# To minimize $L(\mathbf w) + \lambda\lVert\mathbf w\rVert_1$, take a plain
# gradient step on $L$, then soft-threshold the result at
# $\mathrm{lr}\cdot\lambda$:
#
# $$
# \mathbf w \leftarrow
#   S_{\mathrm{lr}\,\lambda}\bigl(\mathbf w - \mathrm{lr}\,\nabla L\bigr).
# $$
#
# Unlike a subgradient step, this lands exactly on 0 whenever the gradient
# step ends within $\mathrm{lr}\,\lambda$ of it, which is what makes the
# weights sparse. Write `proximal_l1_step(w, grad, lr, lam)`, with `grad` the
# gradient of the data loss only. You may call your `soft_threshold`.


# %% solution="proximal_l1_step"
def proximal_l1_step(
    w: ArrayLike, grad: ArrayLike, lr: float, lam: float
) -> np.ndarray:
    """One proximal gradient step for the data loss plus l1_penalty(w, lam).

    ``grad`` is the data loss's gradient at ``w``, shaped like ``w``. Returns a
    new float array shaped like ``w``; ``w`` and ``grad`` are not modified.
    """
    ### BEGIN SOLUTION
    z = np.asarray(w, dtype=float) - lr * np.asarray(grad, dtype=float)
    return np.sign(z) * np.maximum(np.abs(z) - lr * lam, 0.0)
    ### END SOLUTION


# %% test="test_proximal_l1_step" points=3
"""Checks proximal_l1_step: a gradient step, then soft thresholding."""
got = proximal_l1_step([5.0, 0.01, 2.0, -3.0], [0.0, 0.0, 0.0, 0.0], 0.1, 0.1)
assert np.allclose(got, [4.99, 0.0, 1.99, -2.99]), (
    f"no gradient: every weight moves 0.01 towards 0, [4.99, 0, 1.99, -2.99], not {got}"
)
assert got[1] == 0, f"0.01 is within lr * lam = 0.01 of zero: exactly 0, not {got[1]}"
w, grad = np.array([5.0, 0.01]), np.array([1.0, -1.0])
w_before, grad_before = w.copy(), grad.copy()
proximal_l1_step(w, grad, 0.1, 0.1)
assert np.array_equal(w, w_before) and np.array_equal(grad, grad_before), (
    f"proximal_l1_step must not modify w or grad: they became {w} and {grad}"
)
### BEGIN HIDDEN TESTS
from l2course.checks import expect

rng = np.random.default_rng(3104)


def _soft(z, t):
    return np.sign(z) * np.maximum(np.abs(z) - t, 0)


with expect("proximal_l1_step must not modify w or grad: return a new array."):
    w, grad = rng.normal(size=(2, 3, 2))
    w_before, grad_before = w.copy(), grad.copy()
    proximal_l1_step(w, grad, 0.1, 0.5)
    np.testing.assert_array_equal(w, w_before)
    np.testing.assert_array_equal(grad, grad_before)
with expect("proximal_l1_step should return an array shaped like w (here 3 x 2)."):
    w, grad = rng.normal(size=(2, 3, 2))
    assert np.shape(proximal_l1_step(w, grad, 0.1, 0.5)) == (3, 2)
with expect(
    "With lam = 0, proximal_l1_step should be a plain gradient step "
    "w - lr * grad: check that you move against the gradient."
):
    w, grad = rng.normal(size=(2, 6))
    np.testing.assert_allclose(
        proximal_l1_step(w, grad, 0.2, 0.0), w - 0.2 * grad, rtol=1e-12, atol=1e-14
    )
with expect(
    "proximal_l1_step should set to exactly 0 every weight that the gradient "
    "step leaves within lr * lam of zero. A subgradient step "
    "w - lr * (grad + lam * sign(w)) never lands exactly on 0."
):
    w = rng.normal(size=30)
    grad = rng.normal(size=30)
    z = w - 0.5 * grad
    out = np.asarray(proximal_l1_step(w, grad, 0.5, 1.0))
    assert np.all(out[np.abs(z) <= 0.5] == 0)
with expect(
    "proximal_l1_step should threshold at lr * lam, not at lam: with lr = 0.1 "
    "and lam = 2 every weight moves by at most 0.2 beyond the gradient step."
):
    w = rng.choice([-1.0, 1.0], size=8) * rng.uniform(1.0, 3.0, size=8)
    out = proximal_l1_step(w, np.zeros(8), 0.1, 2.0)
    np.testing.assert_allclose(out, w - 0.2 * np.sign(w), rtol=1e-12)
with expect(
    "proximal_l1_step should take the gradient step first and threshold the "
    "result, soft_threshold(w - lr * grad, lr * lam), not subtract lr * grad "
    "from an already thresholded w."
):
    w, grad = rng.normal(size=(2, 12))
    np.testing.assert_allclose(
        proximal_l1_step(w, grad, 0.3, 0.5),
        _soft(w - 0.3 * grad, 0.15),
        rtol=1e-12,
        atol=1e-14,
    )
for shape in [(7,), (2, 4), (2, 2, 2)]:
    for dtype, rtol in [(np.float64, 1e-12), (np.float32, 1e-6)]:
        with expect(
            f"proximal_l1_step should be soft_threshold(w - lr * grad, lr * lam) "
            f"on {dtype.__name__} arrays of shape {shape}."
        ):
            w = rng.normal(size=shape).astype(dtype)
            grad = rng.normal(size=shape).astype(dtype)
            lr, lam = 0.25, 0.8
            expected = _soft(w.astype(float) - lr * grad.astype(float), lr * lam)
            np.testing.assert_allclose(
                proximal_l1_step(w, grad, lr, lam),
                expected,
                rtol=rtol,
                atol=1e-6 if dtype is np.float32 else 1e-14,
            )
with expect("proximal_l1_step should accept lists of integers."):
    np.testing.assert_allclose(
        proximal_l1_step([3, -3, 0], [1, -1, 0], 1, 1), [1.0, -1.0, 0.0], rtol=1e-12
    )
### END HIDDEN TESTS

# %% [markdown] locked="md_elastic_net_penalty"
# ## 5. The elastic net
#
# The elastic net adds both penalties, each with its own strength:
# $\lambda_1 \sum_i |w_i| + \lambda_2 \sum_i w_i^2$. L1 makes weights sparse;
# the L2 part keeps groups of correlated features together instead of picking
# one of them arbitrarily. Write `elastic_net_penalty(w, lam1, lam2)`, with no
# $\tfrac12$ on either part. (Some libraries put a $\tfrac12$ on the L2 part;
# we do not.)


# %% solution="elastic_net_penalty"
def elastic_net_penalty(w: ArrayLike, lam1: float, lam2: float) -> float:
    """The elastic-net penalty of ``w``: L1 at strength lam1 and L2 at lam2.

    Both parts are the course's, over every entry of ``w``. Returns a Python
    float; ``w`` is not modified.
    """
    ### BEGIN SOLUTION
    w = np.asarray(w, dtype=float)
    return float(lam1 * np.sum(np.abs(w)) + lam2 * np.sum(w * w))
    ### END SOLUTION


# %% test="test_elastic_net_penalty" points=2
"""Checks elastic_net_penalty: the L1 part plus the L2 part."""
got = elastic_net_penalty([1.0, -2.0], 1.0, 0.0)
assert np.isclose(got, 3.0), f"L1 only: 1 + 2 = 3, not {got}"
got = elastic_net_penalty([1.0, -2.0], 0.0, 1.0)
assert np.isclose(got, 5.0), f"L2 only: 1 + 4 = 5, not {got}"
got = elastic_net_penalty([1.0, -2.0], 0.5, 0.5)
assert np.isclose(got, 4.0), f"0.5 * 3 + 0.5 * 5 = 4, not {got}"
w = np.array([1.0, -2.0])
before = w.copy()
elastic_net_penalty(w, 0.5, 0.5)
assert np.array_equal(w, before), f"elastic_net_penalty must not modify w: now {w}"
### BEGIN HIDDEN TESTS
from l2course.checks import expect

rng = np.random.default_rng(3105)
with expect("elastic_net_penalty must not modify the array it is given."):
    w = rng.normal(size=(3, 2))
    before = w.copy()
    elastic_net_penalty(w, 0.5, 0.5)
    np.testing.assert_array_equal(w, before)
with expect("elastic_net_penalty should return a single number."):
    assert np.ndim(elastic_net_penalty(rng.normal(size=(3, 2)), 0.5, 0.5)) == 0
with expect(
    "With lam2 = 0, elastic_net_penalty should be the L1 penalty "
    "lam1 * sum(|w|): lam1 goes with the absolute values."
):
    w = rng.normal(size=8)
    np.testing.assert_allclose(
        elastic_net_penalty(w, 0.3, 0.0), 0.3 * np.sum(np.abs(w)), rtol=1e-9
    )
with expect(
    "With lam1 = 0, elastic_net_penalty should be the L2 penalty "
    "lam2 * sum(w**2): lam2 goes with the squares, with no factor 1/2."
):
    w = rng.normal(size=8)
    np.testing.assert_allclose(
        elastic_net_penalty(w, 0.0, 0.3), 0.3 * np.sum(w**2), rtol=1e-9
    )
with expect(
    "elastic_net_penalty should count negative weights like positive ones in "
    "both parts."
):
    w = np.abs(rng.normal(size=6))
    np.testing.assert_allclose(
        elastic_net_penalty(-w, 0.4, 0.6), elastic_net_penalty(w, 0.4, 0.6), rtol=1e-12
    )
    np.testing.assert_allclose(
        elastic_net_penalty(-w, 0.4, 0.6),
        0.4 * np.sum(w) + 0.6 * np.sum(w**2),
        rtol=1e-9,
    )
with expect(
    "elastic_net_penalty should add both parts over every entry (sums, not "
    "means): listing the same weights twice must double it."
):
    w = rng.normal(size=5)
    np.testing.assert_allclose(
        elastic_net_penalty(np.concatenate([w, w]), 0.2, 0.7),
        2 * elastic_net_penalty(w, 0.2, 0.7),
        rtol=1e-9,
    )
for shape in [(6,), (3, 4), (2, 2, 3)]:
    for dtype, rtol in [(np.float64, 1e-9), (np.float32, 1e-5)]:
        with expect(
            f"elastic_net_penalty should be lam1 * sum(|w|) + lam2 * sum(w**2) "
            f"on a {dtype.__name__} array of shape {shape}."
        ):
            w = rng.normal(size=shape).astype(dtype)
            wf = w.astype(float)
            np.testing.assert_allclose(
                elastic_net_penalty(w, 0.15, 0.35),
                0.15 * np.sum(np.abs(wf)) + 0.35 * np.sum(wf**2),
                rtol=rtol,
            )
with expect("elastic_net_penalty should accept lists of integers and single numbers."):
    np.testing.assert_allclose(elastic_net_penalty([1, -2], 1, 2), 13.0, rtol=1e-12)
    np.testing.assert_allclose(elastic_net_penalty(-3.0, 1.0, 1.0), 12.0, rtol=1e-12)
with expect("elastic_net_penalty of an empty array should be 0."):
    assert elastic_net_penalty(np.array([]), 1.0, 1.0) == 0
### END HIDDEN TESTS

# %% [markdown] locked="md_plot"
# ## Your functions at work
#
# The cell below uses only your functions. On the left, your
# `soft_threshold` with $t = 1$: flat at zero between $-1$ and $1$, then
# parallel to the identity, one unit below it (above it for negative inputs).
#
# On the right, a **lasso path**. Eight features, of which only three
# ($w_0$, $w_1$, $w_4$) matter; for each of 30 values of $\lambda$, 200 of
# your `proximal_l1_step`s minimize the mean squared error plus
# $\lambda\lVert\mathbf w\rVert_1$. Read it from right to left: at the largest
# $\lambda$ every weight is exactly zero; as $\lambda$ falls, the three real
# features come in first and the others stay at zero much longer. The exact
# zeros are your soft threshold's work: a subgradient step would leave every
# weight jittering around zero instead.

# %% locked="plot"
import matplotlib.pyplot as plt

w_grid = np.linspace(-3.0, 3.0, 121)
shrunk = soft_threshold(w_grid, 1.0)

rng = np.random.default_rng(3)
n, p = 60, 8
X = rng.normal(size=(n, p))
w_true = np.array([3.0, -2.0, 0.0, 0.0, 1.5, 0.0, 0.0, 0.0])
y = X @ w_true + 0.5 * rng.normal(size=n)
# Data loss (1/n) ||Xw - y||^2, whose gradient is (2/n) X^T (Xw - y). A step
# of 1 / (its Lipschitz constant) is the largest that always makes progress.
lr = n / (2 * np.linalg.norm(X, 2) ** 2)
lam_max = np.max(np.abs(2 / n * X.T @ y))  # from here up, w = 0 is optimal
lams = lam_max * np.logspace(0, -3, 30)
w = np.zeros(p)
path = []
for lam in lams:  # warm start: each fit begins where the previous one ended
    for _ in range(200):
        w = proximal_l1_step(w, 2 / n * X.T @ (X @ w - y), lr, lam)
    path.append(np.array(w, dtype=float))

fig, (left, right) = plt.subplots(1, 2, figsize=(10, 3.8))
left.axvspan(-1.0, 1.0, color="#2ca02c", alpha=0.12, label="|w| ≤ t = 1")
left.plot(w_grid, w_grid, color="#888888", ls="--", lw=1, label="identity")
left.plot(w_grid, shrunk, color="#2ca02c", lw=2, label="your soft threshold")
left.set_xlabel("input $w$")
left.set_ylabel("output")
left.set_title("soft thresholding")
left.legend(loc="upper left", fontsize=8)
colours = plt.cm.tab10(np.arange(p))
for j, coefficient in enumerate(np.array(path).T):
    right.plot(lams, coefficient, color=colours[j], lw=1.6, label=f"$w_{j}$")
right.axhline(0.0, color="#888888", lw=0.8)
right.set_xscale("log")
right.set_xlabel(r"$\lambda$ (log scale)")
right.set_ylabel("coefficient")
right.set_title("lasso path by your proximal steps")
right.legend(loc="upper right", fontsize=7, ncol=2)
fig.tight_layout()
plt.show()
