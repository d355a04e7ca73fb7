"""The snippet worker: run as a script, it imports matplotlib once (torch once too,
when asked, before the first snippet that names it), then reads one JSON request
per line on stdin (a snippet's path and the folder to run it from) and answers
one JSON line: what the snippet printed, its figures as light and dark SVG (each
also re-laid for a phone), and its module-level values; or its traceback.
`snippet_runner.py` starts and feeds it. Labs draw their figures with its
`render_figure` too.

Every cached result is keyed on this file and the figure style: any edit here runs
every snippet again, so the pool and the cache live in snippet_runner.py.
"""

from __future__ import annotations

import colorsys
import io
import json
import os
import sys
from pathlib import Path

from figure_colours import colour_problems, lab

STYLE_FILE = Path(__file__).with_name("figure.mplstyle")
SVG_SALT = "learning-rate-site"  # fixed ids in the SVG: same bytes on every build
INK, GRID = "#24292f", "#d0d7de"  # text and grid colours of figure.mplstyle
# The figure contract: a page shows each figure as wide as its column, 688 px (a
# phone narrows it further, and the lightbox enlarges it); there every text is at
# least 10 px tall, and no legend covers a plotted point.
COLUMN_PX = 688
MIN_TEXT_PX = 10
# A hue darker than this (CIELAB L*) is lightened for the dark page: L* 45 is the
# 3:1 contrast on slate that WCAG asks of graphics (1.4.11). Okabe-Ito keeps its hues.
DARK_MIN_L = 45
DARK_TEXT_MIN_L = 57  # and a coloured text's: 4.5:1, as WCAG asks of text (1.4.3)
# A phone's column is narrower: 358 px on a 390 px phone. There each figure is shown
# in a variant of its own (the page's <picture> picks it by a media query), re-laid
# for PHONE_PX: as wide as that, in inches at 96 px each, so it is shown at the size
# it is drawn, and its panels stacked in one column. Its text is held to
# MIN_TEXT_PX at PHONE_PX too; the site's 10 pt is 13 px there.
PHONE_PX = 360
PHONE_IN = PHONE_PX / 96
# A stacked panel's plotting area: as tall as in the wide figure, within these
# bounds (inches): a grid of small plots stays small, a single plot gets squarer.
PANEL_MIN_IN, PANEL_MAX_IN = 1.35, 2.4


def _dark(color, min_l: float = DARK_MIN_L):
    """Map a light-palette colour to the dark palette: greys (low chroma) flip their
    lightness; a hue keeps its colour where it shows on slate (CIELAB L* at least
    `min_l`), and is lightened just to that: lifting every hue to one lightness
    merged orange with yellow and blue with sky blue (figure_colours.py)."""
    from matplotlib.colors import to_rgba

    r, g, b, a = to_rgba(color)
    if a == 0:
        return (r, g, b, a)
    h, light, s = colorsys.rgb_to_hls(r, g, b)
    if max(r, g, b) - min(r, g, b) < 0.12:  # a grey
        return (*colorsys.hls_to_rgb(h, min(max(1 - light, 0.12), 0.9), s), a)
    while lab(colorsys.hls_to_rgb(h, light, s))[0] < min_l and light < 1:
        light = min(light + 0.01, 1)
    return (*colorsys.hls_to_rgb(h, light, s), a)


def _recolour_for_dark(fig) -> None:
    from matplotlib.collections import Collection
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch
    from matplotlib.text import Text

    artists = {id(a): a for a in fig.findobj()}  # each once: the map is not idempotent
    for artist in artists.values():
        if isinstance(artist, Text):
            artist.set_color(_dark(artist.get_color(), DARK_TEXT_MIN_L))
        elif isinstance(artist, Line2D):
            # Read first: a marker that follows the line's colour would report
            # the new one, and a grey mapped twice is back where it started.
            face, edge = artist.get_markerfacecolor(), artist.get_markeredgecolor()
            artist.set_color(_dark(artist.get_color()))
            artist.set_markerfacecolor(_dark(face))
            artist.set_markeredgecolor(_dark(edge))
        elif isinstance(artist, Patch):
            artist.set_facecolor(_dark(artist.get_facecolor()))
            artist.set_edgecolor(_dark(artist.get_edgecolor()))
        elif isinstance(artist, Collection) and artist.get_array() is None:
            artist.set_facecolor([_dark(c) for c in artist.get_facecolor()])
            artist.set_edgecolor([_dark(c) for c in artist.get_edgecolor()])
    for ax in fig.axes:  # ticks made at draw time copy these, not the old ticks
        ax.tick_params(which="both", colors=_dark(INK), grid_color=_dark(GRID))


