# Source of exercises/a5_choosing_lambda/a5_choosing_lambda.ipynb.
# Edit this file, then run `make exercises` (format: exercises/README.md).
# Solutions and hidden tests live here: never give this file to students.

# %% [markdown] locked="intro"
# # Assignment 5: choosing λ
#
# A penalty is only as good as its strength. In this assignment you choose
# $\lambda$ the way practitioners do, by cross-validation: you cut the data
# into folds, measure the validation error of ridge regression for each
# $\lambda$, and apply the one-standard-error rule. Then you translate
# $\lambda$ between the conventions you will meet: PyTorch's `weight_decay`,
# scikit-learn's `alpha`, and the variances of a Gaussian prior.
#
# It practises the chapters {chapter:choosing-lambda}, {chapter:optimizers},
# {chapter:l1-sparsity} and {chapter:bayesian}.
#
# **Convention.** The course's ridge regression minimizes the *summed*
# squared error plus the penalty, $\lVert \mathbf y - X\mathbf w\rVert^2 +
# \lambda\lVert\mathbf w\rVert^2$, with no $\tfrac12$ and no mean. Other
# libraries divide the data term by $n$, or put a $\tfrac12$ in front: the
# same model then has another number for $\lambda$.
#
# **How to work.** Replace each `raise NotImplementedError()` with your code,
# run the cell, then the test cell under it. A test that fails says what your
# function returned. More tests run when your work is graded. `X` is an
# $n \times p$ array (rows are examples), `y` has length $n$; no function may
# modify the arrays it is given. Before you hand in, restart the kernel and
# run all cells (or press *Validate*). The notebook needs only NumPy and
# Matplotlib, so it runs in any Jupyter, Colab included.

# %% locked="setup"
import numpy as np
from numpy.typing import ArrayLike

# %% [markdown] locked="md_ridge"
# The cell below is given: `ridge(X, y, lam)` returns the ridge weights
# (no intercept) in the course's convention. Use it in `cv_error`.


# %% locked="ridge"
def ridge(X: ArrayLike, y: ArrayLike, lam: float) -> np.ndarray:
    """Weights minimizing ||y - X w||^2 + lam ||w||^2, with no intercept."""
    X = np.asarray(X, dtype=float)
    y = np.asarray(y, dtype=float)
    return np.linalg.solve(X.T @ X + lam * np.eye(X.shape[1]), X.T @ y)


# %% [markdown] locked="md_kfold_indices"
# ## 1. Folds
#
# Write `kfold_indices(n, k, seed)`. Shuffle the row numbers
# $0, 1, \dots, n-1$ with `np.random.default_rng(seed).permutation(n)`, and
# cut that order into $k$ consecutive pieces whose sizes differ by at most 1
# (`np.array_split` does this). Piece $i$ is the validation set of fold $i$;
# its training set is every other row. Return the list of $k$ pairs
# `(train, validation)` of integer arrays, in the order of the pieces.
#
# Cross-validation needs at least two folds and at least one row per fold:
# raise a `ValueError` unless $2 \le k \le n$.


# %% solution="kfold_indices"
def kfold_indices(n: int, k: int, seed: int) -> list[tuple[np.ndarray, np.ndarray]]:
    """k (train, validation) pairs of integer index arrays over range(n).

    The validation sets, in order, are consecutive pieces of the permutation
    that np.random.default_rng(seed) gives; their sizes differ by at most 1.
    Each training set holds the rows not in its validation set. Raises
    ValueError unless 2 <= k <= n.
    """
    ### BEGIN SOLUTION
    if not 2 <= k <= n:
        raise ValueError(f"need 2 <= k <= n, got k = {k} and n = {n}")
    order = np.random.default_rng(seed).permutation(n)
    pieces = np.array_split(order, k)
    return [
        (np.concatenate(pieces[:i] + pieces[i + 1 :]), piece)
        for i, piece in enumerate(pieces)
    ]
    ### END SOLUTION


# %% test="test_kfold_indices" points=3
"""Checks kfold_indices: a shuffled partition into k folds, and its ValueError."""
folds = kfold_indices(5, 2, 0)
assert len(folds) == 2, f"kfold_indices(5, 2, 0) should give 2 folds, not {len(folds)}"
sizes = sorted(len(validation) for _, validation in folds)
assert sizes == [2, 3], (
    f"5 rows in 2 folds: validation sets of 2 and 3 rows, not {sizes}"
)
rows = sorted(int(i) for _, validation in folds for i in validation)
assert rows == [0, 1, 2, 3, 4], (
    f"every row should be in exactly one validation set; they hold {rows}"
)
train, validation = folds[0]
assert sorted(int(i) for i in train) == sorted(set(range(5)) - set(validation)), (
    f"fold 0's training rows should be the rows not in {validation}, not {train}"
)
shuffled = list(np.concatenate([validation for _, validation in folds]))
generator = np.random.default_rng(0)
expected = list(generator.permutation(5))
assert shuffled == expected, (
    f"the validation sets, in order, should be {expected} cut into pieces, "
    f"not {shuffled}"
)
try:
    kfold_indices(3, 1, 0)
