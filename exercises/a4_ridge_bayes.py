# Source of exercises/a4_ridge_bayes/a4_ridge_bayes.ipynb.
# Edit this file, then run `make exercises` (format: exercises/README.md).
# Solutions and hidden tests live here: never give this file to students.

# %% [markdown] locked="intro"
# # Assignment 4: ridge regression, its Bayesian reading, and its shrinkage
#
# For a linear model the L2-penalized loss has a closed-form minimum. In this
# assignment you compute it (ridge regression), add an intercept that the
# penalty leaves alone, find the same answer again as the most probable
# weights under a Gaussian prior, and measure with the singular values of
# $X$ how much the penalty shrinks each direction of the data.
#
# It practises the chapters {chapter:geometry} and {chapter:bayesian}.
# Choosing $\lambda$ itself is assignment 5.
#
# **Convention.** Ridge regression minimizes
# $\lVert X\mathbf w - \mathbf y\rVert^2 + \lambda\lVert\mathbf w\rVert^2$
# (sums of squares, no $\tfrac12$, no mean). Setting its gradient
# $2X^\top(X\mathbf w - \mathbf y) + 2\lambda\mathbf w$ to zero gives the
# normal equations
#
# $$
# (X^\top X + \lambda I)\,\mathbf w = X^\top \mathbf y .
# $$
#
# **How to work.** Replace each `raise NotImplementedError()` with your code,
# run the cell, then the test cell under it. More tests run when your work is
# graded. `X` is an $n \times p$ array-like (rows are examples), `y` has
# length $n$; neither may be modified. Before you hand in, restart the kernel
# and run all cells (or press *Validate*).
# The notebook needs only NumPy and Matplotlib, so it runs in any Jupyter,
# Colab included.

# %% locked="setup"
import numpy as np
from numpy.typing import ArrayLike

# %% [markdown] locked="md_ridge_fit"
# ## 1. Ridge regression
#
# Write `ridge_fit(X, y, lam)`: the weights that minimize
# $\lVert X\mathbf w - \mathbf y\rVert^2 + \lambda\lVert\mathbf w\rVert^2$, with
# no intercept. **Solve** the normal equations with `np.linalg.solve` (or
# `np.linalg.lstsq`) rather than forming an inverse matrix, which is slower
# and less accurate. (An inverse gives the same numbers on this assignment's
# small, well-conditioned problems and costs no points; the cell after the
# tests tells you if you used one.) The penalty adds $\lambda$ to the
# diagonal of $X^\top X$ only.


# %% solution="ridge_fit"
def ridge_fit(X: ArrayLike, y: ArrayLike, lam: float) -> np.ndarray:
    """The ridge weights for ``X``, ``y`` at strength ``lam``, with no intercept.

    In the course's convention (summed squared error, section 1 above). ``X``
    is n x p, ``y`` has length n, lam >= 0 (lam = 0 needs X of full column
    rank). Returns a float array of length p; X and y are not modified.
    """
    ### BEGIN SOLUTION
    X = np.asarray(X, dtype=float)
    y = np.asarray(y, dtype=float)
    gram = X.T @ X + lam * np.eye(X.shape[1])
    return np.linalg.solve(gram, X.T @ y)
    ### END SOLUTION


# %% test="test_ridge_fit" points=3
"""Checks ridge_fit: the normal equations and shrinkage."""
X_small = np.array([[1.0, 0.0], [0.0, 1.0], [0.0, 0.0]])
y_small = np.array([2.0, 3.0, 5.0])
got = ridge_fit(X_small, y_small, 0.0)
assert np.allclose(got, [2.0, 3.0]), (
    f"lam = 0 and orthonormal columns: w = X^T y = [2, 3], not {got}"
)
got = ridge_fit(X_small, y_small, 1.0)
assert np.allclose(got, [1.0, 1.5]), (
    f"lam = 1 halves each weight (X^T X = I): [1, 1.5], not {got}"
)
X_before, y_before = X_small.copy(), y_small.copy()
ridge_fit(X_small, y_small, 1.0)
assert np.array_equal(X_small, X_before) and np.array_equal(y_small, y_before), (
    f"ridge_fit must not modify X or y: they became {X_small} and {y_small}"
)
### BEGIN HIDDEN TESTS
from l2course.checks import expect

rng = np.random.default_rng(4101)
with expect("ridge_fit must not modify X or y."):
    X, y = rng.normal(size=(20, 3)), rng.normal(size=20)
    X_before, y_before = X.copy(), y.copy()
    ridge_fit(X, y, 0.5)
    np.testing.assert_array_equal(X, X_before)
    np.testing.assert_array_equal(y, y_before)
