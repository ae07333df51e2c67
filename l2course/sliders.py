"""Slider figures that keep working in a static HTML page.

A static page has no kernel, so a Python callback can never run there. Instead,
every frame is drawn in advance, one per value (or pair of values) on a grid,
and the frames go into an ipywidgets ``Stack``. The slider's ``index`` is tied
to the stack's ``selected_index`` with ``jslink``, a link that the widget
JavaScript maintains in the browser. The same widget works unchanged in
JupyterLab.

Two sliders use nested stacks: the outer stack follows the first slider, and
every inner stack follows the second.
"""

from __future__ import annotations

import base64
import html
import io
import itertools
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import ipywidgets as widgets
from matplotlib.figure import Figure

from l2course.figures.style import apply_course_style

#: Most values a slider may step through. Every frame is a PNG in the page,
#: so the grid size is the page size.
MAX_FRAMES = 400

#: How many values of each slider the printed grid shows: 4 frames either way.
PRINTED_VALUES = {1: 4, 2: 2}


def format_value(value: Any) -> str:
    """Format a slider value compactly: 0.001 -> '0.001', 12000 -> '1.2e+04'."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return f"{value:.3g}"
    return str(value)


def render_frame(
    plot: Callable[..., Any],
    params: Mapping[str, Any],
    *,
    panels: int = 1,
    figsize: tuple[float, float] = (6.4, 3.6),
    dpi: int = 90,
) -> bytes:
    """Draw one frame with ``plot(ax, **params)`` and return it as PNG bytes.

    With ``panels > 1`` the function receives a row of that many axes instead of
    one axes.
    """
    apply_course_style()
    # A bare Figure renders off-screen without pyplot, so importing l2course
    # leaves the notebook's own backend (and its inline plots) alone.
    fig = Figure(figsize=figsize, dpi=dpi)
    axes = fig.subplots(1, panels, squeeze=True)
    plot(axes, **params)
    fig.tight_layout()
    buffer = io.BytesIO()
    # Fixed metadata keeps the bytes identical between builds.
    fig.savefig(buffer, format="png", metadata={"Software": None})
    return buffer.getvalue()


def _data_uri(png: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


def _frame_widget(png: bytes, alt: str, width_px: int) -> widgets.HTML:
    """An <img> in an HTML widget: unlike ``widgets.Image`` it carries alt text."""
    tag = (
        f'<img class="l2-frame" src="{_data_uri(png)}" '
        f'alt="{html.escape(alt, quote=True)}" '
        f'style="max-width:100%;width:{width_px}px;height:auto">'
    )
    return widgets.HTML(value=tag)


def print_positions(count: int, wanted: int) -> list[int]:
    """``wanted`` evenly spaced positions out of ``count``, both ends included."""
    if wanted < 2 or count <= wanted:
        return list(range(count))
    return sorted({round(i * (count - 1) / (wanted - 1)) for i in range(wanted)})


def _print_grid(
    frames: Mapping[tuple[int, ...], tuple[bytes, str]],
    names: Sequence[str],
    values: Sequence[Sequence[Any]],
    symbols: Mapping[str, str],
) -> widgets.HTML:
    """A grid of a few frames, each labelled with its values, shown only in print.

    Paper cannot move a slider, and a Stack only ever draws its selected frame,
    so a printed page would show one frozen frame. This grid repeats a few
    evenly spaced frames; ``display: none`` hides it on screen and
    book/static/print-frames.css shows it (and hides the slider) in print.
    """
    per_slider = [
        print_positions(len(vals), PRINTED_VALUES[len(names)]) for vals in values
    ]
    cells = []
    for position in itertools.product(*per_slider):
        png, alt = frames[position]
        label = ", ".join(
            f"{symbols.get(name, name)} = {format_value(vals[i])}"
            for name, vals, i in zip(names, values, position, strict=True)
        )
        cells.append(
            f'<figure class="l2-print-cell"><img class="l2-print-frame" '
            f'src="{_data_uri(png)}" alt="{html.escape(alt, quote=True)}">'
            f"<figcaption>{html.escape(label)}</figcaption></figure>"
        )
    counts = " × ".join(str(len(vals)) for vals in values)
    note = f"{len(cells)} of the {counts} slider positions, side by side."
    grid = widgets.HTML(
        f'<p class="l2-print-note">{html.escape(note)}</p>'
        f'<div class="l2-print-grid">{"".join(cells)}</div>',
        layout=widgets.Layout(display="none"),
    )
    grid.add_class("l2-print-only")
    return grid


def _slider(name: str, symbol: str, values: Sequence[Any]) -> widgets.SelectionSlider:
    labels = [format_value(v) for v in values]
    if len(set(labels)) != len(labels):
        raise ValueError(
            f"slider {name!r}: grid values {list(values)} print the same at 3 "
            "significant digits; choose values that differ visibly"
        )
    slider = widgets.SelectionSlider(
        options=labels,
        index=0,
        description=symbol,
        continuous_update=True,
        readout=True,
        layout=widgets.Layout(width="min(100%, 32rem)"),
        style={"description_width": "initial"},
    )
    slider.add_class("l2-slider")
    slider.add_class(f"l2-slider-{name}")
    return slider


def slider_figure(
    plot: Callable[..., Any],
    grid: Mapping[str, Sequence[Any]],
    *,
    describe: Callable[..., str],
    symbols: Mapping[str, str] | None = None,
    caption: str = "",
    start: Mapping[str, Any] | None = None,
    panels: int = 1,
    figsize: tuple[float, float] = (6.4, 3.6),
    dpi: int = 90,
) -> widgets.VBox:
    """Wrap a pure plotting function in a slider figure that needs no kernel.

    Parameters
    ----------
    plot
        ``plot(ax, **params)`` draws one frame on ``ax`` (a row of axes when
        ``panels > 1``). It must be pure: the same parameters give the same
        picture.
    grid
        One or two entries, ``{"lam": [0.0, 0.1, ...]}``; keys are ``plot``'s
        keyword arguments, values are the slider positions in order.
    describe
        ``describe(**params) -> str``: the alt text of one frame. Say what the
        reader would see change, with the numbers.
    symbols
        The label shown before each slider, e.g. ``{"lam": "λ"}``; the key is
        used when a symbol is not given.
    caption
        A sentence shown under the figure.
    start
        The initial slider values; defaults to the first value of each grid.
    """
    names = list(grid)
    if not 1 <= len(names) <= 2:
        raise ValueError(f"slider_figure takes one or two sliders, got {names}")
    values = [list(grid[name]) for name in names]
    if any(len(v) < 2 for v in values):
        raise ValueError("every slider needs at least two grid values")
    n_frames = len(list(itertools.product(*values)))
    if n_frames > MAX_FRAMES:
        raise ValueError(f"{n_frames} frames is too many; keep it to {MAX_FRAMES}")
    symbols = dict(symbols or {})
    width_px = int(figsize[0] * dpi)

    rendered: dict[tuple[int, ...], tuple[bytes, str]] = {}

    def frame(params: dict[str, Any]) -> widgets.HTML:
        png = render_frame(plot, params, panels=panels, figsize=figsize, dpi=dpi)
        alt = describe(**params)
        position = tuple(
            vals.index(params[name]) for name, vals in zip(names, values, strict=True)
        )
        rendered[position] = (png, alt)
        return _frame_widget(png, alt, width_px)

    sliders = [
        _slider(name, symbols.get(name, name), vals)
        for name, vals in zip(names, values, strict=True)
    ]
    if len(names) == 1:
        frames = widgets.Stack([frame({names[0]: v}) for v in values[0]])
        inner_stacks = []
    else:
        inner_stacks = [
            widgets.Stack([frame({names[0]: a, names[1]: b}) for b in values[1]])
            for a in values[0]
        ]
        frames = widgets.Stack(inner_stacks)
    frames.add_class("l2-frames")

    links = [widgets.jslink((sliders[0], "index"), (frames, "selected_index"))]
    links += [
        widgets.jslink((sliders[1], "index"), (inner, "selected_index"))
        for inner in inner_stacks
    ]

    for slider, name, vals in zip(sliders, names, values, strict=True):
        wanted = (start or {}).get(name, vals[0])
        slider.index = _closest_index(vals, wanted)
    # jslink only syncs in a browser, so set the starting frames here too.
    frames.selected_index = sliders[0].index
    for inner in inner_stacks:
        inner.selected_index = sliders[1].index

    children: list[widgets.Widget] = [
        *sliders,
        frames,
        _print_grid(rendered, names, values, symbols),
    ]
    if caption:
        children.append(
            widgets.HTML(f'<p class="l2-caption">{html.escape(caption)}</p>')
        )
    box = widgets.VBox(children)
    box.add_class("l2-slider-figure")
    box.links = links  # for inspection in tests; the browser keeps its own copy
    return box


def _closest_index(values: Sequence[Any], wanted: Any) -> int:
    if wanted in values:
        return list(values).index(wanted)
    try:
        return min(range(len(values)), key=lambda i: abs(values[i] - wanted))
    except TypeError:
        message = f"start value {wanted!r} is not on the grid {values}"
        raise ValueError(message) from None