except ValueError:
    pass
else:
    raise AssertionError("kfold_indices(3, 1, 0) should raise ValueError (k < 2)")
### BEGIN HIDDEN TESTS
from numpy.random import PCG64, Generator
from sklearn.model_selection import KFold

from l2course.checks import expect, expect_raises

for n, k, seed in [(10, 3, 1), (23, 5, 7), (7, 7, 3), (100, 10, 42), (2, 2, 0)]:
    with expect(
        f"kfold_indices({n}, {k}, {seed}) should give {k} folds whose validation "
        f"sets partition range({n}): each row in exactly one validation set."
    ):
        folds = kfold_indices(n, k, seed)
        assert len(folds) == k
        rows = np.concatenate([np.asarray(v) for _, v in folds])
        np.testing.assert_array_equal(np.sort(rows), np.arange(n))
    with expect(
        f"kfold_indices({n}, {k}, {seed}) should make validation sets whose sizes "
        f"differ by at most 1: the same sizes as scikit-learn's KFold."
    ):
        mine = sorted(len(v) for _, v in folds)
        theirs = sorted(len(v) for _, v in KFold(n_splits=k).split(np.zeros(n)))
        assert mine == theirs
    with expect(
        f"In kfold_indices({n}, {k}, {seed}), each training set should hold "
        f"exactly the rows that are not in its validation set, each once."
    ):
        for train, validation in folds:
            train = np.asarray(train)
            assert len(train) + len(validation) == n
            np.testing.assert_array_equal(
                np.sort(np.concatenate([train, np.asarray(validation)])), np.arange(n)
            )
    with expect(
        f"kfold_indices({n}, {k}, {seed}) should shuffle with "
        f"np.random.default_rng({seed}).permutation({n}): the validation sets, "
        f"in order, must be consecutive pieces of that permutation."
    ):
        rows = np.concatenate([np.asarray(v) for _, v in folds])
        # default_rng(seed) is documented as Generator(PCG64(seed)).
        np.testing.assert_array_equal(rows, Generator(PCG64(seed)).permutation(n))
with expect(
    "kfold_indices should give the same folds for the same seed and different "
    "folds for different seeds."
):
    first = [np.asarray(v) for _, v in kfold_indices(30, 3, 5)]
    again = [np.asarray(v) for _, v in kfold_indices(30, 3, 5)]
    other = [np.asarray(v) for _, v in kfold_indices(30, 3, 6)]
    assert all(np.array_equal(a, b) for a, b in zip(first, again, strict=True))
    assert not all(np.array_equal(a, b) for a, b in zip(first, other, strict=True))
with expect("kfold_indices should return integer index arrays."):
    for train, validation in kfold_indices(12, 4, 0):
        assert np.issubdtype(np.asarray(train).dtype, np.integer)
        assert np.issubdtype(np.asarray(validation).dtype, np.integer)
for n, k, why in [(5, 1, "k = 1"), (5, 0, "k = 0"), (4, 5, "k > n"), (3, -2, "k < 0")]:
    with expect_raises(
        ValueError, f"kfold_indices({n}, {k}, 0) should raise ValueError ({why})."
    ):
        kfold_indices(n, k, 0)
### END HIDDEN TESTS

# %% [markdown] locked="md_cv_error"
# ## 2. The cross-validation error
#
# Write `cv_error(X, y, lam, folds)`. For each `(train, validation)` pair in
# `folds`, fit ridge on the training rows only (with the `ridge` function
# above), and compute the **mean** squared error of its predictions on the
# validation rows. Return the mean of these per-fold errors, as a float:
# every fold counts once, even when the folds differ in size.


# %% solution="cv_error"
def cv_error(X: ArrayLike, y: ArrayLike, lam: float, folds: list) -> float:
    """Mean over folds of ridge's validation mean squared error at lam.

    ``folds`` is a list of (train, validation) index arrays, as kfold_indices
    returns. Each fold's ridge weights come from its training rows only.
    Returns a Python float; X, y and folds are not modified.
    """
    ### BEGIN SOLUTION
    X = np.asarray(X, dtype=float)
    y = np.asarray(y, dtype=float)
    errors = []
    for train, validation in folds:
        w = ridge(X[train], y[train], lam)
        errors.append(np.mean((y[validation] - X[validation] @ w) ** 2))
    return float(np.mean(errors))
    ### END SOLUTION