with expect("ridge_fit should return one weight per column of X (here 4)."):
    X, y = rng.normal(size=(15, 4)), rng.normal(size=15)
    assert np.shape(ridge_fit(X, y, 1.0)) == (4,)
with expect("With lam = 0, ridge_fit should give the ordinary least-squares weights."):
    X, y = rng.normal(size=(30, 4)), rng.normal(size=30)
    np.testing.assert_allclose(
        ridge_fit(X, y, 0.0),
        np.linalg.lstsq(X, y, rcond=None)[0],
        rtol=1e-8,
        atol=1e-10,
    )
with expect(
    "ridge_fit should solve (X^T X + lam I) w = X^T y: the penalty adds lam to "
    "the diagonal only (lam * I, not lam added to every entry), with no factor "
    "2 (the 2s of both gradients cancel)."
):
    X, y = rng.normal(size=(25, 5)), rng.normal(size=25)
    w = ridge_fit(X, y, 3.0)
    np.testing.assert_allclose(
        (X.T @ X + 3.0 * np.eye(5)) @ w, X.T @ y, rtol=1e-8, atol=1e-8
    )
with expect(
    "ridge_fit should shrink the weights more as lam grows: the norm of w must "
    "fall as lam goes from 0.01 to 1000. Check the sign of the penalty term."
):
    X, y = rng.normal(size=(20, 4)), rng.normal(size=20)
    norms = [np.linalg.norm(ridge_fit(X, y, lam)) for lam in np.logspace(-2, 3, 11)]
    assert np.all(np.diff(norms) < 0)
with expect(
    "For a very large lam, ridge_fit should approach X^T y / lam (the penalty "
    "dominates X^T X)."
):
    X, y = rng.normal(size=(20, 3)), rng.normal(size=20)
    np.testing.assert_allclose(1e8 * ridge_fit(X, y, 1e8), X.T @ y, rtol=1e-5)
with expect(
    "ridge_fit should work when there are more columns than rows (p > n): "
    "with lam > 0 the system is still solvable."
):
    X, y = rng.normal(size=(5, 9)), rng.normal(size=5)
    w = ridge_fit(X, y, 0.5)
    np.testing.assert_allclose(
        (X.T @ X + 0.5 * np.eye(9)) @ w, X.T @ y, rtol=1e-8, atol=1e-8
    )
for n, p in [(12, 3), (40, 6)]:
    for dtype, rtol in [(np.float64, 1e-8), (np.float32, 1e-3)]:
        with expect(
            f"ridge_fit should give the ridge weights for {dtype.__name__} data of "
            f"shape {n} x {p}."
        ):
            X, y = rng.normal(size=(n, p)), rng.normal(size=n)
            expected = np.linalg.solve(X.T @ X + 0.7 * np.eye(p), X.T @ y)
            np.testing.assert_allclose(
                ridge_fit(X.astype(dtype), y.astype(dtype), 0.7),
                expected,
                rtol=rtol,
                atol=rtol,
            )
with expect("ridge_fit should accept nested lists of integers."):
    np.testing.assert_allclose(
        ridge_fit([[1, 0], [0, 1], [0, 0]], [2, 4, 7], 1), [1.0, 2.0], rtol=1e-12
    )
### END HIDDEN TESTS

# %% locked="advice_ridge_fit"
# Advice, not a test: this cell gives no points and takes none away.
import inspect

try:
    ridge_fit_source = inspect.getsource(ridge_fit)
except (OSError, TypeError):  # defined in a way inspect cannot read back
    ridge_fit_source = ""
if "inv(" in ridge_fit_source:
    print(
        "Advice: your ridge_fit forms an inverse matrix (inv or pinv). Its weights "
        "are right here, but np.linalg.solve(A, b) finds them without the "
        "inverse, faster and more accurately when A is nearly singular."
    )

# %% [markdown] locked="md_ridge_fit_intercept"
# ## 2. An intercept the penalty leaves alone
#
# Models usually have an intercept $b$: $\hat y = X\mathbf w + b$. It is not
# penalized, because shrinking it would pull every prediction towards zero,
# whatever the data, and make the fit depend on where the origin of $y$
# happens to be. Write `ridge_fit_intercept(X, y, lam)`, minimizing
# $\lVert X\mathbf w + b - \mathbf y\rVert^2 + \lambda\lVert\mathbf w\rVert^2$
# over $\mathbf w$ and $b$. Return the tuple `(w, b)` with `b` a float.
#
# Hint: for fixed $\mathbf w$ the best $b$ is $\bar y - \bar{\mathbf x}\cdot
# \mathbf w$ (the means of `y` and of the columns of `X`); putting that back
# turns the problem into ridge on centred data.