def _describe(fig) -> dict:
    """Alt text, title and axes metadata: what a reader who cannot see it needs."""
    axes, colour_scales = [], []
    for ax in fig.axes:
        if ax.get_label() == "<colorbar>":  # matplotlib's name for a colorbar's axes
            colour_scales.append(ax.get_ylabel() or ax.get_xlabel())
            continue
        legend = ax.get_legend()
        # Stacked plots with a shared x axis label only the bottom one.
        shared = [ax, *ax.get_shared_x_axes().get_siblings(ax)]
        axes.append(
            {
                "title": ax.get_title(),
                "xlabel": next((a.get_xlabel() for a in shared if a.get_xlabel()), ""),
                "ylabel": ax.get_ylabel(),
                "yscale": ax.get_yscale(),
                "legend": [t.get_text() for t in legend.get_texts()] if legend else [],
            }
        )
    title = fig._suptitle.get_text() if fig._suptitle else ""
    parts = [title] if title else []
    for ax in axes:
        log = ax["yscale"] == "log" and "log scale" not in ax["ylabel"]
        part = f"{ax['ylabel']}{' (log scale)' if log else ''} against {ax['xlabel']}"
        part = f"{ax['title']}: {part}" if ax["title"] else part[:1].upper() + part[1:]
        if ax["legend"]:
            part += "; lines: " + ", ".join(ax["legend"])
        parts.append(part)
    parts += [f"Colour scale: {label}" for label in colour_scales]
    return {"alt": "Figure. " + ". ".join(parts) + ".", "title": title, "axes": axes}


def _where(ax) -> str:
    return f"axes {ax.get_title()!r}" if ax.get_title() else "an untitled axes"


def _visible_texts(fig) -> list:
    """Every text the figure draws: tick labels only of the ticks in view."""
    from matplotlib.text import Text

    ticks, drawn = set(), []
    for ax in fig.axes:
        for axis in (ax.xaxis, ax.yaxis):
            for tick in axis.majorTicks + axis.minorTicks:
                ticks.update((id(tick.label1), id(tick.label2)))
            for tick in axis._update_ticks():  # the ticks it draws: those in view
                drawn += [tick.label1, tick.label2]
    drawn += [t for t in fig.findobj(Text) if id(t) not in ticks]
    texts = {id(t): t for t in drawn if t.get_visible() and t.get_text().strip()}
    return list(texts.values())


def _small_texts(fig, width_pt: float, shown_px: int = COLUMN_PX) -> list[str]:
    """Texts under MIN_TEXT_PX once the figure, `width_pt` points wide in its SVG,
    is scaled to `shown_px` wide: a text's size in px is pt * shown_px / width_pt."""
    scale = shown_px / width_pt
    small: dict[float, list[str]] = {}
    for text in _visible_texts(fig):
        if text.get_fontsize() * scale < MIN_TEXT_PX:
            small.setdefault(text.get_fontsize(), []).append(repr(text.get_text()))
    return [
        f"{len(names)} text(s) of {size:g} pt, such as {', '.join(names[:3])}, are"
        f" {size * scale:.1f} px tall when the figure, {width_pt:.0f} pt wide, is"
        f" shown {shown_px} px wide; the rule is pt * {shown_px} / width >="
        f" {MIN_TEXT_PX} px, so here at least {MIN_TEXT_PX / scale:.1f} pt"
        for size, names in sorted(small.items())
    ]


def _first_point_inside(xy, box, joined: bool):
    """The first of the display points `xy` inside `box`, or of the straight
    segments between them when `joined`: clipped to the box exactly (Liang-Barsky),
    so a segment that crosses the box counts, however far apart its ends are."""
    import numpy as np

    lo, hi = np.array([box.x0, box.y0]), np.array([box.x1, box.y1])
    finite = np.isfinite(xy).all(axis=1)
    inside = finite & ((xy >= lo) & (xy <= hi)).all(axis=1)
    if inside.any():
        return xy[inside.argmax()]
    if not joined or len(xy) < 2:
        return None
    a, b = xy[:-1], xy[1:]
    ok = finite[:-1] & finite[1:]  # NaN breaks a line: no segment there
    d = b - a
    with np.errstate(divide="ignore", invalid="ignore"):
        t0, t1 = (lo - a) / d, (hi - a) / d
    first, last = np.minimum(t0, t1), np.maximum(t0, t1)  # inside between, per axis
    # Along an axis the segment does not move, it is inside for every t or none.
    still, within = d == 0, (a >= lo) & (a <= hi)
    first = np.where(still, np.where(within, -np.inf, np.inf), first)
    last = np.where(still, np.where(within, np.inf, -np.inf), last)
    enter = np.maximum(first.max(axis=1), 0)
    leave = np.minimum(last.min(axis=1), 1)
    hit = ok & (enter <= leave)
    if not hit.any():
        return None
    i = hit.argmax()
    return a[i] + (enter[i] + leave[i]) / 2 * d[i]