# %% test="test_cv_error" points=3
"""Checks cv_error: ridge fitted on each training set, scored on its validation set."""
X_small = np.ones((4, 1))
y_small = np.array([1.0, 2.0, 3.0, 4.0])
folds_small = [
    (np.array([0, 1]), np.array([2, 3])),
    (np.array([2, 3]), np.array([0, 1])),
]
got = cv_error(X_small, y_small, 0.0, folds_small)
assert np.isclose(got, 4.25), (
    "fitting a constant on rows 0, 1 gives 1.5, whose squared errors on rows 2, 3 "
    f"are 2.25 and 6.25 (mean 4.25); the other fold mirrors it: 4.25, not {got}"
)
got = cv_error(X_small, y_small, 2.0, folds_small)
assert np.isclose(got, 4.0625), (
    "with lam = 2 the constants fitted are 3 / (2 + 2) = 0.75 and 7 / 4 = 1.75, "
    f"with validation errors 7.8125 and 0.3125: their mean is 4.0625, not {got}"
)
X_before, y_before = X_small.copy(), y_small.copy()
cv_error(X_small, y_small, 1.0, folds_small)
assert np.array_equal(X_small, X_before) and np.array_equal(y_small, y_before), (
    f"cv_error must not modify X or y; they are now {X_small.ravel()} and {y_small}"
)
### BEGIN HIDDEN TESTS
from sklearn.linear_model import Ridge
from sklearn.metrics import mean_squared_error

from l2course.checks import expect

rng = np.random.default_rng(5102)


def _by_sklearn(X, y, lam, folds):
    errors = []
    for train, validation in folds:
        model = Ridge(alpha=lam, fit_intercept=False, solver="svd").fit(
            X[train], y[train]
        )
        errors.append(mean_squared_error(y[validation], model.predict(X[validation])))
    return float(np.mean(errors))


def _folds(n, k):
    order = rng.permutation(n)
    pieces = np.array_split(order, k)
    return [
        (np.concatenate(pieces[:i] + pieces[i + 1 :]), p) for i, p in enumerate(pieces)
    ]


with expect("cv_error must not modify X, y or the folds."):
    X, y = rng.normal(size=(20, 3)), rng.normal(size=20)
    folds = _folds(20, 4)
    before = X.copy(), y.copy(), [(t.copy(), v.copy()) for t, v in folds]
    cv_error(X, y, 0.5, folds)
    np.testing.assert_array_equal(X, before[0])
    np.testing.assert_array_equal(y, before[1])
    for (t, v), (t0, v0) in zip(folds, before[2], strict=True):
        np.testing.assert_array_equal(t, t0)
        np.testing.assert_array_equal(v, v0)
with expect("cv_error should return a single number."):
    X, y = rng.normal(size=(12, 2)), rng.normal(size=12)
    assert np.ndim(cv_error(X, y, 1.0, _folds(12, 3))) == 0
with expect(
    "cv_error should score each fold on its VALIDATION rows with weights fitted "
    "on its TRAINING rows only: it should agree with scikit-learn's "
    "Ridge(alpha=lam, fit_intercept=False) fitted fold by fold."
):
    X = rng.normal(size=(30, 4))
    y = X @ [1.0, -2.0, 0.0, 0.5] + rng.normal(size=30)
    folds = _folds(30, 5)
    np.testing.assert_allclose(
        cv_error(X, y, 3.0, folds), _by_sklearn(X, y, 3.0, folds), rtol=1e-8
    )
with expect(
    "cv_error should give every fold the same weight: the mean of the per-fold "
    "mean squared errors, not the squared errors of all rows pooled (they "
    "differ when the folds differ in size)."
):
    X = rng.normal(size=(11, 2))
    y = X @ [2.0, -1.0] + rng.normal(size=11)
    folds = _folds(11, 3)
    np.testing.assert_allclose(
        cv_error(X, y, 0.7, folds), _by_sklearn(X, y, 0.7, folds), rtol=1e-8
    )
with expect(
    "cv_error should be a MEAN squared error (not a sum, and not its square "
    "root): with more validation rows per fold the error must stay the same size."
):
    X = rng.normal(size=(200, 3))
    y = X @ [1.0, 1.0, 1.0] + 0.5 * rng.normal(size=200)
    folds = _folds(200, 4)
    np.testing.assert_allclose(
        cv_error(X, y, 0.1, folds), _by_sklearn(X, y, 0.1, folds), rtol=1e-8
    )
for lam in (0.0, 0.3, 10.0, 1e4):
    with expect(f"cv_error should match ridge fitted fold by fold at lam = {lam:g}."):
        X = rng.normal(size=(25, 5))
        y = X @ rng.normal(size=5) + rng.normal(size=25)
        folds = _folds(25, 5)
        np.testing.assert_allclose(
            cv_error(X, y, lam, folds), _by_sklearn(X, y, lam, folds), rtol=1e-7
        )