# %% solution="ridge_fit_intercept"
def ridge_fit_intercept(
    X: ArrayLike, y: ArrayLike, lam: float
) -> tuple[np.ndarray, float]:
    """Ridge weights and an unpenalized intercept, as the pair (w, b).

    ``X`` is n x p, ``y`` has length n; only w is penalized. Returns w (a
    float array of length p) and b (a Python float); X and y are not modified.
    """
    ### BEGIN SOLUTION
    X = np.asarray(X, dtype=float)
    y = np.asarray(y, dtype=float)
    x_mean, y_mean = X.mean(axis=0), y.mean()
    Xc, yc = X - x_mean, y - y_mean
    w = np.linalg.solve(Xc.T @ Xc + lam * np.eye(X.shape[1]), Xc.T @ yc)
    return w, float(y_mean - x_mean @ w)
    ### END SOLUTION


# %% test="test_ridge_fit_intercept" points=3
"""Checks ridge_fit_intercept: an unpenalized intercept."""
w, b = ridge_fit_intercept([[-1.0], [1.0]], [9.0, 11.0], 0.0)
assert np.allclose(w, [1.0]) and np.isclose(b, 10.0), (
    f"lam = 0: the line through both points, w = [1], b = 10, not {w} and {b}"
)
w, b = ridge_fit_intercept([[-1.0], [1.0]], [9.0, 11.0], 2.0)
assert np.allclose(w, [0.5]) and np.isclose(b, 10.0), (
    "lam = 2 halves the slope (x^T x = 2), the intercept stays at the mean of y: "
    f"w = [0.5], b = 10, not {w} and {b}"
)
X_small, y_small = np.array([[0.0], [2.0]]), np.array([1.0, 5.0])
X_before, y_before = X_small.copy(), y_small.copy()
ridge_fit_intercept(X_small, y_small, 1.0)
assert np.array_equal(X_small, X_before) and np.array_equal(y_small, y_before), (
    f"ridge_fit_intercept must not modify X or y (centre copies): they became "
    f"{X_small.ravel()} and {y_small}"
)
### BEGIN HIDDEN TESTS
from l2course.checks import expect

rng = np.random.default_rng(4102)


def _ridge_intercept_by_augmenting(X, y, lam):
    A = np.column_stack([X, np.ones(len(X))])
    penalty = lam * np.eye(A.shape[1])
    penalty[-1, -1] = 0.0  # the intercept's column is not penalized
    solution = np.linalg.solve(A.T @ A + penalty, A.T @ y)
    return solution[:-1], solution[-1]


with expect("ridge_fit_intercept must not modify X or y."):
    X, y = rng.normal(size=(20, 3)), rng.normal(size=20)
    X_before, y_before = X.copy(), y.copy()
    ridge_fit_intercept(X, y, 0.5)
    np.testing.assert_array_equal(X, X_before)
    np.testing.assert_array_equal(y, y_before)
with expect(
    "ridge_fit_intercept should return a pair (w, b): w with one entry per "
    "column of X, b a single number."
):
    w, b = ridge_fit_intercept(rng.normal(size=(15, 4)), rng.normal(size=15), 1.0)
    assert np.shape(w) == (4,)
    assert np.ndim(b) == 0
with expect(
    "ridge_fit_intercept should leave the intercept unpenalized: adding 100 to "
    "every y must raise b by exactly 100 and leave w unchanged. A penalized "
    "intercept, or none at all, fails this."
):
    X, y = rng.normal(size=(20, 3)), rng.normal(size=20)
    w1, b1 = ridge_fit_intercept(X, y, 5.0)
    w2, b2 = ridge_fit_intercept(X, y + 100.0, 5.0)
    np.testing.assert_allclose(w2, w1, rtol=1e-7, atol=1e-9)
    np.testing.assert_allclose(b2 - b1, 100.0, rtol=1e-9)
