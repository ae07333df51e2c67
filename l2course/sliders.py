"""Slider figures that keep working in a static HTML page.

A static page has no kernel, so a Python callback can never run there. Instead,
every frame is drawn in advance, one per value (or pair of values) on a grid,
and the frames go into an ipywidgets ``Stack``. The slider's ``index`` is tied
to the stack's ``selected_index`` with ``jslink``, a link that the widget
JavaScript maintains in the browser. The same widget works unchanged in
JupyterLab.

Two sliders use nested stacks: the outer stack follows the first slider, and
every inner stack follows the second.

Frames are drawn at the width the page shows them (never wider than the book's
text column), with no text smaller than ``MIN_TEXT_PX`` CSS pixels as shown,
and stored as 256-colour PNGs: line plots have few colours, so the palette
keeps every line and letter at a third of the bytes of a full-colour PNG.
"""

from __future__ import annotations

import base64
import html
import io
import itertools
import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import ipywidgets as widgets
import matplotlib as mpl
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.text import Text
from PIL import Image

from l2course.figures.style import apply_course_style

#: Most values a slider may step through. Every frame is a PNG in the page,
#: so the grid size is the page size.
MAX_FRAMES = 400

#: How many values of each slider the printed grid shows: 4 frames either way.
PRINTED_VALUES = {1: 4, 2: 2}

#: The widest a frame is shown, in CSS pixels: the text column of
#: sphinx-book-theme is 688 px wide from 1200 px windows up, less the widget's
#: own inner margins. A frame is drawn no wider, so it is shown as drawn.
PAGE_WIDTH_PX = 680

#: The smallest text a frame may show, in CSS pixels at the size drawn: the
#: size of the page's own small print.
MIN_TEXT_PX = 11.0

#: Colours per frame. Antialiased line plots use a few hundred; 256 keep them.
PALETTE_COLOURS = 256

#: Set (by tools/book_assets.py) when a chapter runs for the static book: each
#: figure then also gets its first frame as a plain image, shown until the
#: widget script has loaded and drawn the figure.
STATIC_PAGE_ENV = "L2COURSE_STATIC_PAGE"


@dataclass(frozen=True)
class Frame:
    """One drawn frame: PNG bytes, pixel size, and its smallest text in pixels."""

    png: bytes
    width: int
    height: int
    min_text_px: float


