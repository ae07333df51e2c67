# A correct answer, and a cell whose last expression is a 60 MB string:
# an execute_result far past the output cap.
import numpy as np


def l2_penalty(w, lam):
    w = np.asarray(w, dtype=float)
    return float(lam * np.sum(w * w))


"x" * 60_000_000