def _drawn(ax):
    """(artist, display points, joined) for every line, its markers, every scatter
    and vlines/hlines segment of `ax`; a line's path has its steps (drawstyle)."""
    from matplotlib.collections import LineCollection, PathCollection

    for line in ax.lines:
        xy = line.get_transform().transform(line.get_path().vertices)
        yield line, xy, line.get_linestyle() not in ("None", " ", "")
    for drawn in ax.collections:
        if isinstance(drawn, PathCollection) and len(drawn.get_offsets()):
            offsets = drawn.get_offsets()
            yield drawn, drawn.get_offset_transform().transform(offsets), False
        elif isinstance(drawn, LineCollection):  # vlines, hlines
            for segment in drawn.get_segments():
                yield drawn, drawn.get_transform().transform(segment), True


def _covering(fig):
    """(legend, message) for each plotted point or segment inside a legend's box, in
    display coordinates. Every legend is checked against every axes: twin axes
    share one area."""
    from matplotlib.transforms import Bbox

    renderer = fig.canvas.get_renderer()  # as the last draw (_tight_box) left it
    legends = [ax.get_legend() for ax in fig.axes] + fig.legends
    for legend in filter(None, legends):
        for ax in fig.axes:
            for artist, xy, joined in _drawn(ax):
                box = legend.get_window_extent(renderer)
                if artist.get_clip_on():  # the axes clips away the rest
                    box = Bbox.intersection(box, ax.bbox)
                if not artist.get_visible() or box is None:
                    continue
                point = _first_point_inside(xy, box, joined)
                if point is not None:
                    x, y = ax.transData.inverted().transform(point)
                    label = artist.get_label()
                    what = "an unlabelled line" if label[:1] == "_" else repr(label)
                    where = f"{_where(ax)}: the legend covers {what}"
                    yield legend, f"{where} near x={x:.3g}, y={y:.3g}"


def _covered_data(fig) -> list[str]:
    """Plotted data inside a legend's box: what the reader cannot see."""
    return [message for _, message in _covering(fig)]


def check_figure(fig, box=None, shown_px: int = COLUMN_PX) -> list[str]:
    """What breaks the figure contract in `fig`, shown `shown_px` wide (COLUMN_PX,
    or PHONE_PX for its phone variant), whose SVG is cropped to `box`, the tight box
    just found (found here if not given)."""
    box = _tight_box(fig) if box is None else box
    problems = _small_texts(fig, box.width * 72, shown_px) + _covered_data(fig)
    if shown_px == PHONE_PX:  # its colours and styles are the wide figure's, checked
        return problems + _too_wide(box)
    return problems + colour_problems(fig, _dark)  # lines told apart, both palettes


def _too_wide(box) -> list[str]:
    """A phone variant whose SVG is wider than PHONE_IN (and savefig's padding):
    the browser shrinks it into the column, its text with it."""
    import matplotlib.pyplot as plt

    width = box.width * 96  # the SVG's width in CSS px
    room = (PHONE_IN + 2 * plt.rcParams["savefig.pad_inches"]) * 96 + 1
    if width <= room:
        return []
    return [
        f"the phone variant is {width:.0f} px wide, wider than the {room:.0f} px its"
        f" column has: shown shrunk to {room / width:.0%}, its text with it"
    ]


def _plain_log_ticks(fig) -> None:
    """On a log axis that spans less than two decades, matplotlib labels the minor
    ticks too, as 2x10^0 and 6x10^-1; the site's style writes them 2 and 0.6."""
    from matplotlib.ticker import LogFormatter, LogFormatterSciNotation

    class Plain(LogFormatter):  # the same choice of ticks to label, plain numbers
        def _num_to_string(self, x, vmin, vmax):
            return f"{x:g}"

    for ax in fig.axes:
        for axis in (ax.xaxis, ax.yaxis):
            low, high = sorted(axis.get_view_interval())
            short = axis.get_scale() == "log" and 0 < low and high < 100 * low
            if short:  # labels a snippet set itself stay as they are
                if isinstance(axis.get_major_formatter(), LogFormatterSciNotation):
                    axis.set_major_formatter(Plain())
                if isinstance(axis.get_minor_formatter(), LogFormatterSciNotation):
                    axis.set_minor_formatter(Plain(labelOnlyBase=False))