def format_value(value: Any) -> str:
    """Format a slider value compactly: 0.001 -> '0.001', 12000 -> '1.2e+04'."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return f"{value:.3g}"
    return str(value)


# matplotlib's settings for the size of text it makes by itself.
_TEXT_SIZE_SETTINGS = (
    "font.size",
    "xtick.labelsize",
    "ytick.labelsize",
    "axes.titlesize",
    "axes.labelsize",
    "legend.fontsize",
    "legend.title_fontsize",
    "figure.titlesize",
)


def frame_dpi(figsize: tuple[float, float], dpi: float) -> float:
    """The resolution that draws ``figsize`` at the width the page shows it.

    A frame is shown at ``figsize[0] * dpi`` pixels, or at the page's width if
    that is less; drawing it at exactly that width means it is never scaled.
    """
    return min(figsize[0] * dpi, PAGE_WIDTH_PX) / figsize[0]


class FrameRenderer:
    """Draws the frames of one slider figure on one reused matplotlib figure.

    Re-using the figure and its Agg canvas saves building both for every frame;
    each frame still starts from cleared axes, so ``plot`` stays a pure
    function of its parameters.
    """

    def __init__(
        self,
        plot: Callable[..., Any],
        *,
        panels: int = 1,
        figsize: tuple[float, float] = (6.4, 3.6),
        dpi: float = 90,
    ) -> None:
        apply_course_style()
        self.plot = plot
        self.panels = panels
        self.dpi = frame_dpi(figsize, dpi)
        # A bare Figure renders off-screen without pyplot, so importing l2course
        # leaves the notebook's own backend (and its inline plots) alone.
        self.figure = Figure(figsize=figsize, dpi=self.dpi)
        self.canvas = FigureCanvasAgg(self.figure)
        self.min_points = MIN_TEXT_PX * 72 / self.dpi
        self.legible = self._legible_defaults()

    def _legible_defaults(self) -> dict[str, float]:
        """matplotlib's default text sizes, each raised to the minimum if below.

        Tick labels, titles and legends take their size from these when they
        are made, which spares resizing every tick afterwards.
        """
        raised = {}
        for key in _TEXT_SIZE_SETTINGS:
            if mpl.rcParams[key] is None:
                continue
            size = FontProperties(size=mpl.rcParams[key]).get_size_in_points()
            if size < self.min_points:
                raised[key] = self.min_points
        return raised

    def _raise_explicit_sizes(self) -> None:
        """Raise text that ``plot`` sized itself (``fontsize=8``) to the minimum."""
        for text in self.figure.findobj(Text):
            if text.get_text().strip() and text.get_fontsize() < self.min_points:
                text.set_fontsize(self.min_points)

    def _smallest_text_px(self) -> float:
        """The smallest text drawn, in pixels: run after drawing, once ticks exist."""
        sizes = [
            text.get_fontsize()
            for text in self.figure.findobj(Text)
            if text.get_visible() and text.get_text().strip()
        ]
        return min(sizes, default=self.min_points) * self.dpi / 72

    def render(self, params: Mapping[str, Any]) -> Frame:
        with mpl.rc_context(self.legible):
            self.figure.clear()
            axes = self.figure.subplots(1, self.panels, squeeze=True)
            self.plot(axes, **params)
            self._raise_explicit_sizes()
            self.figure.tight_layout()
            self.canvas.draw()
        min_text_px = self._smallest_text_px()
        width, height = self.canvas.get_width_height()
        image = Image.frombuffer("RGBA", (width, height), self.canvas.buffer_rgba())
        # Fast octree picks the palette in a third of the time of the default
        # median cut and, on line plots, keeps more of the anti-aliased edges
        # (the frames also come out smaller). No dithering: it would speckle the
        # flat background and the text edges.
        paletted = image.convert("RGB").quantize(
            PALETTE_COLOURS,
            method=Image.Quantize.FASTOCTREE,
            dither=Image.Dither.NONE,
        )
        _snap_to_white(paletted)
        buffer = io.BytesIO()
        # zlib's default level: "optimize" would save a tenth of the bytes for
        # five times the time. Pillow writes no time stamp, so the bytes are the
        # same between builds.
        paletted.save(buffer, format="PNG")
        return Frame(buffer.getvalue(), width, height, round(min_text_px, 2))


def _snap_to_white(image: Image.Image) -> None:
    """Make the palette's near-white colours pure white.

    The octree's colour for the white background comes out a shade off white;
    the frames' background stays the exact white of the figure style.
    """
    palette = image.getpalette()
    for i in range(0, len(palette), 3):
        if min(palette[i : i + 3]) >= 252:
            palette[i : i + 3] = [255, 255, 255]
    image.putpalette(palette)


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
    renderer = FrameRenderer(plot, panels=panels, figsize=figsize, dpi=dpi)
    return renderer.render(params).png


def _data_uri(png: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


def _img_tag(frame: Frame, alt: str, css_class: str, panels: int) -> str:
    # width and height reserve the frame's space before it loads; the data
    # attributes let the browser tests check the text size as shown.
    return (
        f'<img class="{css_class}" src="{_data_uri(frame.png)}" '
        f'alt="{html.escape(alt, quote=True)}" '
        f'width="{frame.width}" height="{frame.height}" '
        f'data-min-text-px="{frame.min_text_px}" data-panels="{panels}" '
        # Inline, for JupyterLab, which has no book stylesheet.
        'style="max-width:100%;height:auto">'
    )


def _frame_widget(frame: Frame, alt: str, panels: int) -> widgets.HTML:
    """An <img> in an HTML widget: unlike ``widgets.Image`` it carries alt text."""
    return widgets.HTML(value=_img_tag(frame, alt, "l2-frame", panels))


def _show_first_frame(frame: Frame, alt: str, panels: int) -> None:
    """Display the starting frame as a plain image, for the static book only.

    It shows as soon as the page's HTML arrives; book/static/figures.css hides
    it once the widget manager has drawn the slider figure in the same output.
    In JupyterLab the widget draws at once, so no copy is shown there.
    """
    if not os.environ.get(STATIC_PAGE_ENV):
        return
    from IPython.display import HTML, display

    display(
        HTML(
            '<div class="l2-first-frame">'
            f"{_img_tag(frame, alt, 'l2-first-frame-img', panels)}</div>"
        )
    )


def print_positions(count: int, wanted: int) -> list[int]:
    """``wanted`` evenly spaced positions out of ``count``, both ends included."""
    if wanted < 2 or count <= wanted:
        return list(range(count))
    return sorted({round(i * (count - 1) / (wanted - 1)) for i in range(wanted)})


def _print_grid(
    frames: Mapping[tuple[int, ...], tuple[Frame, str]],
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
        frame, alt = frames[position]
        label = ", ".join(
            f"{symbols.get(name, name)} = {format_value(vals[i])}"
            for name, vals, i in zip(names, values, position, strict=True)
        )
        cells.append(
            f'<figure class="l2-print-cell"><img class="l2-print-frame" '
            f'src="{_data_uri(frame.png)}" alt="{html.escape(alt, quote=True)}">'
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
    renderer = FrameRenderer(plot, panels=panels, figsize=figsize, dpi=dpi)

    rendered: dict[tuple[int, ...], tuple[Frame, str]] = {}

    def frame(params: dict[str, Any]) -> widgets.HTML:
        drawn = renderer.render(params)
        alt = describe(**params)
        position = tuple(
            vals.index(params[name]) for name, vals in zip(names, values, strict=True)
        )
        rendered[position] = (drawn, alt)
        return _frame_widget(drawn, alt, panels)

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
    box.add_class(f"l2-panels-{panels}")
    shown = (sliders[0].index, *(s.index for s in sliders[1:]))
    _show_first_frame(*rendered[shown], panels)
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
