"""The printed grid that slider_figure adds to every figure (no browser needed)."""

from __future__ import annotations

import re

import pytest

from l2course.sliders import print_positions, slider_figure


def plot_line(ax, slope, offset=0.0):
    ax.plot([0, 1], [offset, offset + slope])
    return ax


def describe(slope, offset=0.0):
    return f"A line rising by {slope} from height {offset}."


def printed_grid(figure) -> str:
    grids = [w for w in figure.children if "l2-print-only" in w._dom_classes]
    assert len(grids) == 1, "one printed grid per figure"
    assert grids[0].layout.display == "none", "the grid is hidden on screen"
    return grids[0].value


@pytest.mark.parametrize(
    ("count", "wanted", "expected"),
    [(17, 4, [0, 5, 11, 16]), (8, 4, [0, 2, 5, 7]), (3, 4, [0, 1, 2]), (9, 2, [0, 8])],
)
def test_print_positions_spread_over_the_range(count, wanted, expected):
    assert print_positions(count, wanted) == expected


def test_one_slider_prints_four_labelled_frames():
    slopes = [0.1 * i for i in range(1, 10)]
    figure = slider_figure(
        plot_line,
        {"slope": slopes},
        describe=describe,
        symbols={"slope": "m"},
        figsize=(2, 1.5),
        dpi=40,
    )
    grid = printed_grid(figure)
    labels = re.findall(r"<figcaption>(.*?)</figcaption>", grid)
    assert labels == ["m = 0.1", "m = 0.4", "m = 0.6", "m = 0.9"]
    assert grid.count('src="data:image/png;base64,') == 4
    assert "A line rising by 0.1 from height 0.0." in grid  # alt text kept
    assert "4 of the 9 slider positions" in grid


def test_two_sliders_print_a_two_by_two_grid():
    figure = slider_figure(
        plot_line,
        {"slope": [1.0, 2.0, 3.0], "offset": [0.0, 0.5, 1.0, 1.5]},
        describe=describe,
        figsize=(2, 1.5),
        dpi=40,
    )
    labels = re.findall(r"<figcaption>(.*?)</figcaption>", printed_grid(figure))
    assert labels == [
        "slope = 1, offset = 0",
        "slope = 1, offset = 1.5",
        "slope = 3, offset = 0",
        "slope = 3, offset = 1.5",
    ]
