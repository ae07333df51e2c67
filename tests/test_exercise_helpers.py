"""Unit tests for what the exercises' hidden tests import: l2course.checks."""

from __future__ import annotations

import subprocess
import sys
import warnings

import numpy as np
import pytest

from l2course.checks import PropertyFailed, expect, expect_raises


def test_expect_replaces_numpys_message_with_the_sentence():
    with pytest.raises(PropertyFailed) as failure:
        with expect("f should double every entry."):
            np.testing.assert_allclose(np.array([1.0, 2.0]), [2.0, 4.0], rtol=1e-9)
    assert str(failure.value) == "f should double every entry."
    assert isinstance(failure.value, AssertionError)
    # No chained exception that would print the arrays after the sentence.
    assert failure.value.__cause__ is None and failure.value.__suppress_context__


def test_expect_keeps_the_type_and_text_of_a_crash():
    with pytest.raises(
        PropertyFailed,
        match=r"\(The check stopped with TypeError: "
        r"bad operand\.\)",
    ):
        with expect("f should accept lists."):
            raise TypeError("bad operand")
    with pytest.raises(PropertyFailed, match=r"stopped with NotImplementedError\.\)$"):
        with expect("f should exist."):
            raise NotImplementedError()


def test_expect_passes_quietly_and_silences_warnings():
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a warning escaping expect would raise here
        with expect("never shown"):
            np.array([1.0]) / np.array([0.0])
            warnings.warn("a student's stray warning", stacklevel=1)


def test_expect_raises():
    with expect_raises(ValueError, "never shown"):
        raise ValueError("out of range")
    nothing = r"should raise\. \(Nothing was raised\.\)"
    with pytest.raises(PropertyFailed, match=nothing):
        with expect_raises(ValueError, "g should raise."):
            pass
    other = r"\(It raised ZeroDivisionError instead\.\)"
    with pytest.raises(PropertyFailed, match=other):
        with expect_raises(ValueError, "g should raise."):
            1 / 0  # noqa: B018


def test_importing_l2course_leaves_the_matplotlib_backend_alone():
    # Chapter notebooks import l2course; their inline plots must still show,
    # so the package must not switch the backend (to Agg) behind their back.
    code = (
        "import matplotlib; matplotlib.use('svg'); "
        "import l2course, l2course.checks; "
        "print(matplotlib.get_backend())"
    )
    run = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert run.stdout.strip() == "svg"