with expect(
    "ridge_fit_intercept should not depend on where the columns of X are "
    "centred: shifting a column of X by a constant must leave w unchanged (b "
    "absorbs the shift). Centre X as well as y."
):
    X, y = rng.normal(size=(20, 3)), rng.normal(size=20)
    w1, b1 = ridge_fit_intercept(X, y, 2.0)
    w2, b2 = ridge_fit_intercept(X + np.array([5.0, -3.0, 10.0]), y, 2.0)
    np.testing.assert_allclose(w2, w1, rtol=1e-7, atol=1e-9)
with expect(
    "For a very large lam, ridge_fit_intercept should drive w to 0 and b to "
    "the mean of y, the best constant prediction."
):
    X, y = rng.normal(size=(20, 3)), 5.0 + rng.normal(size=20)
    w, b = ridge_fit_intercept(X, y, 1e9)
    np.testing.assert_allclose(w, 0.0, atol=1e-6, rtol=0)
    np.testing.assert_allclose(b, np.mean(y), rtol=1e-6)
with expect(
    "With lam = 0, ridge_fit_intercept should give ordinary least squares with "
    "an intercept."
):
    X, y = rng.normal(size=(30, 3)), 2.0 + rng.normal(size=30)
    coef = np.linalg.lstsq(np.column_stack([X, np.ones(30)]), y, rcond=None)[0]
    w, b = ridge_fit_intercept(X, y, 0.0)
    np.testing.assert_allclose(w, coef[:3], rtol=1e-8, atol=1e-10)
    np.testing.assert_allclose(b, coef[3], rtol=1e-8, atol=1e-10)
with expect(
    "ridge_fit_intercept should return b = mean(y) - mean(X, axis=0) @ w: "
    "when the columns of X do not have mean 0, b = mean(y) alone is wrong."
):
    X = rng.normal(size=(25, 2)) + np.array([3.0, -2.0])
    y = X @ np.array([1.0, 2.0]) + 4.0 + 0.1 * rng.normal(size=25)
    w, b = ridge_fit_intercept(X, y, 1.0)
    np.testing.assert_allclose(b, np.mean(y) - X.mean(axis=0) @ w, rtol=1e-8)
for n, p, dtype, rtol in [
    (12, 2, np.float64, 1e-8),
    (40, 5, np.float64, 1e-8),
    (40, 5, np.float32, 1e-3),
]:
    with expect(
        f"ridge_fit_intercept should give the right (w, b) for {dtype.__name__} "
        f"data of shape {n} x {p}."
    ):
        X, y = rng.normal(size=(n, p)) + 1.0, rng.normal(size=n) - 3.0
        w_ref, b_ref = _ridge_intercept_by_augmenting(X, y, 1.5)
        w, b = ridge_fit_intercept(X.astype(dtype), y.astype(dtype), 1.5)
        np.testing.assert_allclose(w, w_ref, rtol=rtol, atol=rtol)
        np.testing.assert_allclose(b, b_ref, rtol=rtol, atol=rtol)
with expect("ridge_fit_intercept should accept nested lists of integers."):
    w, b = ridge_fit_intercept([[0], [2]], [1, 5], 0)
    np.testing.assert_allclose(w, [2.0], rtol=1e-12)
    np.testing.assert_allclose(b, 1.0, rtol=1e-12)
### END HIDDEN TESTS

# %% [markdown] locked="md_map_estimate"
# ## 3. The same answer from a prior
#
# Suppose $\mathbf y = X\mathbf w + \text{noise}$ with independent Gaussian
# noise of variance $\sigma^2$ (`noise_var`), and a Gaussian prior on the
# weights, $\mathbf w \sim \mathcal N(0, \tau^2 I)$ (`prior_var`). The most
# probable weights given the data (the MAP estimate) maximize
#
# $$
# -\frac{1}{2\sigma^2}\lVert X\mathbf w - \mathbf y\rVert^2
# -\frac{1}{2\tau^2}\lVert\mathbf w\rVert^2 .
# $$
#
# Multiply by $-2\sigma^2$ to see which $\lambda$ this ridge problem has.
# Write `map_estimate(X, y, noise_var, prior_var)`.


# %% solution="map_estimate"
def map_estimate(
    X: ArrayLike, y: ArrayLike, noise_var: float, prior_var: float
) -> np.ndarray:
    """The MAP weights for y ~ N(X w, noise_var I) under the prior N(0, prior_var I).

    Both variances are positive. Returns a float array of length p; X and y
    are not modified.
    """
    ### BEGIN SOLUTION
    X = np.asarray(X, dtype=float)
    y = np.asarray(y, dtype=float)
    lam = noise_var / prior_var
    return np.linalg.solve(X.T @ X + lam * np.eye(X.shape[1]), X.T @ y)
    ### END SOLUTION