with expect("cv_error should accept nested lists for X and y and lists of indices."):
    got = cv_error(
        [[1], [1], [1], [1]], [1, 2, 3, 4], 0, [([0, 1], [2, 3]), ([2, 3], [0, 1])]
    )
    np.testing.assert_allclose(got, 4.25, rtol=1e-12)
### END HIDDEN TESTS

# %% [markdown] locked="md_one_se_lambda"
# ## 3. The one-standard-error rule
#
# The $\lambda$ with the smallest cross-validation error is only an estimate:
# with other folds another $\lambda$ might win. The one-standard-error rule
# prefers the simplest model that is not clearly worse. Here the simplest is
# the one with the **largest** $\lambda$.
#
# Write `one_se_lambda(lams, fold_errors)`. Row $i$ of `fold_errors` (shape
# `(len(lams), k)`) holds the $k$ validation errors of `lams[i]`, one per
# fold. Find the $\lambda$ with the smallest mean error, and the standard
# error of that mean: the standard deviation of its $k$ fold errors with
# `ddof=1`, divided by $\sqrt{k}$. Return the largest $\lambda$ whose mean
# error is at most the smallest mean plus that standard error. `lams` need
# not be sorted.


# %% solution="one_se_lambda"
def one_se_lambda(lams: ArrayLike, fold_errors: ArrayLike) -> float:
    """The largest lam whose mean fold error is within one standard error of the best.

    ``fold_errors`` has shape (len(lams), k): row i holds the k fold errors
    of lams[i]. The standard error is that of the best lam's fold errors
    (ddof = 1). ``lams`` may be in any order. Returns a Python float; the
    inputs are not modified.
    """
    ### BEGIN SOLUTION
    lams = np.asarray(lams, dtype=float)
    errors = np.asarray(fold_errors, dtype=float)
    means = errors.mean(axis=1)
    best = int(np.argmin(means))
    standard_error = errors[best].std(ddof=1) / np.sqrt(errors.shape[1])
    return float(np.max(lams[means <= means[best] + standard_error]))
    ### END SOLUTION


# %% test="test_one_se_lambda" points=3
"""Checks one_se_lambda: the largest lam within one standard error of the best."""
lams_small = np.array([0.1, 1.0, 10.0, 100.0])
errors_small = np.array(
    [
        [1.2, 1.2, 1.2, 1.2],
        [1.0, 1.2, 0.8, 1.0],
        [1.05, 1.05, 1.05, 1.05],
        [1.1, 1.1, 1.1, 1.1],
    ]
)
got = one_se_lambda(lams_small, errors_small)
assert np.isclose(got, 10.0), (
    "the best mean is 1.0 (lam = 1), its standard error is 0.082, and lam = 10 "
    f"(mean 1.05) is the largest within 1.082: 10, not {got}"
)
got = one_se_lambda(lams_small[::-1], errors_small[::-1])
assert np.isclose(got, 10.0), f"the same values in reverse order: 10, not {got}"
lams_before, errors_before = lams_small.copy(), errors_small.copy()
one_se_lambda(lams_small, errors_small)
assert np.array_equal(lams_small, lams_before), (
    f"one_se_lambda must not modify lams (sort a copy); lams is now {lams_small}"
)
assert np.array_equal(errors_small, errors_before), (
    f"one_se_lambda must not modify fold_errors; it is now {errors_small}"
)
### BEGIN HIDDEN TESTS
import statistics

from l2course.checks import expect

rng = np.random.default_rng(5103)


def _one_se_by_loops(lams, fold_errors):
    """The rule, written with plain Python and the statistics module."""
    rows = [list(map(float, row)) for row in fold_errors]
    means = [sum(row) / len(row) for row in rows]
    best = min(range(len(means)), key=means.__getitem__)
    limit = means[best] + statistics.stdev(rows[best]) / len(rows[best]) ** 0.5
    return max(
        float(lam) for lam, mean in zip(lams, means, strict=True) if mean <= limit
    )


def _curve(lams, k):
    """Fold errors with a U-shaped mean in log(lam) and noise per fold."""
    centre = rng.uniform(-1, 1)
    means = 1 + 0.3 * (np.log10(lams) - centre) ** 2
    return means[:, None] + 0.2 * rng.normal(size=(len(lams), k))


with expect("one_se_lambda must not modify lams or fold_errors."):
    lams = rng.permutation(np.logspace(-2, 2, 9))
    errors = _curve(np.sort(lams), 5)
    before = lams.copy(), errors.copy()
    one_se_lambda(lams, errors)
    np.testing.assert_array_equal(lams, before[0])
    np.testing.assert_array_equal(errors, before[1])
with expect("one_se_lambda should return a single number, one of the lams."):
    lams = np.logspace(-2, 2, 9)
    got = one_se_lambda(lams, _curve(lams, 5))
    assert np.ndim(got) == 0
    assert np.any(np.isclose(got, lams, rtol=1e-12))
