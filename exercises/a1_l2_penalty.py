# Source of exercises/a1_l2_penalty/a1_l2_penalty.ipynb.
# Edit this file, then run `make exercises` (format: exercises/README.md).
# Solutions and hidden tests live here: never give this file to students.

# %% [markdown] locked="intro"
# # Assignment 1: the L2 penalty and its gradient
#
# In this assignment you write the four small functions that every use of L2
# regularization rests on: the penalty, its gradient, a loss with the penalty
# added, and a finite-difference gradient to check the gradient you wrote.
#
# It practises the chapters {chapter:penalty} and {chapter:gradient}.
#
# **Convention.** As in the book, the penalty is $\lambda \lVert \mathbf w
# \rVert^2 = \lambda \sum_i w_i^2$, with no factor $\tfrac12$, so its gradient
# is $2\lambda \mathbf w$.
#
# **How to work.** Each function has its own cell. Replace the line
# `raise NotImplementedError()` with your code, run the cell, then run the
# test cell under it. The visible tests are a few cases you can check by hand;
# when your work is graded, more tests run on random inputs and check
# properties such as "the input is not modified". Every function must accept
# lists, integers and NumPy arrays of any float type, and must never change
# the arrays it is given. Before you hand in, restart the kernel and run all
# cells (or press *Validate*).
# The notebook needs only NumPy and Matplotlib, so it runs in any Jupyter,
# Colab included.

# %% locked="setup"
import numpy as np
from numpy.typing import ArrayLike

# %% [markdown] locked="md_l2_penalty"
# ## 1. The penalty
#
# Write `l2_penalty(w, lam)`. It returns $\lambda \sum_i w_i^2$, summed over
# every entry of `w`, whatever its shape: a weight matrix is penalized entry
# by entry, exactly like a vector.


# %% solution="l2_penalty"
def l2_penalty(w: ArrayLike, lam: float) -> float:
    """The course's L2 penalty of ``w`` at strength ``lam``, over every entry.

    ``w`` may have any shape (a scalar, a vector, a matrix, ...) and any
    numeric dtype. Returns a Python float. ``w`` is not modified.
    """
    ### BEGIN SOLUTION
    w = np.asarray(w, dtype=float)
    return float(lam * np.sum(w * w))
    ### END SOLUTION


# %% test="test_l2_penalty" points=2
"""Checks l2_penalty on cases you can work out by hand, and that w is left alone."""
got = l2_penalty([1.0, -2.0], 0.5)
assert np.isclose(got, 2.5), f"l2_penalty([1, -2], 0.5) should be 2.5, not {got}"
got = l2_penalty([[1.0, 2.0], [3.0, 4.0]], 0.1)
assert np.isclose(got, 3.0), (
    f"l2_penalty of a 2x2 matrix should add all four squares: 3.0, not {got}"
)
got = l2_penalty([0.0, 0.0, 0.0], 2.0)
assert got == 0, f"zero weights cost nothing: 0, not {got}"
w = np.array([1.0, -2.0])
before = w.copy()
l2_penalty(w, 0.5)
assert np.array_equal(w, before), f"l2_penalty must not modify w: [1, -2] became {w}"
### BEGIN HIDDEN TESTS
from l2course.checks import expect

rng = np.random.default_rng(1101)
with expect("l2_penalty must not modify the array it is given."):
    w = rng.normal(size=(3, 3))
    before = w.copy()
    l2_penalty(w, 0.5)
    np.testing.assert_array_equal(w, before)
with expect("l2_penalty should return a single number, not an array."):
    assert np.ndim(l2_penalty(rng.normal(size=(3, 4)), 0.5)) == 0
with expect(
    "l2_penalty should square the weights: doubling every weight must multiply "
    "the penalty by 4. Did you use a norm (or absolute values) without squaring?"
):
    w = rng.normal(size=7)
    np.testing.assert_allclose(
        l2_penalty(2 * w, 0.3), 4 * l2_penalty(w, 0.3), rtol=1e-9, atol=1e-12
    )
with expect(
    "l2_penalty should add up lam * w**2 over the entries (a sum, not a mean): "
    "listing the same weights twice must double the penalty."
):
    w = rng.normal(size=5)
    np.testing.assert_allclose(
        l2_penalty(np.concatenate([w, w]), 0.3),
        2 * l2_penalty(w, 0.3),
        rtol=1e-9,
        atol=1e-12,
    )