# %% test="test_map_estimate" points=2
"""Checks map_estimate on two cases you can work out by hand."""
X_small = np.array([[1.0, 0.0], [0.0, 1.0]])
got = map_estimate(X_small, [2.0, 4.0], 1.0, 1.0)
assert np.allclose(got, [1.0, 2.0]), (
    f"equal variances: each weight halves, [1, 2], not {got}"
)
got = map_estimate(X_small, [3.0, 3.0], 2.0, 1.0)
assert np.allclose(got, [1.0, 1.0]), (
    f"noise variance 2, prior variance 1: [1, 1], not {got}"
)
y_small = np.array([2.0, 4.0])
X_before, y_before = X_small.copy(), y_small.copy()
map_estimate(X_small, y_small, 1.0, 1.0)
assert np.array_equal(X_small, X_before) and np.array_equal(y_small, y_before), (
    f"map_estimate must not modify X or y: they became {X_small} and {y_small}"
)
### BEGIN HIDDEN TESTS
from l2course.checks import expect

rng = np.random.default_rng(4103)
with expect("map_estimate must not modify X or y."):
    X, y = rng.normal(size=(20, 3)), rng.normal(size=20)
    X_before, y_before = X.copy(), y.copy()
    map_estimate(X, y, 0.5, 2.0)
    np.testing.assert_array_equal(X, X_before)
    np.testing.assert_array_equal(y, y_before)
with expect("map_estimate should return one weight per column of X (here 4)."):
    assert np.shape(
        map_estimate(rng.normal(size=(15, 4)), rng.normal(size=15), 1.0, 1.0)
    ) == (4,)
with expect(
    "map_estimate should shrink less when the prior is broader: a larger "
    "prior_var means a weaker penalty, so lam = noise_var / prior_var (not the "
    "other way round)."
):
    X, y = rng.normal(size=(20, 3)), rng.normal(size=20)
    assert np.linalg.norm(map_estimate(X, y, 1.0, 10.0)) > np.linalg.norm(
        map_estimate(X, y, 1.0, 0.1)
    )
with expect(
    "map_estimate should shrink more when the data are noisier: a larger "
    "noise_var means a stronger penalty."
):
    X, y = rng.normal(size=(20, 3)), rng.normal(size=20)
    assert np.linalg.norm(map_estimate(X, y, 10.0, 1.0)) < np.linalg.norm(
        map_estimate(X, y, 0.1, 1.0)
    )
with expect(
    "map_estimate should depend only on the ratio noise_var / prior_var: "
    "multiplying both by the same number must not change it."
):
    X, y = rng.normal(size=(20, 3)), rng.normal(size=20)
    np.testing.assert_allclose(
        map_estimate(X, y, 0.3, 2.0), map_estimate(X, y, 3.0, 20.0), rtol=1e-9
    )
with expect(
    "map_estimate should maximize the log posterior: a numerical maximization "
    "finds other weights. The 1/2 in both terms of the log posterior cancels, "
    "so lam has no factor 2 or 1/2."
):
    from scipy.optimize import minimize

    X, y = rng.normal(size=(25, 4)), rng.normal(size=25)

    def _neg_log_posterior(w):
        r = y - X @ w
        return r @ r / (2 * 0.8) + w @ w / (2 * 0.5)

    def _its_gradient(w):
        return -X.T @ (y - X @ w) / 0.8 + w / 0.5

    found = minimize(
        _neg_log_posterior,
        np.zeros(4),
        jac=_its_gradient,
        method="BFGS",
        options={"gtol": 1e-12, "maxiter": 10_000},
    )
    np.testing.assert_allclose(
        map_estimate(X, y, 0.8, 0.5), found.x, rtol=1e-6, atol=1e-8
    )
with expect(
    "With a very broad prior (prior_var huge), map_estimate should approach "
    "ordinary least squares."
):
    X, y = rng.normal(size=(30, 3)), rng.normal(size=30)
    np.testing.assert_allclose(
        map_estimate(X, y, 1.0, 1e12),
        np.linalg.lstsq(X, y, rcond=None)[0],
        rtol=1e-6,
        atol=1e-8,
    )
with expect("map_estimate should accept nested lists and float32 data."):
    np.testing.assert_allclose(
        map_estimate([[1, 0], [0, 1]], [3, 6], 2, 1), [1.0, 2.0], rtol=1e-12
    )
    X, y = rng.normal(size=(20, 3)), rng.normal(size=20)
    np.testing.assert_allclose(
        map_estimate(X.astype(np.float32), y.astype(np.float32), 1.0, 4.0),
        np.linalg.solve(X.T @ X + 0.25 * np.eye(3), X.T @ y),
        rtol=1e-3,
        atol=1e-4,
    )