def _tight_box(fig):
    """A tight box around what the figure draws, padded as savefig pads it. Found
    once, by Agg at the figure's dpi, for both palettes: savefig(bbox_inches=
    "tight") draws the figure twice more for each SVG to find its own, in the SVG's
    72 dpi, which differs by a point or so (the padding is 7 pt)."""
    import matplotlib.pyplot as plt

    fig.draw_without_rendering()  # ticks, and legends at loc="best", placed
    box = fig.get_tightbbox(fig.canvas.get_renderer())
    return box.padded(plt.rcParams["savefig.pad_inches"])


def _svg(fig, box) -> str:
    buf = io.StringIO()
    fig.savefig(buf, format="svg", metadata={"Date": None}, bbox_inches=box)
    return buf.getvalue()


def _panels(fig) -> list[list]:
    """The figure's panels in reading order (row by row, left to right), each the
    axes in one cell of its grid: an axes and its twins. Axes outside a grid (a
    colorbar's, an inset's) stay where they are."""
    cells: dict[tuple, list] = {}
    for ax in fig.axes:
        if (spec := ax.get_subplotspec()) is None:
            continue
        if spec.get_topmost_subplotspec() is not spec or fig.subfigs:
            # A grid inside a grid's cell would be stacked as one panel: say so,
            # rather than draw its axes over each other on a phone.
            raise FigureContractError(
                "a nested grid (subgridspec or subfigures) has no phone layout;"
                " draw the panels in one grid"
            )
        rows, cols = spec.rowspan, spec.colspan
        grid = id(spec.get_gridspec())  # two grids' cells are two panels
        cells.setdefault((rows.start, cols.start, rows.stop, cols.stop, grid), [])
        cells[rows.start, cols.start, rows.stop, cols.stop, grid].append(ax)
    # Ties (one place in two grids) in the order the axes were made, not by id.
    order = list(cells)
    return [cells[key] for key in sorted(cells, key=lambda k: (k[:4], order.index(k)))]


def _wrap(text, width_px: float, renderer) -> None:
    """Break `text` at spaces (and after a name's opening parenthesis, as in
    "LinearLR(") so that no line is wider than `width_px`."""
    import re

    pieces: list[tuple[str, str]] = []  # (what joins it to the one before, piece)
    for word in filter(None, text.get_text().replace("\n", " \n ").split(" ")):
        parts = [word] if word == "\n" else re.split(r"(?<=\w\()(?=.)", word)
        pieces += [(" " if n == 0 else "", part) for n, part in enumerate(parts)]
    lines: list[str] = []
    for glue, piece in pieces:
        if piece == "\n" or not lines:
            lines.append("" if piece == "\n" else piece)
            continue
        text.set_text(f"{lines[-1]}{glue}{piece}" if lines[-1] else piece)
        if lines[-1] and text.get_window_extent(renderer).width > width_px:
            lines.append(piece)
        else:
            lines[-1] = text.get_text()
    text.set_text("\n".join(lines))


def _fit_legend(legend, width_px: float, renderer) -> None:
    """Fewer columns in a legend wider than `width_px`, until it fits or has one."""
    import numpy as np
    from matplotlib.offsetbox import VPacker

    box = legend._legend_handle_box  # columns of (handle, text) items
    items = [item for column in box.get_children() for item in column.get_children()]
    spacing = legend.labelspacing * legend._fontsize
    for columns in range(len(box.get_children()) - 1, 0, -1):
        if legend.get_window_extent(renderer).width <= width_px:
            return
        box._children = [
            VPacker(pad=0, sep=spacing, align="baseline", children=list(part))
            for part in np.array_split(np.array(items, dtype=object), columns)
        ]
        legend.stale = True


def _share_labels(panels: list[list], old: dict) -> None:
    """Tick labels for the stacked panels: each panel its own y tick labels (those
    a shared y axis hid in a column to the left's favour), and a shared x axis
    labelled only under the last panel that shares it. `old`: axes -> (row, column)
    in the figure's grid before."""
    order = {ax: n for n, panel in enumerate(panels) for ax in panel}
    for ax, (_, column) in old.items():
        shared_y = len(ax.get_shared_y_axes().get_siblings(ax)) > 1
        if shared_y and column > 0:
            ax.yaxis.set_tick_params(which="both", labelleft=True)
        shared = [a for a in ax.get_shared_x_axes().get_siblings(ax) if a in order]
        if len(shared) > 1 and order[ax] < max(order[a] for a in shared):
            ax.xaxis.set_tick_params(which="both", labelbottom=False)
            ax.set_xlabel("")