with expect(
    "one_se_lambda should return the LARGEST lam within one standard error of "
    "the best mean, not the smallest and not the best lam itself."
):
    lams = np.array([0.01, 0.1, 1.0, 10.0])
    errors = np.array([[1.1, 1.3], [1.0, 1.2], [1.05, 1.25], [2.0, 2.0]])
    assert np.isclose(one_se_lambda(lams, errors), _one_se_by_loops(lams, errors))
with expect(
    "one_se_lambda should use the standard error of the best lam's fold errors, "
    "std(ddof=1) / sqrt(k): not the plain standard deviation, not ddof = 0, "
    "and not the spread of the means."
):
    lams = np.array([1.0, 2.0, 3.0, 4.0, 5.0])
    errors = np.array(
        [
            [1.0, 1.0, 1.0, 1.0],
            [0.8, 1.2, 0.8, 1.2],
            [1.1, 1.1, 1.1, 1.1],
            [1.2, 1.2, 1.2, 1.2],
            [1.3, 1.3, 1.3, 1.3],
        ]
    )
    # Means 1.0 1.0 1.1 1.2 1.3; the first row wins, with standard error 0.
    assert one_se_lambda(lams, errors) == _one_se_by_loops(lams, errors) == 2.0
    errors[0] = [0.8, 1.2, 0.8, 1.1]  # the best now: mean 0.975, se 0.1031
    assert np.isclose(one_se_lambda(lams, errors), _one_se_by_loops(lams, errors))
    errors[0] = [0.7, 1.2, 0.7, 1.2]  # mean 0.95, std 0.2887 (ddof 1), se 0.1443
    assert np.isclose(one_se_lambda(lams, errors), _one_se_by_loops(lams, errors))
with expect(
    "one_se_lambda should count a mean exactly one standard error above the "
    "best: 'at most' includes equality."
):
    lams = np.array([1.0, 2.0])
    errors = np.array([[0.5, 1.5], [1.5, 1.5]])  # mean 1, se 0.5: limit 1.5 exactly
    assert one_se_lambda(lams, errors) == 2.0
with expect(
    "one_se_lambda should not depend on the order of lams: pick by value, not "
    "by position (lams need not be sorted)."
):
    lams = np.logspace(-3, 3, 13)
    errors = _curve(lams, 10)
    shuffle = rng.permutation(13)
    np.testing.assert_allclose(
        one_se_lambda(lams[shuffle], errors[shuffle]),
        _one_se_by_loops(lams, errors),
        rtol=1e-12,
    )
for k in (3, 5, 10):
    with expect(f"one_se_lambda should follow the rule on random curves with k = {k}."):
        for _ in range(5):
            lams = rng.permutation(np.logspace(-2, 3, 11))
            errors = _curve(lams, k)
            np.testing.assert_allclose(
                one_se_lambda(lams, errors), _one_se_by_loops(lams, errors), rtol=1e-12
            )
with expect("one_se_lambda should accept nested lists."):
    assert one_se_lambda([1, 2], [[0.5, 1.5], [1.5, 1.5]]) == 2.0
### END HIDDEN TESTS

# %% [markdown] locked="md_torch_weight_decay_to_lambda"
# ## 4. PyTorch's `weight_decay`
#
# PyTorch's `torch.optim.SGD(params, lr, weight_decay=wd)` adds `wd * w` to
# the gradient of the loss before each step. Write
# `torch_weight_decay_to_lambda(weight_decay)`: the course's $\lambda$ that
# makes a gradient step on $L(\mathbf w) + \lambda\lVert\mathbf w\rVert^2$
# the same step. (Differentiate the penalty first.)


# %% solution="torch_weight_decay_to_lambda"
def torch_weight_decay_to_lambda(weight_decay: float) -> float:
    """The course's lam for PyTorch SGD's weight_decay, as a Python float.

    lam is the strength of the course's penalty (section 4 above);
    weight_decay >= 0.
    """
    ### BEGIN SOLUTION
    return float(weight_decay / 2)
    ### END SOLUTION


# %% test="test_torch_weight_decay_to_lambda" points=1
"""Checks torch_weight_decay_to_lambda against the step PyTorch takes."""
got = torch_weight_decay_to_lambda(0.01)
assert np.isclose(got, 0.005), (
    "weight_decay = 0.01 adds 0.01 w to the gradient, and the gradient of "
    f"lam ||w||^2 is 2 lam w: lam = 0.005, not {got}"
)
got = torch_weight_decay_to_lambda(0.0)
assert got == 0, f"no weight decay is no penalty: 0, not {got}"
### BEGIN HIDDEN TESTS
from l2course.checks import expect

rng = np.random.default_rng(5104)


def _torch_sgd_step(w, grad, lr, weight_decay):
    """torch.optim.SGD's documented update (no momentum): g = grad + wd * w."""
    return w - lr * (grad + weight_decay * w)