### END HIDDEN TESTS

# %% [markdown] locked="md_shrinkage_factors"
# ## 4. How much each direction is shrunk
#
# Write $X = U D V^\top$ (its singular value decomposition) with singular
# values $d_1 \ge d_2 \ge \dots$. Ridge's fitted values are
# $X\mathbf w = \sum_j u_j \frac{d_j^2}{d_j^2 + \lambda} u_j^\top \mathbf y$:
# along the $j$-th direction of the data, ridge keeps the fraction
# $d_j^2/(d_j^2 + \lambda)$ of the least-squares fit. Directions in which the
# data vary little (small $d_j$) are shrunk most.
#
# Write `shrinkage_factors(X, lam)`: these fractions, one per singular value
# (there are $\min(n, p)$ of them), largest $d$ first.
# `np.linalg.svd(X, compute_uv=False)` gives the singular values in that order.


# %% solution="shrinkage_factors"
def shrinkage_factors(X: ArrayLike, lam: float) -> np.ndarray:
    """The fraction of the least-squares fit that ridge keeps along each direction.

    One factor per singular value of ``X``, largest singular value first: a
    float array of length min(n, p) for an n x p ``X``. lam > 0, or lam = 0
    with X of full rank. X is not modified.
    """
    ### BEGIN SOLUTION
    d = np.linalg.svd(np.asarray(X, dtype=float), compute_uv=False)
    return d**2 / (d**2 + lam)
    ### END SOLUTION


# %% test="test_shrinkage_factors" points=2
"""Checks shrinkage_factors: one factor per singular value, largest first."""
got = shrinkage_factors(np.eye(3), 1.0)
assert np.allclose(got, [0.5, 0.5, 0.5]), (
    f"every singular value of I is 1: 1 / (1 + 1) each, not {got}"
)
got = shrinkage_factors(np.diag([3.0, 1.0]), 1.0)
assert np.allclose(got, [0.9, 0.5]), (
    f"d = 3 keeps 9 / 10, d = 1 keeps 1 / 2: [0.9, 0.5], not {got}"
)
X_small = np.diag([3.0, 1.0])
before = X_small.copy()
shrinkage_factors(X_small, 1.0)
assert np.array_equal(X_small, before), (
    f"shrinkage_factors must not modify X: it became {X_small}"
)
### BEGIN HIDDEN TESTS
from l2course.checks import expect

rng = np.random.default_rng(4104)
with expect("shrinkage_factors must not modify X."):
    X = rng.normal(size=(10, 3))
    before = X.copy()
    shrinkage_factors(X, 1.0)
    np.testing.assert_array_equal(X, before)
with expect(
    "shrinkage_factors should return min(n, p) factors, one per singular "
    "value: 3 for a 10 x 3 X and 4 for a 4 x 9 X."
):
    assert np.shape(shrinkage_factors(rng.normal(size=(10, 3)), 1.0)) == (3,)
    assert np.shape(shrinkage_factors(rng.normal(size=(4, 9)), 1.0)) == (4,)
with expect(
    "shrinkage_factors should list the factors for the largest singular value "
    "first, so they never increase along the array."
):
    f = np.asarray(shrinkage_factors(rng.normal(size=(20, 5)) * [5, 1, 3, 0.5, 2], 2.0))
    assert np.all(np.diff(f) <= 1e-12)
with expect(
    "shrinkage_factors should be the fraction KEPT, d**2 / (d**2 + lam): "
    "between 0 and 1, close to 1 for directions with large d."
):
    f = np.asarray(shrinkage_factors(np.diag([100.0, 1.0]), 1.0))
    assert np.all((f > 0) & (f <= 1))
    assert f[0] > 0.99
with expect(
    "shrinkage_factors should use the squared singular values, d**2 / "
    "(d**2 + lam), where d are the singular values of X (the eigenvalues of "
    "X^T X are already d**2)."
):
    np.testing.assert_allclose(
        shrinkage_factors(np.diag([2.0, 0.5]), 1.0), [0.8, 0.2], rtol=1e-10
    )
with expect(
    "With lam = 0 and X of full rank, every one of the shrinkage_factors should be 1."
):
    np.testing.assert_allclose(
        shrinkage_factors(rng.normal(size=(10, 4)), 0.0), np.ones(4), rtol=1e-10
    )