# A figure legend's loc code (matplotlib's: upper right, left, center; lower ...) ->
# the margin constrained layout keeps for it.
FIGURE_LEGEND_SIDE = {1: "upper", 2: "upper", 9: "upper"}
FIGURE_LEGEND_SIDE |= {3: "lower", 4: "lower", 8: "lower"}


def _lay_for_phone(fig):
    """Re-lay `fig`, as the wide draw left it, for a phone's column: PHONE_IN wide,
    its panels stacked in one column, each plotting area about as tall as before;
    titles, labels and legend entries too wide for the column broken into lines,
    legends into fewer columns, and a legend that would cover data moved under
    its axes. Constrained layout places it all. Returns its tight box.

    It reads matplotlib's private legend and suptitle attributes (no public way to
    re-flow a legend's columns): matplotlib's version is in every snippet's cache
    key, and a change there fails the figure tests, not a reader's page."""
    from matplotlib.gridspec import GridSpec

    panels = _panels(fig)
    wide_h = fig.get_size_inches()[1]
    heights = [
        min(max(panel[0].get_position().height * wide_h, PANEL_MIN_IN), PANEL_MAX_IN)
        for panel in panels
    ]
    old = {}
    for panel in panels:
        spec = panel[0].get_subplotspec().get_topmost_subplotspec()
        old.update({ax: (spec.rowspan.start, spec.colspan.start) for ax in panel})
    grid = GridSpec(max(len(panels), 1), 1, figure=fig, height_ratios=heights or None)
    for n, panel in enumerate(panels):
        for ax in panel:
            ax.set_subplotspec(grid[n])
    _share_labels(panels, old)
    # A first guess at the room titles, ticks and legends take; measured below.
    height = sum(heights) + 1.2 * len(panels) if panels else wide_h
    fig.set_size_inches(PHONE_IN, height)
    renderer = fig.canvas.get_renderer()
    line, column = (PHONE_IN - 0.9) * fig.dpi, (PHONE_IN - 0.2) * fig.dpi
    if fig._suptitle is not None:
        _wrap(fig._suptitle, column, renderer)
    legends = [ax.get_legend() for ax in fig.axes] + fig.legends
    for ax in fig.axes:
        for text in (ax.title, ax._left_title, ax._right_title, ax.xaxis.label):
            if text.get_text():
                _wrap(text, line, renderer)
        for text in ax.texts:  # a note placed in the plot: half the width at most
            _wrap(text, line / 2, renderer)
    for legend in filter(None, legends):
        for text in legend.get_texts():
            _wrap(text, line, renderer)
        _fit_legend(legend, line if legend.axes else column, renderer)  # its axes
    for legend in fig.legends:
        if legend._outside_loc is None and legend._bbox_to_anchor is None:
            # One under (or over) the panels, where the wide figure left room for
            # it by hand: constrained layout makes that room.
            legend._outside_loc = FIGURE_LEGEND_SIDE.get(legend._loc)
    fig.set_layout_engine("constrained")

    def fit_height() -> None:
        # Laid out at the guessed height, what is not plotting area is titles,
        # ticks and legends, whose size in inches stays: change the height by
        # what the panels lack, and the next draw lays them out at their size.
        fig.draw_without_rendering()
        now = fig.get_size_inches()[1]
        drawn = sum(panel[0].get_position().height * now for panel in panels)
        fig.set_size_inches(PHONE_IN, now + sum(heights) - drawn)

    fit_height()
    if _rewrap_overhanging(fig, renderer):
        fit_height()
    box = _tight_box(fig)
    crowded = [ax for ax in fig.axes if _unclutter_ticks(ax, renderer)]
    if crowded:
        fit_height()
        box = _tight_box(fig)
    covering = {id(legend): legend for legend, _ in _covering(fig) if legend.axes}
    astray = {id(legend): legend for legend in _astray_legends(fig, renderer)}
    if not covering and not astray and not crowded:
        return box
    for legend in (covering | astray).values():  # no room beside the lines: under
        _put_below(legend, renderer)
    fit_height()
    return _tight_box(fig)


