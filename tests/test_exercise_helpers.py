"""Unit tests for what the exercises import: l2course.checks and the end plots."""

from __future__ import annotations

import subprocess
import sys
import warnings

import numpy as np
import pytest
from matplotlib.figure import Figure

from l2course.checks import PropertyFailed, expect, expect_raises
from l2course.figures import exercises as figures


def test_expect_replaces_numpys_message_with_the_sentence():
    with pytest.raises(PropertyFailed) as failure:
        with expect("f should double every entry."):
            np.testing.assert_allclose(np.array([1.0, 2.0]), [2.0, 4.0], rtol=1e-9)
    assert str(failure.value) == "f should double every entry."
    assert isinstance(failure.value, AssertionError)
    # No chained exception that would print the arrays after the sentence.
    assert failure.value.__cause__ is None and failure.value.__suppress_context__


def test_expect_keeps_the_type_and_text_of_a_crash():
    with pytest.raises(PropertyFailed, match=r"\(The check stopped with TypeError: "
                                             r"bad operand\.\)"):
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


@pytest.fixture
def ax():
    return Figure().subplots()


def test_plot_penalty_and_gradient(ax):
    w = np.linspace(-1, 1, 5)
    assert figures.plot_penalty_and_gradient(ax, w, w**2, 2 * w, 1.0) is ax
    assert len(ax.get_legend().get_texts()) == 2
    np.testing.assert_allclose(ax.lines[1].get_ydata(), 2 * w, rtol=0)


def test_plot_gradient_check_reports_the_largest_gap(ax):
    analytic = np.array([[1.0, 2.0], [3.0, 4.0]])
    numeric = analytic + [[0, 0], [0, 1e-3]]
    assert figures.plot_gradient_check(ax, analytic, numeric) is ax
    assert "1.0e-03" in ax.get_title()
    assert len(ax.collections[0].get_offsets()) == 4


def test_plot_weight_paths_marks_and_distinguishes_curves(ax):
    steps = np.arange(4)
    paths = {"a": [1, 0.5, 0.25, 0.125], "b": [1, 0.9, 0.81, 0.729]}
    assert figures.plot_weight_paths(ax, steps, paths, marks={"a": 1}) is ax
    curves = [line for line in ax.lines if len(line.get_xdata()) == 4]
    assert [line.get_label() for line in curves] == ["a", "b"]
    assert curves[0].get_linestyle() != curves[1].get_linestyle()
    assert any(list(line.get_xdata()) == [1, 1] for line in ax.lines)


def test_plot_soft_threshold(ax):
    w = np.linspace(-2, 2, 9)
    shrunk = np.sign(w) * np.maximum(np.abs(w) - 1, 0)
    assert figures.plot_soft_threshold(ax, w, shrunk, 1.0) is ax
    assert len(ax.lines) == 2 and len(ax.patches) == 1


def test_plot_coefficient_path_with_points(ax):
    lams = np.logspace(-2, 2, 5)
    coefs = np.outer(1 / (1 + lams), [1.0, -2.0, 0.5])
    out = figures.plot_coefficient_path(ax, lams, coefs,
                                        points=(1.0, [0.5, -1.0, 0.25]),
                                        points_label="another way")
    assert out is ax and ax.get_xscale() == "log"
    assert len([line for line in ax.lines if len(line.get_xdata()) == 5]) == 3
    assert len(ax.collections[0].get_offsets()) == 3


def test_plot_effective_dof(ax):
    lams = np.logspace(-2, 2, 5)
    assert figures.plot_effective_dof(ax, lams, 3 / (1 + lams), 3) is ax
    assert ax.get_ylim()[1] > 3


def test_importing_l2course_leaves_the_matplotlib_backend_alone():
    # Students' notebooks import l2course; their inline plots must still show,
    # so the package must not switch the backend (to Agg) behind their back.
    code = ("import matplotlib; matplotlib.use('svg'); "
            "import l2course, l2course.figures.exercises, l2course.checks; "
            "print(matplotlib.get_backend())")
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert run.stdout.strip() == "svg"
