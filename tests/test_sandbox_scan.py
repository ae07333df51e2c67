"""The static scan flags code an instructor should look at, and not honest code."""

from __future__ import annotations

import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from autograder.scan import scan_notebook, scan_source

HONEST = '''
import numpy as np
import matplotlib.pyplot as plt
from l2course.data import load_diabetes
%matplotlib inline

def l2_penalty(w, lam):
    """Return lam * ||w||^2 for a weight vector w."""
    w = np.asarray(w, dtype=float)
    total = lam * np.sum(w ** 2)
    fig, ax = plt.subplots()
    ax.set_title(f"lam = {lam} / N")
    return float(total)

class Model:
    def __init__(self, lr=0.1):
        self.lr = lr
        self.w = np.zeros(3)

rng = np.random.default_rng(0)
X, y = rng.normal(size=(5, 3)), rng.normal(size=5)
for step in range(10):
    grad = 2 * X.T @ (X @ np.ones(3) - y) / len(y)
'''

CASES = {
    "reads the gradebook": (
        "import sqlite3\nsqlite3.connect('../../../gradebook.db')",
        ["gradebook access: imports sqlite3", "gradebook access: mentions"],
    ),
    "writes another student's folder": (
        "open('../../bob/ps1/ps1.ipynb', 'w').write('{}')",
        ["file access outside its folder: path '../../bob/ps1/ps1.ipynb'"],
    ),
    "absolute path": (
        "data = open('/etc/passwd').read()",
        ["file access outside its folder: path '/etc/passwd'"],
    ),
    "input transformer": (
        "get_ipython().input_transformers_cleanup.append(str.strip)",
        ["IPython machinery: registers an input transformer"],
    ),
    "event hook": (
        "ip = get_ipython()\nip.events.register('pre_run_cell', print)",
        ["IPython machinery: registers an IPython event callback"],
    ),
    "settrace": ("import sys\nsys.settrace(None)", ["tracing: sets a trace function"]),
    "setprofile via alias": (
        "from sys import setprofile as sp\nsp(None)",
        ["tracing: sets a profile function"],
    ),
    "builtins tampering": (
        "import builtins\nbuiltins.AssertionError = Exception",
        ["builtins tampering: imports builtins", "replaces builtins.AssertionError"],
    ),
    "AssertionError shadowed": (
        "AssertionError = Exception",
        ["builtins tampering: rebinds AssertionError"],
    ),
    "numpy.testing through an alias": (
        "from numpy import testing as t\nt.assert_allclose = print",
        ["monkeypatching: replaces numpy.testing.assert_allclose"],
    ),
    "test helper rebound": (
        "assert_allclose = lambda *a, **k: None",
        ["monkeypatching: rebinds assert_allclose"],
    ),
    "ctypes": ("import ctypes", ["native code: imports ctypes"]),
    "subprocess": ("import subprocess as sp\nsp.run(['id'])", ["subprocess"]),
    "os.system": ("import os\nos.system('id')", ["subprocess: runs a shell command"]),
    "shell escape": ("!cat /etc/passwd", ["subprocess: runs a shell command"]),
    "fork bomb": ("import os\nwhile True:\n    os.fork()", ["subprocess: forks"]),
    "socket": (
        "import socket\nsocket.create_connection(('127.0.0.1', 80))",
        ["network: imports socket"],
    ),
    "sys.exit": ("import sys\nsys.exit(0)", ["exits the kernel: calls sys.exit"]),
    "os._exit": (
        "from os import _exit\n_exit(0)",
        ["exits the kernel: calls os._exit"],
    ),
    "deletes files": (
        "import os\nfor name in os.listdir('.'):\n    os.remove(name)",
        ["file deletion: deletes a file"],
    ),
    "obfuscated import": (
        "getattr(__import__('o' + 's'), 'sys' + 'tem')('id')",
        ["dynamic code: calls __import__", "dynamic code: getattr with a computed"],
    ),
    "always-equal object": (
        "class Same:\n    def __eq__(self, other):\n        return True",
        ["fake results: defines __eq__"],
    ),
    "bash magic": ("%%bash\necho hi", ["IPython machinery: runs the %bash magic"]),
    "does not parse": (
        "import ctypes\ndef broken(:\n    pass",
        ["native code: mentions ctypes (code does not parse)"],
    ),
}


def test_honest_code_is_not_flagged():
    assert scan_source(HONEST) == []


@pytest.mark.parametrize("case", list(CASES))
def test_suspicious_code_is_flagged(case):
    source, expected = CASES[case]
    findings = scan_source(source)
    for fragment in expected:
        assert any(fragment in finding for finding in findings), findings


def test_words_in_comments_and_prose_do_not_count():
    source = "# do not use ctypes or subprocess here\nx = 1  # gradebook? no"
    assert scan_source(source) == []


def test_notebook_scan_skips_instructor_cells_and_names_the_cell():
    test_cell = new_code_cell("import subprocess  # instructor's own")
    test_cell.metadata["nbgrader"] = {
        "grade": True,
        "solution": False,
        "locked": True,
        "grade_id": "t",
        "points": 1,
    }
    answer = new_code_cell("def f():\n    return 1\nimport ctypes")
    answer.metadata["nbgrader"] = {"solution": True, "grade": False, "grade_id": "a"}
    nb = new_notebook(
        cells=[new_markdown_cell("import ctypes"), test_cell, answer, new_code_cell("")]
    )
    assert scan_notebook(nb) == ["cell 3, line 3: native code: imports ctypes"]
