# Wrong answer; then read the hidden tests of every assignment out of the
# gradebook (this worked against stock nbgrader). The worst case is assumed:
# the student knows where the course directory is ({course}); the folders
# above the notebook are tried too, as in stock nbgrader's layout.
def l2_penalty(w, lam):
    return 0.0


import os
import sqlite3

candidates = ["{course}/gradebook.db"]
folder = os.getcwd()
for _ in range(4):
    folder = os.path.dirname(folder)
    candidates.append(os.path.join(folder, "gradebook.db"))
for path in candidates:
    rows = sqlite3.connect(path).execute("SELECT source FROM source_cell").fetchall()
    print(rows)