def _rewrap_overhanging(fig, renderer) -> bool:
    """Titles and x labels that stick out of the figure, centred over a narrow
    axes (long y tick labels take the rest), broken again to the axes' width;
    True if any was."""
    changed = False
    for ax in fig.axes:
        for text in (ax.title, ax._left_title, ax._right_title, ax.xaxis.label):
            if not text.get_text() or not text.get_visible():
                continue
            box = text.get_window_extent(renderer)
            if box.x0 < fig.bbox.x0 - 1 or box.x1 > fig.bbox.x1 + 1:
                _wrap(text, ax.bbox.width, renderer)
                changed = True
    return changed


def _astray_legends(fig, renderer) -> list:
    """Axes legends that cover their axes' tick labels or x label, or stick out of
    the axes sideways: a snippet placed them for the wide figure."""
    astray = []
    for ax in fig.axes:
        legend = ax.get_legend()
        if legend is None or not legend.get_visible():
            continue
        box = legend.get_window_extent(renderer)
        out = box.x0 < ax.bbox.x0 - 1 or box.x1 > ax.bbox.x1 + 1
        axes_boxes = [a.get_tightbbox(renderer) for a in (ax.xaxis, ax.yaxis)]
        covers = any(
            b is not None and box.overlaps(b) and _outside(b, ax.bbox)
            for b in axes_boxes
        )
        if out or covers:
            astray.append(legend)
    return astray


def _outside(box, inner) -> bool:
    """`box` reaches outside `inner` (an axis' ticks and label, beyond the axes)."""
    return box.x0 < inner.x0 - 1 or box.y0 < inner.y0 - 1 or box.y1 > inner.y1 + 1


def _spans(texts, renderer, along: str) -> list[tuple[float, float]]:
    boxes = [t.get_window_extent(renderer) for t in texts]
    return [(b.x0, b.x1) if along == "x" else (b.y0, b.y1) for b in boxes]


def _clash(spans, gap: float) -> bool:
    """Any two of the (start, end) spans closer than `gap` or overlapping."""
    from itertools import pairwise

    spans = sorted(spans)
    return any(end + gap > start for (_, end), (start, _) in pairwise(spans))


def _shown_labels(axis, renderer, minor: bool = False) -> list:
    """(location, label, span along the axis or None) of each tick in view."""
    along = "x" if axis.axis_name == "x" else "y"
    locs = axis.get_minorticklocs() if minor else axis.get_majorticklocs()
    ticks = (axis.get_minor_ticks if minor else axis.get_major_ticks)(len(locs))
    low, high = sorted(axis.get_view_interval())
    slack = 1e-9 * (high - low)
    shown = []
    for loc, tick in zip(locs, ticks, strict=True):
        if not low - slack <= loc <= high + slack:
            continue
        label = tick.label1 if tick.label1.get_visible() else tick.label2
        drawn = label.get_visible() and label.get_text()
        span = _spans([label], renderer, along)[0] if drawn else None
        shown.append((loc, label.get_text(), span))
    return shown


def _number(label: str) -> bool:
    try:
        float(label.replace("\N{MINUS SIGN}", "-").replace("$", ""))
    except ValueError:
        return False
    return True


def _thin_tick_labels(axis, renderer) -> bool:
    """Numbered ticks whose labels run into each other keep every other label
    (every third, ...) until they do not; a log axis' minor labels keep those
    clear of the rest. True if any label went."""
    from matplotlib.ticker import ScalarFormatter

    gap = renderer.points_to_pixels(3)
    major = _shown_labels(axis, renderer)
    minor = _shown_labels(axis, renderer, minor=True)
    changed = False
    formatter = axis.get_major_formatter()
    offset = isinstance(formatter, ScalarFormatter) and formatter.get_offset()
    labelled = [n for n, (_, text, span) in enumerate(major) if span and text]
    if not offset and _clash([major[n][2] for n in labelled], gap):
        for step in range(2, len(labelled) + 1):
            keep = set(labelled[::step])
            if not _clash([major[n][2] for n in keep], gap):
                break
        texts = [text if n in keep else "" for n, (_, text, _) in enumerate(major)]
        axis.set_ticks([loc for loc, _, _ in major], texts)
        pairs = zip(major, texts, strict=True)
        major = [(loc, t, s if t else None) for (loc, _, s), t in pairs]
        changed = True
    kept = [span for _, text, span in major if span and text]
    texts = []
    for _, text, span in minor:
        if span and text and not _clash([*kept, span], gap):
            kept.append(span)
            texts.append(text)
        else:
            texts.append("")
    pairs = zip(minor, texts, strict=True)
    if any(text and not kept_text for (_, text, _), kept_text in pairs):
        axis.set_ticks([loc for loc, _, _ in minor], texts, minor=True)
        changed = True
    return changed


