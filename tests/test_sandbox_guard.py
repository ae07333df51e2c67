"""Hidden tests cannot be made to pass by code that ran before them.

Each case is a small nbgrader notebook (a read-only set-up cell, the student's
solution cell, a test cell worth 2 points) whose solution is *wrong* and which
also tries one trick on the kernel. Executed in a sandboxed kernel with the
instructor cells sealed (`autograder.tamper`), every case must score 0 and
leave evidence. The controls show that the tricks do work without the seal.
"""

from __future__ import annotations

import textwrap
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pytest
from nbformat.v4 import new_code_cell, new_notebook

SETUP = "from numpy.testing import assert_allclose"
TEST = (
    "assert_allclose(double(np.arange(3.0)), [0.0, 2.0, 4.0])\n"
    "np.testing.assert_allclose(double(1.5), 3.0)\n"
    "assert double(1) == 2"
)
WRONG = "def double(x):\n    return x\n"


def _cell(source: str, **nbgrader) -> dict:
    cell = new_code_cell(source)
    cell.metadata["nbgrader"] = {"schema_version": 3, **nbgrader}
    return cell


def notebook(student: str):
    return new_notebook(
        cells=[
            # An ordinary cell, as in many assignments: nbgrader does not
            # protect it, the guard's import preamble does.
            new_code_cell("import numpy as np"),
            _cell(SETUP, grade_id="setup", locked=True, grade=False, solution=False),
            _cell(student, grade_id="answer", solution=True, grade=False, locked=False),
            _cell(
                TEST,
                grade_id="test_double",
                grade=True,
                solution=False,
                locked=True,
                points=2,
            ),
        ],
        metadata={
            "kernelspec": {
                "name": "python3",
                "display_name": "Python 3",
                "language": "python",
            }
        },
    )


def grade(student: str, sealed: bool = True) -> tuple[float, list[str]]:
    """Execute one notebook the way the grader does; return (score, evidence)."""
    import tempfile

    from nbclient import NotebookClient
    from nbgrader.utils import determine_grade

    from autograder.sandbox import OutputLimitMixin, SandboxedKernelManager
    from autograder.tamper import import_preamble, seal_notebook, unseal_notebook

    class Client(OutputLimitMixin, NotebookClient):
        pass

    class Manager(SandboxedKernelManager):
        sandbox_guard = sealed

    nb = notebook(student)
    preamble = import_preamble(notebook(WRONG))  # from the release, not the student
    originals = seal_notebook(nb, preamble) if sealed else {}
    with tempfile.TemporaryDirectory() as workdir:
        client = Client(
            nb,
            timeout=20,
            allow_errors=True,
            kernel_manager_class=Manager,
            resources={"metadata": {"path": workdir}},
        )
        try:
            client.execute()
        except Exception:  # noqa: BLE001 - a dead kernel is part of some cases
            pass
    evidence = unseal_notebook(nb, originals) if sealed else []
    score, _ = determine_grade(nb.cells[-1])
    return float(score), evidence