with expect(
    "l2_penalty should be exactly lam * sum(w**2), with no factor 1/2 or 2: "
    "l2_penalty([3.0], 1.0) is 9."
):
    np.testing.assert_allclose(l2_penalty([3.0], 1.0), 9.0, rtol=1e-12)
with expect(
    "l2_penalty should be proportional to lam: doubling lam must double it, "
    "and lam = 0 must give 0."
):
    w = rng.normal(size=6)
    np.testing.assert_allclose(
        l2_penalty(w, 1.4), 2 * l2_penalty(w, 0.7), rtol=1e-9, atol=1e-12
    )
    assert l2_penalty(w, 0.0) == 0
with expect(
    "l2_penalty should not depend on the signs of the weights: a negative "
    "weight costs as much as a positive one (the penalty squares each entry; "
    "squaring the sum is not the same)."
):
    w = np.abs(rng.normal(size=6))
    np.testing.assert_allclose(l2_penalty(-w, 0.7), 0.7 * np.sum(w**2), rtol=1e-9)
    mixed = w * np.array([1, -1, 1, -1, 1, -1])
    np.testing.assert_allclose(l2_penalty(mixed, 0.7), 0.7 * np.sum(w**2), rtol=1e-9)
for shape in [(8,), (3, 4), (2, 3, 4)]:
    for dtype, rtol in [(np.float64, 1e-9), (np.float32, 1e-5)]:
        w = rng.normal(size=shape).astype(dtype)
        with expect(
            f"l2_penalty should add lam * w**2 over every entry of a {dtype.__name__} "
            f"array of shape {shape}, whatever its number of dimensions."
        ):
            np.testing.assert_allclose(
                l2_penalty(w, 0.25),
                0.25 * np.sum(w.astype(float) ** 2),
                rtol=rtol,
                atol=1e-12,
            )
with expect("l2_penalty should accept a list of integers and an integer lam."):
    np.testing.assert_allclose(l2_penalty([1, 2, 3], 2), 28.0, rtol=1e-12)
with expect(
    "l2_penalty should accept a single number as w: l2_penalty(-3.0, 2.0) is 18."
):
    np.testing.assert_allclose(l2_penalty(-3.0, 2.0), 18.0, rtol=1e-12)
with expect("l2_penalty of no weights at all (an empty array) should be 0."):
    assert l2_penalty(np.array([]), 1.5) == 0
    assert l2_penalty([], 1.5) == 0
### END HIDDEN TESTS

# %% [markdown] locked="md_l2_grad"
# ## 2. Its gradient
#
# Write `l2_grad(w, lam)`. It returns the gradient of $\lambda \sum_i w_i^2$
# with respect to `w`: an array of the same shape as `w`. Work out the
# derivative of $\lambda w_i^2$ with respect to $w_i$ first.


# %% solution="l2_grad"
def l2_grad(w: ArrayLike, lam: float) -> np.ndarray:
    """The gradient of l2_penalty with respect to ``w``, at strength ``lam``.

    ``w`` may have any shape and numeric dtype. Returns a new float array
    shaped like ``w``; ``w`` is not modified.
    """
    ### BEGIN SOLUTION
    return 2.0 * lam * np.asarray(w, dtype=float)
    ### END SOLUTION


# %% test="test_l2_grad" points=2
"""Checks l2_grad on cases you can work out by hand, and that w is left alone."""
got = l2_grad([1.0, -2.0], 0.5)
assert np.allclose(got, [1.0, -2.0]), (
    f"l2_grad([1, -2], 0.5) should be [1, -2], not {got}"
)
got = l2_grad([3.0], 0.1)
assert np.allclose(got, [0.6]), f"l2_grad([3], 0.1) should be [0.6], not {got}"
got = l2_grad(np.ones((2, 3)), 1.0)
assert np.shape(got) == (2, 3), (
    f"l2_grad should keep the shape of w, (2, 3), not {np.shape(got)}"
)
w = np.array([1.0, -2.0])
before = w.copy()
l2_grad(w, 0.3)
assert np.array_equal(w, before), (
    f"l2_grad must not modify w (no w *= ...): [1, -2] became {w}"
)
### BEGIN HIDDEN TESTS
from l2course.checks import expect

