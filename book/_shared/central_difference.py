# The book's one numerical gradient, loaded into each chapter that uses it with
# myst-nb's `:load:` (tools/chapter_notebooks.py inlines it in the downloads).
# It lives in book/_shared/ and not in l2course because it is the reference
# answer of a graded exercise (a1's numerical_grad): students import l2course,
# while book/ is neither installed nor shipped with an assignment.
import numpy as np


def central_difference(f, w, delta=1e-6):
    """Numerical gradient of the scalar function f at the array w (any shape).

    Each entry is (f(w + delta e_i) - f(w - delta e_i)) / (2 delta).
    """
    w = np.asarray(w, dtype=float)
    grad = np.zeros_like(w)
    for index in np.ndindex(w.shape):
        step = np.zeros_like(w)
        step[index] = delta
        grad[index] = (f(w + step) - f(w - step)) / (2 * delta)
    return grad