def _unclutter_ticks(ax, renderer) -> bool:
    """Tick labels that run into each other in the narrow axes: named x ticks
    (categories) get a line per word, upright, or else stand on end; numbers are
    thinned. True if any changed."""
    from matplotlib.ticker import FixedLocator

    gap = renderer.points_to_pixels(3)
    changed = False
    labels = [t for t in ax.get_xticklabels() if t.get_visible() and t.get_text()]
    named = not all(_number(t.get_text()) for t in labels)
    fixed = isinstance(ax.xaxis.get_major_locator(), FixedLocator)
    if named and fixed and _clash(_spans(labels, renderer, "x"), gap):
        ticks, texts = ax.get_xticks(), [t.get_text() for t in ax.get_xticklabels()]
        words = [t.replace(" ", "\n") for t in texts]
        for broken in (words, [t.replace("-", "-\n") for t in words]):
            ax.set_xticks(ticks, broken, rotation=0, ha="center")
            ax.figure.draw_without_rendering()
            labels = [t for t in ax.get_xticklabels() if t.get_text()]
            if not _clash(_spans(labels, renderer, "x"), gap):
                break
        else:  # a word wider than its room: the labels stand on end
            ax.set_xticks(ticks, texts, rotation=90, ha="center")
        changed = True
    elif not named:
        changed = _thin_tick_labels(ax.xaxis, renderer)
    return _thin_numbers(ax.yaxis, renderer) or changed


def _thin_numbers(axis, renderer) -> bool:
    """_thin_tick_labels for an axis whose labels are all numbers."""
    texts = [t.get_text() for t in axis.get_ticklabels(which="both") if t.get_text()]
    return all(map(_number, texts)) and _thin_tick_labels(axis, renderer)


def _put_below(legend, renderer) -> None:
    """Move an axes' legend under the axes, clear of its x tick labels and label."""
    from matplotlib.transforms import ScaledTranslation, blended_transform_factory

    ax, fig = legend.axes, legend.figure
    axis = ax.xaxis.get_tightbbox(renderer)  # None when the axis draws nothing
    drop = (ax.bbox.y0 - (axis.y0 if axis else ax.bbox.y0)) / fig.dpi + 0.05
    below = ax.transAxes + ScaledTranslation(0, -drop, fig.dpi_scale_trans)
    if legend.get_window_extent(renderer).width > ax.bbox.width:
        # Wider than its axes (long y tick labels push the axes right): centred
        # in the figure, so that it does not stick out of it.
        below = blended_transform_factory(fig.transFigure, below)
    legend.set_loc("upper center")
    legend.set_bbox_to_anchor((0.5, 0), transform=below)


class FigureContractError(Exception):
    """A figure whose text is too small at column width (or at a phone's, in its
    phone variant), or whose legend covers data; its message lists each problem."""


def _phone_variant(fig) -> tuple[str, str]:
    """`fig`, as its wide light SVG was drawn, re-laid for a phone: its light and
    dark SVG. Drawn on a copy, so the wide figure goes on unchanged."""
    import copy

    import matplotlib.pyplot as plt

    phone = copy.deepcopy(fig)
    try:
        box = _lay_for_phone(phone)
        phone.set_layout_engine("none")
        if problems := check_figure(phone, box, PHONE_PX):
            raise FigureContractError(
                f"in its phone variant ({PHONE_PX} px wide, panels stacked):\n  "
                + "\n  ".join(problems)
            )
        light = _svg(phone, box)
        _recolour_for_dark(phone)
        return light, _svg(phone, box)
    finally:
        plt.close(phone)


def render_figure(fig) -> dict:
    """A figure as the site shows it, for snippets and labs alike: its alt text and
    description, a light and a dark SVG, and the same for a phone's column
    ("phone_light", "phone_dark"). Raises FigureContractError."""
    described = _describe(fig)
    _plain_log_ticks(fig)
    fig.draw_without_rendering()
    for ax in fig.axes:  # numbers that run into each other: fewer of them
        for axis in (ax.xaxis, ax.yaxis):
            _thin_numbers(axis, fig.canvas.get_renderer())
    box = _tight_box(fig)
    # Laid out by the draw that found the box: without this, the draw each savefig
    # does first (for a figure with a layout engine) would lay it out again.
    fig.set_layout_engine("none")
    if problems := check_figure(fig, box):
        raise FigureContractError(
            f"at the column's {COLUMN_PX} px:\n  " + "\n  ".join(problems)
        )
    light = _svg(fig, box)
    phone_light, phone_dark = _phone_variant(fig)
    _recolour_for_dark(fig)
    return {
        "light": light,
        "dark": _svg(fig, box),
        "phone_light": phone_light,
        "phone_dark": phone_dark,
        **described,
    }