TRICKS = {
    "input transformer blanks asserts": (
        "get_ipython().input_transformers_cleanup.append(\n"
        "    lambda lines: [l for l in lines if 'assert' not in l])",
        "ran without the guard",
    ),
    "AST transformer drops asserts and calls": (
        """
        import ast
        class Blank(ast.NodeTransformer):
            def visit_Assert(self, node):
                return None
            def visit_Expr(self, node):
                return ast.Pass()
        get_ipython().ast_transformers.append(Blank())
        """,
        "ran without the guard",
    ),
    "builtins.AssertionError replaced": (
        "import builtins\n"
        "builtins.AssertionError = type('AssertionError', (Exception,), {})",
        "builtins.AssertionError replaced",
    ),
    "numpy.testing monkeypatched": (
        "import numpy as np, numpy.testing as t\n"
        "t.assert_allclose = lambda *a, **k: None\n"
        "np.testing.assert_allclose = lambda *a, **k: None\n"
        "assert_allclose = lambda *a, **k: None",
        "numpy.testing.assert_allclose replaced",
    ),
    "numpy.testing code object swapped": (
        "import numpy.testing as t\n"
        "noop = (lambda *a, **k: None).__code__\n"
        "t.assert_allclose.__code__ = noop\n"
        "t._private.utils.assert_array_compare.__code__ = noop",
        "code of numpy.testing._private.utils.assert_allclose changed",
    ),
    "custom exception handler hides failures": (
        "get_ipython().set_custom_exc((BaseException,), lambda *a, **k: None)",
        "custom_exceptions replaced",
    ),
    "showtraceback silenced": (
        "ip = get_ipython()\n"
        "ip.showtraceback = lambda *a, **k: None\n"
        "type(ip).showtraceback = lambda *a, **k: None",
        "showtraceback",
    ),
    "pre_run_cell hook re-patches before each test": (
        """
        def hook(info):
            import numpy.testing as t
            t.assert_allclose = lambda *a, **k: None
        get_ipython().events.register('pre_run_cell', hook)
        """,
        "events.register('pre_run_cell', ...) used",
    ),
    "np rebound to a fake that agrees with everything": (
        """
        class Agree:
            def __getattr__(self, name):
                return lambda *a, **k: True
        np = Agree()
        """,
        "'np' rebound by the submission",
    ),
    "sys.settrace": (
        "import sys\nsys.settrace(lambda *a: None)",
        "sys.settrace in use",
    ),
    "fake numpy.testing in sys.modules": (
        "import sys, types\n"
        "fake = types.ModuleType('numpy.testing')\n"
        "fake.assert_allclose = lambda *a, **k: None\n"
        "sys.modules['numpy.testing'] = fake",
        "sys.modules['numpy.testing'] replaced",
    ),
    "audit hook": (
        "import sys\nsys.addaudithook(lambda event, args: None)",
        "tried to add 1 audit hook",
    ),
    "run_cell intercepted": (
        """
        ip = get_ipython()
        original = type(ip).run_cell
        def run_cell(self, raw_cell, *args, **kwargs):
            if 'run_trusted' in raw_cell:
                raw_cell = 'None'
            return original(self, raw_cell, *args, **kwargs)
        type(ip).run_cell = run_cell
        """,
        "ran without the guard",
    ),
    "background thread keeps patching": (
        """
        import threading, time, numpy.testing as t
        def loop():
            while True:
                t.assert_allclose = lambda *a, **k: None
                time.sleep(0.001)
        threading.Thread(target=loop, daemon=True).start()
        time.sleep(0.05)
        """,
        "background threads running",
    ),
}

CASES = {
    "honest": "def double(x):\n    return 2 * x\n",
    "wrong": WRONG,
    **{name: WRONG + textwrap.dedent(code) for name, (code, _) in TRICKS.items()},
}
CONTROLS = [
    "input transformer blanks asserts",
    "custom exception handler hides failures",
]


@pytest.fixture(scope="module")
def results() -> dict[str, tuple[float, list[str]]]:
    names = list(CASES)
    with ProcessPoolExecutor(max_workers=2) as pool:
        sealed = list(pool.map(grade, [CASES[name] for name in names]))
        unsealed = list(
            pool.map(grade, [CASES[name] for name in CONTROLS], [False] * 2)
        )
    outcome = dict(zip(names, sealed, strict=True))
    outcome.update(
        {f"unsealed {name}": r for name, r in zip(CONTROLS, unsealed, strict=True)}
    )
    return outcome


def test_honest_submission_scores_full_marks_without_evidence(results):
    assert results["honest"] == (2.0, [])


def test_wrong_submission_scores_zero_without_evidence(results):
    assert results["wrong"] == (0.0, [])


@pytest.mark.parametrize("trick", list(TRICKS))
def test_trick_earns_nothing_and_leaves_evidence(results, trick):
    score, evidence = results[trick]
    assert score == 0.0, f"{trick} earned {score} points; evidence: {evidence}"
    expected = TRICKS[trick][1]
    assert any(expected in item for item in evidence), evidence


@pytest.mark.parametrize("trick", CONTROLS)
def test_without_the_seal_the_trick_works(results, trick):
    """The control: stock execution gives these wrong answers full marks."""
    score, _ = results[f"unsealed {trick}"]
    assert score == 2.0


def test_guard_source_is_standard_library_only():
    # The launcher loads the guard inside the sandbox, where the repository is
    # not visible: it must not import the autograder package.
    source = (Path(__file__).parent.parent / "autograder" / "_guard.py").read_text()
    assert "from autograder" not in source and "import autograder" not in source