def _penalized_step(w, grad, lr, lam):
    """A gradient step on L + lam ||w||^2, the penalty differentiated numerically."""
    h = 1e-6
    penalty_grad = np.array(
        [
            (lam * np.sum((w + h * e) ** 2) - lam * np.sum((w - h * e) ** 2)) / (2 * h)
            for e in np.eye(len(w))
        ]
    )
    return w - lr * (grad + penalty_grad)


with expect("torch_weight_decay_to_lambda should return a single number."):
    assert np.ndim(torch_weight_decay_to_lambda(0.1)) == 0
with expect(
    "torch_weight_decay_to_lambda should give the lam whose gradient step on "
    "L + lam ||w||^2 is PyTorch's SGD step: PyTorch adds weight_decay * w to the "
    "gradient, and the penalty's gradient is 2 lam w (check the factor 2 and "
    "its direction)."
):
    for weight_decay in (1e-4, 5e-3, 0.1, 1.0):
        w, grad = rng.normal(size=(2, 5))
        lam = torch_weight_decay_to_lambda(weight_decay)
        np.testing.assert_allclose(
            _penalized_step(w, grad, 0.1, lam),
            _torch_sgd_step(w, grad, 0.1, weight_decay),
            rtol=1e-7,
            atol=1e-9,
        )
with expect(
    "torch_weight_decay_to_lambda should be proportional to weight_decay: "
    "doubling one doubles the other."
):
    np.testing.assert_allclose(
        torch_weight_decay_to_lambda(0.6),
        2 * torch_weight_decay_to_lambda(0.3),
        rtol=1e-12,
    )
with expect("torch_weight_decay_to_lambda should accept integers and NumPy numbers."):
    for weight_decay in (2, np.float32(0.5), np.float64(0.25)):
        lam = torch_weight_decay_to_lambda(weight_decay)
        w, grad = rng.normal(size=(2, 3))
        np.testing.assert_allclose(
            _penalized_step(w, grad, 0.05, lam),
            _torch_sgd_step(w, grad, 0.05, float(weight_decay)),
            rtol=1e-6,
            atol=1e-9,
        )
### END HIDDEN TESTS

# %% [markdown] locked="md_lasso_alpha"
# ## 5. scikit-learn's `alpha` for the lasso
#
# scikit-learn's `Lasso(alpha=...)` minimizes
# $\frac{1}{2n}\lVert \mathbf y - X\mathbf w\rVert^2 + \alpha\lVert\mathbf
# w\rVert_1$ over $n$ rows. The course's lasso minimizes
# $\lVert \mathbf y - X\mathbf w\rVert^2 + \lambda\lVert\mathbf w\rVert_1$.
# Write `lasso_alpha(lam, n)`: the `alpha` for which both have the same
# minimum. (Multiplying an objective by a positive number does not move its
# minimum.)


# %% solution="lasso_alpha"
def lasso_alpha(lam: float, n: int) -> float:
    """scikit-learn Lasso's alpha with the same solution as the course's lasso at lam.

    The course's lasso (summed squared error, section 5 above) is fitted on
    n rows. Returns a Python float.
    """
    ### BEGIN SOLUTION
    return float(lam / (2 * n))
    ### END SOLUTION


# %% test="test_lasso_alpha" points=2
"""Checks lasso_alpha: the same minimum as the course's lasso."""
got = lasso_alpha(10.0, 5)
assert np.isclose(got, 1.0), (
    f"divide the course's objective by 2n = 10: alpha = 10 / 10 = 1, not {got}"
)
got = lasso_alpha(3.0, 100)
assert np.isclose(got, 0.015), f"lasso_alpha(3, 100) should be 0.015, not {got}"
### BEGIN HIDDEN TESTS
from sklearn.linear_model import Lasso

from l2course.checks import expect

rng = np.random.default_rng(5105)


def _course_lasso_optimality_gap(X, y, w, lam):
    """How far w is from the optimality conditions of ||y - X w||^2 + lam ||w||_1.

    At the minimum, -2 X^T (y - X w) + lam * s = 0 for a subgradient s of |w|:
    s_j = sign(w_j) where w_j != 0, and |2 x_j^T (y - X w)| <= lam where w_j = 0.
    """
    pull = 2 * X.T @ (y - X @ w)
    active = w != 0
    gaps = np.where(
        active, np.abs(pull - lam * np.sign(w)), np.maximum(np.abs(pull) - lam, 0)
    )
    return float(np.max(gaps) / lam)


with expect("lasso_alpha should return a single number."):
    assert np.ndim(lasso_alpha(1.0, 10)) == 0
