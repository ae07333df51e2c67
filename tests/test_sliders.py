"""Unit tests of l2course.slider_figure: the widget tree, links and frames."""

from __future__ import annotations

import base64
import io
import re
import subprocess
import sys

import ipywidgets as widgets
import numpy as np
import pytest
from matplotlib.text import Text
from PIL import Image

from l2course import slider_figure
from l2course.sliders import (
    MIN_TEXT_PX,
    PAGE_WIDTH_PX,
    PALETTE_COLOURS,
    STATIC_PAGE_ENV,
    FrameRenderer,
    format_value,
    render_frame,
)


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


def draw_labelled_lines(ax, slope):
    """Thin lines, a dashed line and small text: what a palette could lose."""
    ax.plot([0, 1], [0, slope], lw=0.8, label="thin")
    ax.plot([0, 1], [slope, 0], ls="--", lw=1.0, label="dashed")
    ax.set_title(f"slope = {slope}")
    ax.set_xlabel("a label in the default size")
    ax.legend(fontsize=6)
    return ax


def test_palette_frames_keep_their_text_and_lines():
    renderer = FrameRenderer(draw_labelled_lines, figsize=(6.4, 3.6), dpi=90)
    frame = renderer.render({"slope": 2.0})
    # The canvas still holds the frame in full colour, before the palette.
    drawn = np.asarray(renderer.canvas.buffer_rgba())[..., :3].astype(int)
    image = Image.open(io.BytesIO(frame.png))
    assert image.mode == "P", "frames are stored with a palette"
    assert len(image.getcolors()) <= PALETTE_COLOURS
    stored = np.asarray(image.convert("RGB")).astype(int)
    assert stored.shape == drawn.shape
    assert tuple(stored[0, 0]) == (255, 255, 255), "the background stays white"
    error = np.abs(stored - drawn).max(axis=2)
    assert error.mean() < 1.0
    assert np.percentile(error, 99.9) <= 16
    # Text and lines: the same pixels are ink (clearly darker than the white
    # background) before and after.
    ink_drawn = drawn.mean(axis=2) < 160
    ink_stored = stored.mean(axis=2) < 160
    overlap = (ink_drawn & ink_stored).sum() / (ink_drawn | ink_stored).sum()
    assert ink_drawn.sum() > 1000 and overlap > 0.97


def test_palette_frames_are_much_smaller_than_full_colour():
    renderer = FrameRenderer(draw_labelled_lines, figsize=(6.4, 3.6), dpi=90)
    frame = renderer.render({"slope": 2.0})
    full = io.BytesIO()
    Image.frombuffer(
        "RGBA", (frame.width, frame.height), renderer.canvas.buffer_rgba()
    ).save(full, format="PNG")
    assert len(frame.png) < 0.6 * len(full.getvalue())


def test_frames_are_drawn_at_the_width_the_page_shows_them():
    def draw_three(axes, slope):
        for ax in axes:
            draw_line(ax, slope)

    wide = FrameRenderer(draw_three, panels=3, figsize=(11.0, 3.5), dpi=80)
    frame = wide.render({"slope": 1.0})
    assert frame.width == PAGE_WIDTH_PX
    narrow = FrameRenderer(draw_line, figsize=(5.6, 4.4), dpi=80).render({"slope": 1})
    assert narrow.width == round(5.6 * 80)


@pytest.mark.parametrize("figsize, dpi", [((11.0, 3.5), 80), ((6.4, 3.6), 90)])
def test_no_text_is_smaller_than_the_minimum(figsize, dpi):
    renderer = FrameRenderer(draw_labelled_lines, figsize=figsize, dpi=dpi)
    frame = renderer.render({"slope": 1.0})
    assert frame.min_text_px >= MIN_TEXT_PX
    smallest_points = min(
        text.get_fontsize()
        for text in renderer.figure.findobj(Text)
        if text.get_visible() and text.get_text().strip()
    )
    assert smallest_points * renderer.dpi / 72 == pytest.approx(
        frame.min_text_px, abs=0.01
    )


def test_frame_tags_carry_size_and_text_size_for_the_browser_tests():
    box = slider_figure(draw_line, {"slope": [0.0, 1.0]}, describe=describe)
    tag = box.children[1].children[0].value
    width = int(re.search(r'width="(\d+)"', tag).group(1))
    assert width == round(6.4 * 90)
    assert float(re.search(r'data-min-text-px="([\d.]+)"', tag).group(1)) >= 11
    assert 'data-panels="1"' in tag


def test_the_static_book_gets_the_first_frame_as_a_plain_image(monkeypatch):
    import IPython.display

    shown = []
    monkeypatch.setattr(IPython.display, "display", shown.append)
    monkeypatch.delenv(STATIC_PAGE_ENV, raising=False)
    slider_figure(draw_line, {"slope": [0.0, 1.0]}, describe=describe)
    assert shown == [], "JupyterLab draws the widget at once: no copy"

    monkeypatch.setenv(STATIC_PAGE_ENV, "1")
    box = slider_figure(
        draw_line, {"slope": [0.0, 1.0, 2.0]}, describe=describe, start={"slope": 1.0}
    )
    [copy] = shown
    start_frame = box.children[1].children[1].value
    src = re.search(r'src="([^"]+)"', start_frame).group(1)
    assert 'class="l2-first-frame-img"' in copy.data and src in copy.data


def test_importing_the_checks_does_not_import_matplotlib_or_ipywidgets():
    code = (
        "import sys, l2course.checks\n"
        "heavy = {'matplotlib', 'ipywidgets'} & set(sys.modules)\n"
        "assert not heavy, heavy\n"
        "from l2course import slider_figure\n"
        "assert 'ipywidgets' in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
