"""The trust boundary: the channel's codec, the proxies, and two kernels.

Unit tests for `autograder/trusted/` (codec, names, mirroring), then one
notebook graded through `autograder.grade_notebook.execute`, the code
production runs: a student's kernel and a trusted kernel, both sandboxed.
"""

from __future__ import annotations

import base64
import json
import tempfile
import time
from pathlib import Path

import nbformat
import numpy as np
import own_loop  # noqa: E402
import pytest
from nbformat.v4 import new_code_cell, new_notebook

from autograder.grade_notebook import execute
from autograder.trusted import codec, names, proxies
from autograder.trusted.session import CHANNEL_LIMITS

LIMITS = dict(CHANNEL_LIMITS, bytes=10_000, depth=4, items=50)


def _canonical(message: dict) -> dict:
    return codec.canonical(json.dumps(message), LIMITS)


def test_plain_data_round_trips():
    callbacks: list = []
    value = (
        None,
        True,
        3,
        2.5,
        "text",
        1 + 2j,
        [1, [2.0]],
        {"a": np.float32(1.5)},
        np.arange(6, dtype=np.int16).reshape(2, 3),
        np.array(7.0),
    )
    encoded = codec.encode(value, callbacks)
    checked = _canonical({"op": "return", "value": encoded})["value"]
    back = codec.decode(checked)
    assert back[:6] == value[:6] and back[6] == [1, [2.0]]
    assert back[7]["a"].dtype == np.float32
    np.testing.assert_array_equal(back[8], value[8])
    assert back[8].dtype == np.int16 and back[8].flags.writeable
    assert back[9].shape == (), "a 0-d array stays 0-d"


@pytest.mark.parametrize(
    "value, words",
    [
        ({"array": "", "dtype": "|O", "shape": [0]}, "numeric"),
        ({"array": "AAAA", "dtype": "<f8", "shape": [1]}, "does not match"),
        ({"array": "!!", "dtype": "<f8", "shape": [0]}, "base64"),
        ({"list": [{"list": [{"list": [{"list": [{"list": [1]}]}]}]}]}, "nested"),
        ({"list": list(range(60))}, "items"),
        ({"callback": 0}, "not a value"),
        ({"object": "os.system"}, "not a value"),
    ],
)
def test_what_a_student_sends_is_checked(value, words):
    with pytest.raises(codec.ChannelError, match=words):
        _canonical({"op": "return", "value": value})


def test_oversized_messages_and_unknown_errors():
    with pytest.raises(codec.ChannelError, match="larger"):
        codec.canonical("x" * 20_000, LIMITS)
    raised = _canonical({"op": "raise", "type": "Sneaky", "message": "m" * 5000})
    assert raised["type"] == "RuntimeError"
    assert len(raised["message"]) <= LIMITS["message_chars"]
    error = codec.error_from("ValueError", "bad input")
    assert type(error) is ValueError and str(error) == "bad input"
    assert type(codec.error_from("SystemExit", "")) is RuntimeError


def test_free_names_are_what_a_test_reads_and_never_binds():
    source = (
        "from l2course.checks import expect\n"
        "rng = np.random.default_rng(1)\n"
        "w = rng.normal(size=3)\n"
        "g = numerical_grad(lambda v: np.sum(v**2), w)\n"
        "assert len(g) == 3 and l2_grad(w, 0.5) is not None\n"
    )
    assert sorted(names.free_names(source)) == ["l2_grad", "np", "numerical_grad"]
    assert names.free_names("def broken(:") == []


def test_mirror_writes_in_place_changes_back():
    w = np.zeros(3)
    layers = [np.ones(2), np.ones(2)]
    proxies._mirror((w, layers), (np.array([1.0, 0, 0]), [np.ones(2), np.zeros(2)]))
    np.testing.assert_array_equal(w, [1.0, 0, 0])
    np.testing.assert_array_equal(layers[1], [0.0, 0.0])
    grown = [1]
    proxies._mirror(grown, [1, 2])
    assert grown == [1, 2]


# --- two kernels -------------------------------------------------------------