for n, lam in [(50, 20.0), (200, 100.0), (30, 5.0)]:
    with expect(
        f"lasso_alpha({lam:g}, {n}) should make scikit-learn's Lasso solve the "
        f"course's lasso: its weights fail the optimality conditions of "
        f"||y - X w||^2 + lam ||w||_1. Lasso's data term is divided by 2n."
    ):
        X = rng.normal(size=(n, 6))
        y = X @ [3.0, -2.0, 0.0, 0.0, 1.0, 0.0] + rng.normal(size=n)
        model = Lasso(
            alpha=lasso_alpha(lam, n), fit_intercept=False, tol=1e-12, max_iter=100_000
        ).fit(X, y)
        w = model.coef_
        assert np.any(w == 0) and np.any(w != 0)  # both kinds of condition checked
        assert _course_lasso_optimality_gap(X, y, w, lam) < 1e-4
with expect(
    "lasso_alpha should shrink as n grows (alpha scales the MEAN data term) and "
    "grow with lam."
):
    assert lasso_alpha(1.0, 100) < lasso_alpha(1.0, 10)
    assert lasso_alpha(2.0, 10) > lasso_alpha(1.0, 10)
with expect("lasso_alpha should accept integers and NumPy numbers."):
    np.testing.assert_allclose(lasso_alpha(4, 2), 1.0, rtol=1e-12)
    np.testing.assert_allclose(
        lasso_alpha(np.float32(8.0), np.int64(4)), 1.0, rtol=1e-6
    )
### END HIDDEN TESTS

# %% [markdown] locked="md_map_lambda"
# ## 6. λ from a prior
#
# Suppose $\mathbf y = X\mathbf w + \text{noise}$, with independent Gaussian
# noise of variance $\sigma^2$ (`noise_var`), and a Gaussian prior
# $\mathbf w \sim \mathcal N(0, \tau^2 I)$ (`prior_var`). The MAP estimate is
# the minimum of a penalized least-squares loss, data term plus
# $\lambda\lVert\mathbf w\rVert^2$. Write `map_lambda(noise_var, prior_var,
# n, mean_loss)`: that $\lambda$ when the data term is the *summed* squared
# error $\lVert \mathbf y - X\mathbf w\rVert^2$ (`mean_loss=False`), and when
# it is the *mean* squared error $\frac1n\lVert \mathbf y - X\mathbf
# w\rVert^2$ over $n$ rows (`mean_loss=True`). Start from the negative log
# posterior, and scale it until its data term is the one asked for.


# %% solution="map_lambda"
def map_lambda(noise_var: float, prior_var: float, n: int, mean_loss: bool) -> float:
    """The lam for which penalized least squares gives the MAP estimate.

    Model y ~ N(X w, noise_var I) over n rows, prior w ~ N(0, prior_var I);
    the data term is the summed squared error (mean_loss False) or the mean
    squared error (mean_loss True). Returns a Python float.
    """
    ### BEGIN SOLUTION
    lam = noise_var / prior_var
    return float(lam / n if mean_loss else lam)
    ### END SOLUTION


# %% test="test_map_lambda" points=2
"""Checks map_lambda in both conventions for the data term."""
got = map_lambda(1.0, 0.5, 10, False)
assert np.isclose(got, 2.0), (
    f"summed squared error: lam = noise_var / prior_var = 2, not {got}"
)
got = map_lambda(1.0, 0.5, 10, True)
assert np.isclose(got, 0.2), (
    f"mean squared error over 10 rows: the whole loss is divided by 10: 0.2, not {got}"
)
### BEGIN HIDDEN TESTS
from scipy.optimize import minimize

from l2course.checks import expect

rng = np.random.default_rng(5106)


def _posterior_mean(X, y, noise_var, prior_var):
    """Bishop's PRML (3.53)-(3.54): the Gaussian posterior's mean, its MAP."""
    precision = np.eye(X.shape[1]) / prior_var + X.T @ X / noise_var
    return np.linalg.solve(precision, X.T @ y / noise_var)


def _penalized_minimum(X, y, lam, mean_loss):
    """The minimum of data term + lam ||w||^2, found numerically."""
    scale = 1 / len(y) if mean_loss else 1.0

    def loss(w):
        r = y - X @ w
        return scale * r @ r + lam * w @ w

    def grad(w):
        return -2 * scale * X.T @ (y - X @ w) + 2 * lam * w

    found = minimize(
        loss,
        np.zeros(X.shape[1]),
        jac=grad,
        method="BFGS",
        options={"gtol": 1e-12, "maxiter": 10_000},
    )
    return found.x


with expect("map_lambda should return a single number."):
    assert np.ndim(map_lambda(1.0, 1.0, 10, False)) == 0