with expect("Every one of the shrinkage_factors should fall as lam grows."):
    X = rng.normal(size=(10, 4))
    low = np.asarray(shrinkage_factors(X, 0.5))
    high = np.asarray(shrinkage_factors(X, 5.0))
    assert np.all(high < low)
from sklearn.linear_model import Ridge

for n, p in [(12, 4), (30, 7), (5, 8)]:
    with expect(
        f"shrinkage_factors should be the fraction of the least-squares fit that "
        f"ridge keeps along each singular direction u_j of a {n} x {p} X: "
        f"u_j . (ridge's fitted values) / u_j . y, by scikit-learn's Ridge."
    ):
        X, y = rng.normal(size=(n, p)), rng.normal(size=n)
        U = np.linalg.svd(X, full_matrices=False)[0]
        fitted = Ridge(alpha=2.5, fit_intercept=False, solver="svd").fit(X, y)
        kept = (U.T @ fitted.predict(X)) / (U.T @ y)
        np.testing.assert_allclose(
            shrinkage_factors(X, 2.5), kept, rtol=1e-6, atol=1e-9
        )
with expect("shrinkage_factors should accept nested lists and float32 arrays."):
    np.testing.assert_allclose(
        shrinkage_factors([[2, 0], [0, 1]], 1), [0.8, 0.5], rtol=1e-12
    )
    X = rng.normal(size=(10, 3))
    d = np.linalg.svd(X, compute_uv=False)
    np.testing.assert_allclose(
        shrinkage_factors(X.astype(np.float32), 1.0), d**2 / (d**2 + 1.0), rtol=1e-4
    )
### END HIDDEN TESTS

# %% [markdown] locked="md_effective_dof"
# ## 5. Effective degrees of freedom
#
# Least squares with $p$ independent columns uses $p$ parameters. Ridge uses
# fewer, in a sense made precise by the *effective degrees of freedom*: the
# sum of the shrinkage factors. It is $\min(n, p)$ at $\lambda = 0$ (for $X$
# of full rank) and falls towards 0 as $\lambda$ grows. It is a handy scale on
# which to compare values of $\lambda$. Write `effective_dof(X, lam)`.


# %% solution="effective_dof"
def effective_dof(X: ArrayLike, lam: float) -> float:
    """The effective degrees of freedom of ridge on ``X`` at strength ``lam``.

    Returns a Python float; X is not modified.
    """
    ### BEGIN SOLUTION
    d = np.linalg.svd(np.asarray(X, dtype=float), compute_uv=False)
    return float(np.sum(d**2 / (d**2 + lam)))
    ### END SOLUTION


# %% test="test_effective_dof" points=2
"""Checks effective_dof: the shrinkage factors added up."""
got = effective_dof(np.eye(4), 1.0)
assert np.isclose(got, 2.0), f"4 factors of 1/2: 2.0, not {got}"
got = effective_dof(np.diag([3.0, 1.0]), 1.0)
assert np.isclose(got, 1.4), f"0.9 + 0.5 = 1.4, not {got}"
X_small = np.diag([3.0, 1.0])
before = X_small.copy()
effective_dof(X_small, 1.0)
assert np.array_equal(X_small, before), (
    f"effective_dof must not modify X: it became {X_small}"
)
### BEGIN HIDDEN TESTS
from l2course.checks import expect

rng = np.random.default_rng(4105)
with expect("effective_dof must not modify X."):
    X = rng.normal(size=(10, 3))
    before = X.copy()
    effective_dof(X, 1.0)
    np.testing.assert_array_equal(X, before)
with expect("effective_dof should return a single number."):
    assert np.ndim(effective_dof(rng.normal(size=(10, 3)), 1.0)) == 0
with expect(
    "With lam = 0, effective_dof should equal the number of columns of a "
    "full-rank X with more rows than columns: nothing is shrunk."
):
    np.testing.assert_allclose(
        effective_dof(rng.normal(size=(20, 5)), 0.0), 5.0, rtol=1e-10
    )
with expect(
    "effective_dof should add up the factors (a sum, not a mean): for X = I "
    "of size 6 and lam = 1 it is 6 * 1/2 = 3."
):
    np.testing.assert_allclose(effective_dof(np.eye(6), 1.0), 3.0, rtol=1e-10)
