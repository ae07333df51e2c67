"""Unit tests of l2course.slider_figure: the widget tree, links and frames."""

from __future__ import annotations

import base64
import re

import ipywidgets as widgets
import pytest

from l2course import slider_figure
from l2course.sliders import format_value, render_frame


def draw_line(ax, slope, offset=0.0):
    ax.plot([0, 1], [offset, offset + slope])
    ax.set_ylim(-3, 3)
    return ax


def describe(**params):
    return "a line with " + ", ".join(f"{k} = {v}" for k, v in params.items())


def frames_of(stack):
    return [child.value for child in stack.children]


def links_in(box):
    return box.links


def test_one_slider_links_index_to_stack_and_draws_each_frame():
    box = slider_figure(
        draw_line,
        {"slope": [-1.0, 0.0, 2.0]},
        describe=describe,
        symbols={"slope": "m"},
        caption="Lines.",
    )
    slider, stack, print_grid, caption = box.children
    assert "l2-print-only" in print_grid._dom_classes
    assert isinstance(slider, widgets.SelectionSlider)
    assert isinstance(stack, widgets.Stack)
    assert slider.description == "m"
    assert list(slider.options) == ["-1", "0", "2"]
    assert len(stack.children) == 3
    # Each frame is a distinct PNG with alt text naming its value.
    srcs = frames_of(stack)
    assert len(set(srcs)) == 3
    for value, src in zip(["-1.0", "0.0", "2.0"], srcs, strict=True):
        assert f"slope = {value}" in src
        png = base64.b64decode(re.search(r"base64,([^\"]+)", src).group(1))
        assert png.startswith(b"\x89PNG")
    # The link runs in the browser: slider.index drives stack.selected_index.
    [link] = links_in(box)
    assert link.source == (slider, "index")
    assert link.target == (stack, "selected_index")
    assert "Lines." in caption.value


def test_two_sliders_nest_stacks_and_link_every_inner_stack():
    box = slider_figure(
        draw_line,
        {"slope": [0.0, 1.0], "offset": [-1.0, 0.0, 1.0]},
        describe=describe,
        start={"slope": 1.0, "offset": 0.0},
    )
    first, second, outer, _print_grid = box.children
    assert len(outer.children) == 2
    assert all(len(inner.children) == 3 for inner in outer.children)
    links = links_in(box)
    assert sum(link.source == (first, "index") for link in links) == 1
    assert sum(link.source == (second, "index") for link in links) == 2
    # The starting frame is set in Python too, for the first paint.
    assert (first.index, second.index) == (1, 1)
    assert outer.selected_index == 1
    assert all(inner.selected_index == 1 for inner in outer.children)
    shown = outer.children[1].children[1].value
    assert "slope = 1.0" in shown and "offset = 0.0" in shown


def test_frames_are_reproducible():
    first = render_frame(draw_line, {"slope": 1.0})
    second = render_frame(draw_line, {"slope": 1.0})
    assert first == second


def test_alt_text_is_escaped():
    box = slider_figure(
        draw_line,
        {"slope": [0.0, 1.0]},
        describe=lambda slope: f'"quoted" <b>{slope}</b>',
    )
    value = box.children[1].children[0].value
    assert "&quot;quoted&quot; &lt;b&gt;" in value


@pytest.mark.parametrize(
    "grid, message",
    [
        ({}, "one or two sliders"),
        ({"a": [1, 2], "b": [1, 2], "c": [1, 2]}, "one or two sliders"),
        ({"slope": [1.0]}, "at least two"),
        ({"slope": [1.0, 1.0001]}, "print the same"),
        ({"slope": list(range(401))}, "too many"),
    ],
)
def test_bad_grids_are_refused_with_a_reason(grid, message):
    with pytest.raises(ValueError, match=message):
        slider_figure(draw_line, grid, describe=describe)


def test_format_value():
    assert format_value(0.001) == "0.001"
    assert format_value(12000.0) == "1.2e+04"
    assert format_value("adam") == "adam"