rng = np.random.default_rng(1102)
with expect(
    "l2_grad must not modify w: compute a new array instead of updating w in "
    "place (no w *= ... on the caller's array)."
):
    w = rng.normal(size=(3, 2))
    before = w.copy()
    l2_grad(w, 0.3)  # with lam = 0.5, w *= 2 * lam would change nothing
    np.testing.assert_array_equal(w, before)
for shape in [(5,), (3, 4), (2, 2, 3)]:
    with expect(f"l2_grad should return an array of the same shape as w {shape}."):
        assert np.shape(l2_grad(rng.normal(size=shape), 0.3)) == shape
with expect(
    "l2_grad should point away from zero: where a weight is positive the "
    "gradient is positive, where it is negative the gradient is negative. "
    "Check the sign."
):
    w = rng.normal(size=20)
    g = np.asarray(l2_grad(w, 0.4))
    assert np.all(np.sign(g) == np.sign(w))
with expect(
    "l2_grad should be the derivative of lam * sum(w**2): a central finite "
    "difference of the penalty disagrees with your gradient. The derivative of "
    "lam * w_i**2 is 2 * lam * w_i: check the factor 2."
):
    w = rng.normal(size=6)
    lam = 0.35
    h = 1e-6
    fd = np.array(
        [
            (lam * np.sum((w + h * e) ** 2) - lam * np.sum((w - h * e) ** 2)) / (2 * h)
            for e in np.eye(6)
        ]
    )
    np.testing.assert_allclose(l2_grad(w, lam), fd, rtol=1e-6, atol=1e-8)
with expect("l2_grad should be an array with one entry per weight, not a sum."):
    assert np.shape(l2_grad(rng.normal(size=4), 0.2)) == (4,)
for shape in [(7,), (3, 4), (2, 3, 2)]:
    for dtype, rtol in [(np.float64, 1e-12), (np.float32, 1e-6)]:
        w = rng.normal(size=shape).astype(dtype)
        with expect(
            f"l2_grad should equal 2 * lam * w for a {dtype.__name__} array of "
            f"shape {shape}."
        ):
            np.testing.assert_allclose(
                l2_grad(w, 0.15), 0.3 * w.astype(float), rtol=rtol, atol=1e-12
            )
with expect("With lam = 0, l2_grad should be all zeros."):
    np.testing.assert_array_equal(l2_grad(rng.normal(size=5), 0.0), np.zeros(5))
with expect("l2_grad should accept a list of integers: l2_grad([1, 2], 1) is [2, 4]."):
    np.testing.assert_allclose(l2_grad([1, 2], 1), [2.0, 4.0], rtol=1e-12)
with expect("l2_grad should accept a single number: l2_grad(3.0, 0.5) is 3.0."):
    g = l2_grad(3.0, 0.5)
    assert np.shape(g) == ()
    np.testing.assert_allclose(g, 3.0, rtol=1e-12)
with expect("l2_grad of an empty array should be an empty array."):
    assert np.shape(l2_grad(np.array([]), 1.0)) == (0,)
### END HIDDEN TESTS

# %% [markdown] locked="md_penalized_loss"
# ## 3. A penalized loss
#
# A network has several weight arrays (one matrix per layer). Write
# `penalized_loss(data_loss, weights, lam)`: the data loss plus $\lambda$
# times the sum of the squares of **every** entry of **every** array in the
# list `weights`. The arrays may have different shapes. The caller passes only
# weights, never biases: biases are left unpenalized, because shrinking a bias
# towards zero only moves the model's output towards zero and does nothing
# for its smoothness (see {chapter:penalty}).


# %% solution="penalized_loss"
def penalized_loss(data_loss: float, weights: list[ArrayLike], lam: float) -> float:
    """``data_loss`` plus the L2 penalty of every entry of every array in ``weights``.

    ``weights`` is a list (or tuple) of arrays of any shapes; it may be empty.
    Returns a Python float. Neither the list nor the arrays are modified.
    """
    ### BEGIN SOLUTION
    squares = sum(float(np.sum(np.square(np.asarray(W, dtype=float)))) for W in weights)
    return float(data_loss + lam * squares)
    ### END SOLUTION