def _plain(value, depth: int = 0):
    """`value` as JSON numbers, strings and lists of them, or None if it is not."""
    if isinstance(value, bool | int | float | str):
        return value
    if getattr(value, "ndim", None) == 0 and hasattr(value, "item"):
        return value.item()  # a 0-d tensor or a NumPy scalar
    if isinstance(value, list | tuple) and depth < 2 and len(value) <= 10_000:
        items = [_plain(item, depth + 1) for item in value]
        return None if any(item is None for item in items) else items
    return None


def _values(namespace: dict) -> dict:
    """What a page can quote from the run: every public module-level value that is
    a number, a string, or a list of them (a 0-d tensor becomes its number)."""
    found = {}
    for name, value in namespace.items():
        if not name.startswith("_") and (plain := _plain(value)) is not None:
            found[name] = plain
    return found


def _snippet_traceback(exc: BaseException, path: Path) -> str:
    """The traceback from the snippet's first frame on; the runner's are noise."""
    import traceback

    tb = exc.__traceback__
    while tb is not None and tb.tb_frame.f_code.co_filename != str(path):
        tb = tb.tb_next
    return "".join(traceback.format_exception(type(exc), exc, tb or exc.__traceback__))


def _run_one(path: Path) -> dict:
    import contextlib
    import runpy
    import time
    import warnings

    import matplotlib.pyplot as plt

    had_torch = "torch" in sys.modules
    if had_torch:
        import torch

        torch.set_default_dtype(torch.float32)
        # One thread: tiny models run several times faster than with torch's
        # default on a busy 2-core machine, and results do not depend on the cores.
        torch.set_num_threads(1)
    start = time.perf_counter()
    plt.close("all")
    plt.rcdefaults()
    plt.style.use(STYLE_FILE)
    plt.rcParams["svg.hashsalt"] = SVG_SALT
    # A new filter list also empties every module's "already warned" registry, so a
    # snippet shows its warnings whatever ran in this worker before it.
    warnings.resetwarnings()
    warnings.simplefilter("default")
    out = io.StringIO()
    shown = []

    def showwarning(message, category, *_args, **_kwargs):
        out.write(f"{category.__name__}: {message}\n")

    warnings.showwarning = showwarning
    plt.show = lambda *a, **k: shown.append(len(plt.get_fignums()))
    sys.argv = [str(path)]
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
            namespace = runpy.run_path(str(path), run_name="__main__")
    except BaseException as exc:  # noqa: BLE001 - SystemExit included: report all
        return {"error": _snippet_traceback(exc, path)}
    if not had_torch and "torch" in sys.modules:  # it ran with torch's defaults
        return {"error": "imports torch without naming it: add `import torch`"}
    figures = [plt.figure(n) for n in plt.get_fignums()]
    if shown and not shown[-1]:
        return {"error": "calls plt.show() but had drawn no figure when it did"}
    if figures and not shown:
        return {"error": f"drew {len(figures)} figure(s) but never calls plt.show()"}
    results = []
    for number, fig in enumerate(figures, 1):
        try:
            results.append(render_figure(fig))
        except FigureContractError as err:
            return {"error": f"figure {number} breaks the figure contract:\n  {err}"}
    plt.close("all")
    return {
        "output": out.getvalue(),
        "figures": results,
        "values": _values(namespace),
        "seconds": time.perf_counter() - start,
    }


def _serve() -> None:
    protocol = os.fdopen(os.dup(1), "w", buffering=1)
    os.dup2(2, 1)  # stray writes to fd 1 (C code) must not corrupt the protocol
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot  # noqa: F401 - imported once, here

    protocol.write(json.dumps({"ready": True}) + "\n")
    for line in sys.stdin:
        request = json.loads(line)
        if request.get("import") == "torch":
            import torch  # noqa: F401 - imported once, here
            import torch._dynamo  # noqa: F401 - the first optimizer imports it: seconds

            protocol.write(json.dumps({"imported": "torch"}) + "\n")
            continue
        os.chdir(request["cwd"])
        protocol.write(json.dumps(_run_one(Path(request["path"]))) + "\n")


if __name__ == "__main__":
    _serve()