with expect(
    "effective_dof should be the fraction KEPT, summed: it falls from min(n, p) "
    "towards 0 as lam grows, and never goes below 0 or above min(n, p)."
):
    X = rng.normal(size=(15, 4))
    dofs = [effective_dof(X, lam) for lam in np.logspace(-2, 4, 13)]
    assert np.all(np.diff(dofs) < 0)
    assert all(0 < dof < 4 for dof in dofs)
with expect(
    "effective_dof should use squared singular values: d**2 / (d**2 + lam), summed."
):
    np.testing.assert_allclose(effective_dof(np.diag([2.0, 0.5]), 1.0), 1.0, rtol=1e-10)
for n, p in [(12, 4), (30, 7), (5, 8)]:
    with expect(
        f"effective_dof should be the trace of the ridge hat matrix, "
        f"sum of d**2 / (d**2 + lam), for a {n} x {p} X."
    ):
        X = rng.normal(size=(n, p))
        d = np.linalg.svd(X, compute_uv=False)
        np.testing.assert_allclose(
            effective_dof(X, 1.7), np.sum(d**2 / (d**2 + 1.7)), rtol=1e-8
        )
with expect("effective_dof should accept nested lists and float32 arrays."):
    np.testing.assert_allclose(effective_dof([[2, 0], [0, 1]], 1), 1.3, rtol=1e-12)
    X = rng.normal(size=(10, 3))
    d = np.linalg.svd(X, compute_uv=False)
    np.testing.assert_allclose(
        effective_dof(X.astype(np.float32), 1.0), np.sum(d**2 / (d**2 + 1.0)), rtol=1e-4
    )
### END HIDDEN TESTS

# %% [markdown] locked="md_plot"
# ## Your functions at work
#
# The cell below uses only your functions, on made-up data with six columns,
# of which column 3 is almost a copy of column 0. On the left, the **ridge
# path**: your `ridge_fit` for 60 values of $\lambda$. At the smallest
# $\lambda$ the two near-copies ($w_0$ and $w_3$) get large weights of
# opposite signs: the data pin down only their sum, and noise decides the
# rest. A little penalty makes them share the load almost equally, and at
# large $\lambda$ every weight shrinks to 0. The black dots are your
# `map_estimate` with noise variance 0.25 and prior variance 0.05: they
# should sit on the curves at $\lambda = 0.25/0.05 = 5$.
#
# On the right, your `effective_dof` for the same $\lambda$s: about 6 at the
# left, then falling towards 0.

# %% locked="plot"
import matplotlib.pyplot as plt

rng = np.random.default_rng(1)
n = 50
base = rng.normal(size=(n, 3))
X = np.column_stack(
    [base, base[:, 0] + 0.02 * rng.normal(size=n), rng.normal(size=(n, 2))]
)
y = X @ np.array([2.0, -1.0, 0.5, 0.0, 1.0, 0.0]) + 0.5 * rng.normal(size=n)
lams = np.logspace(-3, 4, 60)
path = [ridge_fit(X, y, lam) for lam in lams]
noise_var, prior_var = 0.25, 0.05
w_map = map_estimate(X, y, noise_var, prior_var)
dofs = [effective_dof(X, lam) for lam in lams]

fig, (left, right) = plt.subplots(1, 2, figsize=(10, 3.8))
colours = plt.cm.tab10(np.arange(X.shape[1]))
for j, coefficient in enumerate(np.array(path).T):
    left.plot(lams, coefficient, color=colours[j], lw=1.6, label=f"$w_{j}$")
lam_map = noise_var / prior_var
left.scatter(
    np.full(X.shape[1], lam_map),
    w_map,
    color="black",
    s=22,
    zorder=3,
    label="your map_estimate",
)
left.axhline(0.0, color="#888888", lw=0.8)
left.set_xscale("log")
left.set_xlabel(r"$\lambda$ (log scale)")
left.set_ylabel("coefficient")
left.set_title("ridge path by your ridge_fit")
left.legend(loc="upper right", fontsize=7, ncol=2)
right.plot(lams, dofs, color="#2ca02c", lw=2, label="your effective dof")
right.axhline(
    X.shape[1],
    color="#888888",
    ls="--",
    lw=1,
    label=f"number of columns ({X.shape[1]})",
)
right.set_xscale("log")
right.set_ylim(0, X.shape[1] * 1.1)
right.set_xlabel(r"$\lambda$ (log scale)")
right.set_ylabel("effective degrees of freedom")
right.set_title("how many parameters the fit really uses")
right.legend(loc="lower left", fontsize=8)
fig.tight_layout()
plt.show()