# %% test="test_penalized_loss" points=2
"""Checks penalized_loss: the data loss plus the penalty of every weight array."""
got = penalized_loss(1.0, [np.array([1.0, 2.0])], 0.5)
assert np.isclose(got, 3.5), f"1.0 + 0.5 * (1 + 4) = 3.5, not {got}"
got = penalized_loss(0.0, [np.array([[1.0, 1.0]]), np.array([2.0])], 1.0)
assert np.isclose(got, 6.0), f"both arrays count: 1 + 1 + 4 = 6, not {got}"
got = penalized_loss(2.0, [], 1.0)
assert np.isclose(got, 2.0), f"no weights: just the data loss, 2.0, not {got}"
weights = [np.array([1.0, 2.0]), np.array([[3.0]])]
before = [W.copy() for W in weights]
penalized_loss(0.0, weights, 0.5)
assert len(weights) == 2 and all(
    np.array_equal(W, W0) for W, W0 in zip(weights, before, strict=True)
), f"penalized_loss must not modify weights: it is now {weights}"
### BEGIN HIDDEN TESTS
from l2course.checks import expect

rng = np.random.default_rng(1103)
layers = [rng.normal(size=(3, 4)), rng.normal(size=4), rng.normal(size=(4, 2))]
total_squares = sum(float(np.sum(W**2)) for W in layers)
with expect("penalized_loss must not modify the list or the arrays in it."):
    copies = [W.copy() for W in layers]
    given = list(layers)
    penalized_loss(0.5, given, 0.3)
    assert len(given) == len(copies)
    for W, copy in zip(given, copies, strict=True):
        np.testing.assert_array_equal(W, copy)
with expect("penalized_loss should return a single number."):
    assert np.ndim(penalized_loss(0.3, layers, 0.1)) == 0
with expect(
    "penalized_loss should include the data loss itself: raising data_loss by 1 "
    "must raise the result by 1."
):
    np.testing.assert_allclose(
        penalized_loss(1.3, layers, 0.1) - penalized_loss(0.3, layers, 0.1),
        1.0,
        rtol=1e-9,
    )
with expect("With lam = 0, penalized_loss should return the data loss unchanged."):
    np.testing.assert_allclose(penalized_loss(0.7, layers, 0.0), 0.7, rtol=1e-12)
for k in range(len(layers)):
    with expect(
        f"penalized_loss should penalize every array in the list: the array at "
        f"position {k} (shape {layers[k].shape}) is not counted fully. Loop over "
        f"all arrays and add up their squares."
    ):
        others = layers[:k] + layers[k + 1 :]
        np.testing.assert_allclose(
            penalized_loss(0.0, layers, 0.2) - penalized_loss(0.0, others, 0.2),
            0.2 * np.sum(layers[k] ** 2),
            rtol=1e-9,
            atol=1e-12,
        )
with expect(
    "penalized_loss should square the weights: doubling every weight must "
    "multiply the penalty by 4."
):
    np.testing.assert_allclose(
        penalized_loss(0.0, [2 * W for W in layers], 0.2),
        4 * penalized_loss(0.0, layers, 0.2),
        rtol=1e-9,
    )
with expect(
    "penalized_loss should sum the squares (not average them) and use lam "
    "itself (no factor 1/2): penalized_loss(0.0, [[3.0, 4.0]], 1.0) is 25."
):
    np.testing.assert_allclose(
        penalized_loss(0.0, [np.array([3.0, 4.0])], 1.0), 25.0, rtol=1e-12
    )
with expect(
    "penalized_loss should give data_loss + lam * (sum of all squared weights) "
    "on arrays of different shapes."
):
    np.testing.assert_allclose(
        penalized_loss(0.42, layers, 0.05), 0.42 + 0.05 * total_squares, rtol=1e-9
    )
with expect("penalized_loss should not depend on the order of the arrays in the list."):
    np.testing.assert_allclose(
        penalized_loss(0.1, layers[::-1], 0.3),
        penalized_loss(0.1, layers, 0.3),
        rtol=1e-12,
    )
with expect("penalized_loss should accept a tuple of arrays and float32 arrays."):
    small = tuple(W.astype(np.float32) for W in layers)
    np.testing.assert_allclose(
        penalized_loss(0.42, small, 0.05), 0.42 + 0.05 * total_squares, rtol=1e-5
    )
with expect("penalized_loss should accept plain nested lists of integers."):
    np.testing.assert_allclose(
        penalized_loss(1, [[[1, 2], [0, 1]], [3]], 2), 1 + 2 * 15, rtol=1e-12
    )