STUDENT = """import numpy as np

def add_one(w):
    w += 1  # changes the caller's array
    return w.sum()

def grad_check(f, w):
    return np.array([f(w + 1e-6) - f(w - 1e-6)]) / 2e-6

def returns_object(w):
    class Liar:
        def __eq__(self, other):
            return True
    return Liar()

def fails(w):
    raise ValueError("no such weight")

LEARNING_RATE = 0.25
"""
TEST = """w = np.zeros(3)
assert add_one(w) == 3
assert np.all(w == 1), "the change made in the student's kernel is seen here"
g = grad_check(lambda v: float(np.sum(v ** 2)), np.array([3.0]))
np.testing.assert_allclose(g, [6.0], rtol=1e-4)
assert LEARNING_RATE == 0.25
try:
    fails(w)
except ValueError as error:
    assert "no such weight" in str(error)
else:
    raise AssertionError("the student's exception did not arrive")
SECRET_EXPECTED = 123.456
"""
LYING = "assert returns_object(1) == 5"
PRINT_HISTORY = "print('\\n'.join(In))"
DIES = "import os\ndef crash(w):\n    os._exit(1)"
CALL_DIES = "crash(1)"
LATER = "assert True"


def _test_cell(source: str, grade_id: str) -> nbformat.NotebookNode:
    meta = {"grade": True, "solution": False, "grade_id": grade_id, "points": 1}
    return new_code_cell(source, metadata={"nbgrader": meta})


def _solution_cell(source: str, grade_id: str) -> nbformat.NotebookNode:
    meta = {"grade": False, "solution": True, "grade_id": grade_id}
    return new_code_cell(source, metadata={"nbgrader": meta})


@pytest.fixture(scope="module")
def executed():
    nb = new_notebook(
        cells=[
            _solution_cell(STUDENT, "answers"),
            _test_cell(TEST, "test_calls"),
            _test_cell(LYING, "test_lying"),
            new_code_cell(PRINT_HISTORY),
            _solution_cell(DIES, "dies"),
            _test_cell(CALL_DIES, "test_dies"),
            _test_cell(LATER, "test_later"),
        ]
    )
    scratch = Path(tempfile.mkdtemp(prefix="ag-"))
    (scratch / "work").mkdir()
    outcome = own_loop.run(
        execute(
            nb,
            workdir=scratch / "work",
            scratch=scratch,
            setup_cells=["import numpy as np"],
            cell_timeout=20,
            deadline=time.monotonic() + 120,
            sandbox_options=None,
        )
    )
    return nb, outcome


def _errors(cell) -> list[str]:
    return [f"{o.ename}: {o.evalue}" for o in cell.outputs if o.output_type == "error"]


def test_calls_arguments_callbacks_values_and_exceptions_cross(executed):
    nb, _ = executed
    assert _errors(nb.cells[1]) == []


def test_an_object_cannot_be_sent_so_a_lying_eq_fails(executed):
    nb, _ = executed
    (error,) = _errors(nb.cells[2])
    assert error.startswith("TypeError") and "cannot check" in error


def test_the_students_kernel_never_sees_a_test(executed):
    nb, _ = executed
    printed = "".join(o.get("text", "") for o in nb.cells[3].outputs)
    assert "def add_one" in printed, "the student's own cells are there"
    assert "SECRET_EXPECTED" not in printed and "assert" not in printed


def test_a_dead_kernel_fails_that_test_and_the_rest(executed):
    nb, outcome = executed
    assert outcome.status == "kernel_died"
    assert "test_dies" in outcome.reason
    assert _errors(nb.cells[5]) and _errors(nb.cells[6])


def test_canonical_arrays_are_rebuilt_not_forwarded():
    raw = np.arange(3, dtype=np.float64).tobytes()
    sent = {"array": base64.b64encode(raw).decode() + "\n", "dtype": "float64"}
    with pytest.raises(codec.ChannelError):
        _canonical({"op": "return", "value": {**sent, "shape": [3]}})
    ok = _canonical(
        {
            "op": "return",
            "value": {
                "array": base64.b64encode(raw).decode(),
                "dtype": "f8",
                "shape": [3],
            },
        }
    )
    assert ok["value"]["dtype"] == "<f8", "the grader writes its own dtype string"
