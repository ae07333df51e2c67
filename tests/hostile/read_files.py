# Wrong answer that reads the source notebook (solutions and hidden tests)
# and the gradebook, and sends what it found back as its exception text.
def l2_penalty(w, lam):
    found = []
    for path in ("{source}", "{course}/gradebook.db", "{course}/source/toy_l2/toy_l2.ipynb"):
        try:
            with open(path, "rb") as handle:
                found.append(handle.read(3000).decode("utf-8", "replace"))
        except OSError as error:
            found.append(str(error))
    raise ValueError(" | ".join(found))
