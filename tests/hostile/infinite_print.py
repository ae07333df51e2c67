# A correct answer, then print forever.
def l2_penalty(w, lam):
    w = np.asarray(w, dtype=float)
    return float(lam * np.sum(w * w))


while True:
    print("spam " * 2000)