for mean_loss in (False, True):
    for n, noise_var, prior_var in [(20, 0.5, 0.1), (50, 2.0, 1.0), (8, 0.1, 3.0)]:
        with expect(
            f"map_lambda with mean_loss={mean_loss} should give the lam whose "
            f"penalized least-squares minimum is the MAP estimate (the posterior "
            f"mean): for n = {n}, noise_var = {noise_var}, prior_var = "
            f"{prior_var} the two differ. Check which variance is on top and "
            f"where n goes."
        ):
            X = rng.normal(size=(n, 3))
            y = X @ [1.0, -1.0, 0.5] + np.sqrt(noise_var) * rng.normal(size=n)
            lam = map_lambda(noise_var, prior_var, n, mean_loss)
            np.testing.assert_allclose(
                _penalized_minimum(X, y, lam, mean_loss),
                _posterior_mean(X, y, noise_var, prior_var),
                rtol=1e-5,
                atol=1e-6,
            )
with expect(
    "map_lambda with the summed squared error should not depend on n, and "
    "with the mean squared error it should be n times smaller."
):
    assert map_lambda(1.0, 0.5, 10, False) == map_lambda(1.0, 0.5, 1000, False)
    np.testing.assert_allclose(
        map_lambda(1.0, 0.5, 40, True) * 40, map_lambda(1.0, 0.5, 40, False), rtol=1e-12
    )
with expect(
    "map_lambda should grow with the noise and shrink with the prior's width: "
    "a broad prior is a weak penalty."
):
    assert map_lambda(2.0, 1.0, 10, False) > map_lambda(1.0, 1.0, 10, False)
    assert map_lambda(1.0, 2.0, 10, False) < map_lambda(1.0, 1.0, 10, False)
with expect("map_lambda should accept integers and NumPy numbers."):
    np.testing.assert_allclose(map_lambda(4, 2, 5, False), 2.0, rtol=1e-12)
    np.testing.assert_allclose(
        map_lambda(np.float32(1.0), 0.5, np.int64(4), True), 0.5, rtol=1e-6
    )
### END HIDDEN TESTS

# %% [markdown] locked="md_plot"
# ## Your functions at work
#
# The cell below uses only your functions, on made-up data: 60 rows, 12
# columns, of which only four matter. Your `kfold_indices` cuts the rows into
# 5 folds; your `cv_error`, called with one fold at a time, gives each fold's
# error for 25 values of $\lambda$ (thin lines), and called with all five, the
# cross-validation curve (thick line, with one standard error either side).
# The dashed line marks the $\lambda$ with the smallest error, and the grey
# horizontal line that error plus its standard error. Your `one_se_lambda`
# (dotted) should be the largest $\lambda$ whose curve is still below the grey
# line. The title gives PyTorch's `weight_decay` for that $\lambda$, from your
# `torch_weight_decay_to_lambda`.

# %% locked="plot"
import matplotlib.pyplot as plt

rng = np.random.default_rng(3)
n, p, k = 60, 12, 5
X = rng.normal(size=(n, p))
w_true = np.zeros(p)
w_true[:4] = [1.5, -1.0, 0.8, 0.5]
y = X @ w_true + 1.5 * rng.normal(size=n)
lams = np.logspace(-1, 3, 25)
folds = kfold_indices(n, k, 0)
fold_errors = np.array(
    [[cv_error(X, y, lam, [fold]) for fold in folds] for lam in lams]
)
curve = np.array([cv_error(X, y, lam, folds) for lam in lams])
spread = fold_errors.std(axis=1, ddof=1) / np.sqrt(k)
best = lams[np.argmin(curve)]
chosen = one_se_lambda(lams, fold_errors)
# lam is proportional to weight_decay: the lam of weight_decay = 1 converts back.
per_unit = torch_weight_decay_to_lambda(1.0)

fig, ax = plt.subplots(figsize=(7.5, 4.2))
ax.plot(lams, fold_errors, color="#9aa5b1", lw=0.8)
ax.fill_between(
    lams,
    curve - spread,
    curve + spread,
    color="#1f77b4",
    alpha=0.15,
    label="± one standard error",
)
ax.plot(lams, curve, color="#1f77b4", lw=2.5, label="your cv_error, 5 folds")
ax.axvline(best, color="#d62728", ls="--", label=f"smallest error, λ = {best:.3g}")
ax.axhline(
    curve.min() + spread[np.argmin(curve)],
    color="#666666",
    lw=1,
    label="smallest error + its standard error",
)
ax.axvline(
    chosen, color="#2ca02c", ls=":", lw=2, label=f"your one_se_lambda, λ = {chosen:.3g}"
)
ax.set_xscale("log")
ax.set_xlabel("λ (log scale)")
ax.set_ylabel("validation mean squared error")
ax.set_title(
    f"one-standard-error choice: λ = {chosen:.3g}, "
    f"PyTorch SGD weight_decay = {chosen / per_unit:.3g}",
    fontsize=10,
)
ax.legend(loc="upper left", fontsize=8)
fig.tight_layout()
plt.show()