with expect("penalized_loss with an empty list of weights should return data_loss."):
    np.testing.assert_allclose(penalized_loss(3.5, [], 10.0), 3.5, rtol=1e-12)
### END HIDDEN TESTS

# %% [markdown] locked="md_numerical_grad"
# ## 4. Checking a gradient numerically
#
# A hand-written gradient is easy to get wrong by a factor or a sign. Compare
# it with the **central difference**
#
# $$
# \frac{\partial f}{\partial w_i} \approx
# \frac{f(\mathbf w + \varepsilon \mathbf e_i) - f(\mathbf w - \varepsilon \mathbf e_i)}
#      {2\varepsilon},
# $$
#
# where $\mathbf e_i$ is 1 at entry $i$ and 0 elsewhere. Its error shrinks
# like $\varepsilon^2$, much faster than the one-sided difference.
#
# Write `numerical_grad(f, w, eps=1e-6)`. `f` takes an array shaped like `w`
# and returns a number. Return an array shaped like `w`. Two traps: work in
# float64 (in float32, `w + 1e-6` is often just `w`), and do not nudge the
# caller's array in place.


# %% solution="numerical_grad"
def numerical_grad(f, w: ArrayLike, eps: float = 1e-6) -> np.ndarray:
    """The central-difference gradient of the scalar function ``f`` at ``w``.

    ``eps`` is the step taken along each entry in turn. ``f`` is called with
    float64 arrays shaped like ``w``. Returns a float64 array shaped like
    ``w``; ``w`` is not modified.
    """
    ### BEGIN SOLUTION
    w = np.array(w, dtype=float)  # a float64 copy: the caller's w stays as it was
    grad = np.zeros_like(w)
    for index in np.ndindex(w.shape):
        step = np.zeros_like(w)
        step[index] = eps
        grad[index] = (f(w + step) - f(w - step)) / (2 * eps)
    return grad
    ### END SOLUTION


# %% test="test_numerical_grad" points=3
"""Checks numerical_grad against known derivatives, and that w is left alone."""
got = numerical_grad(lambda v: np.sum(v**2), np.array([1.0, -2.0]))
assert np.allclose(got, [2.0, -4.0], atol=1e-5), (
    f"the gradient of sum(w**2) at [1, -2] is [2, -4], not {got}"
)
got = numerical_grad(lambda v: 3 * v[0] + v[1], np.array([0.5, 0.5]))
assert np.allclose(got, [3.0, 1.0], atol=1e-5), (
    f"the gradient of 3 w0 + w1 is [3, 1], not {got}"
)
w = np.array([1.0, -2.0])
before = w.copy()
numerical_grad(lambda v: np.sum(v**2), w)
assert np.array_equal(w, before), (
    f"numerical_grad must not modify w (perturb a copy): [1, -2] became {w}"
)
### BEGIN HIDDEN TESTS
from l2course.checks import expect

rng = np.random.default_rng(1104)
with expect(
    "numerical_grad must not modify w: nudging w[i] in place and undoing it "
    "does not always restore the exact number. Work on a copy."
):
    w = rng.normal(size=12)
    before = w.copy()
    numerical_grad(lambda v: np.sum(v**2), w)
    np.testing.assert_array_equal(w, before)
with expect(
    "numerical_grad should return an array shaped like w, and call f with "
    "arrays of that same shape (here w is a 3x4 matrix and f multiplies it by "
    "a 4x2 matrix)."
):
    W = rng.normal(size=(3, 4))
    A = rng.normal(size=(4, 2))
    g = numerical_grad(lambda V: float(np.sum(V @ A)), W)
    assert np.shape(g) == (3, 4)
    np.testing.assert_allclose(g, np.tile(A.sum(axis=1), (3, 1)), rtol=1e-5, atol=1e-6)
with expect(
    "numerical_grad should be the central difference, divided by 2 * eps: on "
    "f(w) = sum(w**3) with eps = 1e-3 your answer is too far from 3 w**2. A "
    "one-sided difference, or dividing by eps instead of 2 * eps, does this."
):
    w = rng.uniform(0.5, 2.0, size=5)
    g = numerical_grad(lambda v: np.sum(v**3), w, eps=1e-3)
    np.testing.assert_allclose(g, 3 * w**2, rtol=1e-5, atol=1e-5)
with expect(
    "numerical_grad should get the sign right: the gradient of sum(sin(w)) is cos(w)."
):
    w = rng.normal(size=(2, 3))
    np.testing.assert_allclose(
        numerical_grad(lambda v: np.sum(np.sin(v)), w), np.cos(w), rtol=1e-6, atol=1e-7
    )
with expect(
    "numerical_grad should work for an integer array w: convert to floats first, "
    "otherwise w + eps cannot be stored in it."
):
    w = np.array([1, 2, 3])
    np.testing.assert_allclose(
        numerical_grad(lambda v: np.sum(v**3), w), [3.0, 12.0, 27.0], rtol=1e-5
    )
    np.testing.assert_array_equal(w, [1, 2, 3])
with expect(
    "numerical_grad should work in float64 even when w is float32: in float32, "
    "w + 1e-6 is rounded back to w for most values, and the difference is "
    "noise. Convert w with np.asarray(w, dtype=float)."
):
    w = rng.uniform(1.0, 3.0, size=6).astype(np.float32)
    np.testing.assert_allclose(
        numerical_grad(lambda v: np.sum(v**2), w),
        2 * w.astype(float),
        rtol=1e-5,
        atol=1e-6,
    )
with expect("numerical_grad should accept a list: numerical_grad(f, [1.0, 2.0])."):
    np.testing.assert_allclose(
        numerical_grad(lambda v: v[0] * v[1], [1.0, 2.0]), [2.0, 1.0], rtol=1e-6
    )
with expect(
    "numerical_grad should work for a single number w and return an array of "
    "shape (): the derivative of w**3 at 2 is 12."
):
    g = numerical_grad(lambda v: v**3, 2.0)
    assert np.shape(g) == ()
    np.testing.assert_allclose(g, 12.0, rtol=1e-6)
with expect(
    "numerical_grad should agree with the exact gradient of a penalty-like "
    "function lam * sum(w**2) on a 3-D array."
):
    w = rng.normal(size=(2, 3, 2))
    np.testing.assert_allclose(
        numerical_grad(lambda v: 0.3 * np.sum(v**2), w), 0.6 * w, rtol=1e-6, atol=1e-7
    )
### END HIDDEN TESTS

# %% [markdown] locked="md_plot"
# ## Your functions at work
#
# The cell below uses only your functions. On the left, your penalty and your
# gradient along one weight: the penalty should be a parabola with its minimum
# at 0, and the gradient a straight line through 0 whose slope is $2\lambda$.
# On the right, each dot is one entry of a random $4 \times 5$ weight matrix:
# your `l2_grad` across, your `numerical_grad` of your `l2_penalty` up. If both
# are right, every dot sits on the diagonal and the largest gap printed in the
# title is tiny (below $10^{-8}$).

# %% locked="plot"
import matplotlib.pyplot as plt

lam = 0.5
w_line = np.linspace(-2.0, 2.0, 81)
penalties = [l2_penalty(w_i, lam) for w_i in w_line]
gradients = [float(l2_grad(w_i, lam)) for w_i in w_line]

W = np.random.default_rng(0).normal(size=(4, 5))
analytic = l2_grad(W, lam)
numeric = numerical_grad(lambda V: l2_penalty(V, lam), W)

analytic = np.ravel(np.asarray(analytic, dtype=float))
numeric = np.ravel(np.asarray(numeric, dtype=float))
gap = float(np.max(np.abs(analytic - numeric)))

fig, (left, right) = plt.subplots(1, 2, figsize=(9, 3.6))
left.plot(w_line, penalties, color="#d62728", lw=2, label="your penalty")
left.plot(w_line, gradients, color="#1f77b4", ls="--", label="your gradient")
left.axhline(0.0, color="#888888", lw=0.8)
left.axvline(0.0, color="#888888", lw=0.8)
left.set_xlabel("weight $w$")
left.set_ylabel("value")
left.set_title(rf"penalty and gradient, $\lambda$ = {lam:g}")
left.legend(loc="upper center")
ends = [min(analytic.min(), numeric.min()), max(analytic.max(), numeric.max())]
right.plot(ends, ends, color="#888888", lw=1, label="agreement")
right.scatter(analytic, numeric, color="#2ca02c", s=18, zorder=3, label="one weight")
right.set_xlabel("your analytic gradient")
right.set_ylabel("your numerical gradient")
right.set_title(f"gradient check: largest gap {gap:.1e}")
right.legend(loc="upper left")
fig.tight_layout()
plt.show()
