"""The figure contract: every figure is checked at the width a page shows it, the
column's and, in its phone variant, a phone's. `check_figure` lists what breaks
it (text too small, a legend over data, a phone variant too wide, and the colour
rule of figure_colours.py); `figures.render_figure` raises FigureContractError
with that list, which fails the snippet or the lab, and so the build.
"""

from __future__ import annotations

from figure_colours import colour_problems
from figure_dark import dark

# The figure contract: a page shows each figure as wide as its column, 688 px (a
# phone narrows it further, and the lightbox enlarges it); there every text is at
# least 10 px tall, and no legend covers a plotted point.
COLUMN_PX = 688
MIN_TEXT_PX = 10
# A phone's column is narrower: 358 px on a 390 px phone. There each figure is shown
# in a variant of its own (the page's <picture> picks it by a media query), re-laid
# for PHONE_PX: as wide as that, in inches at 96 px each, so it is shown at the size
# it is drawn, and its panels stacked in one column. Its text is held to
# MIN_TEXT_PX at PHONE_PX too; the site's 10 pt is 13 px there.
PHONE_PX = 360
PHONE_IN = PHONE_PX / 96


class FigureContractError(Exception):
    """A figure whose text is too small at column width (or at a phone's, in its
    phone variant), or whose legend covers data; its message lists each problem."""


def tight_box(fig):
    """A tight box around what the figure draws, padded as savefig pads it. Found
    once, by Agg at the figure's dpi, for both palettes: savefig(bbox_inches=
    "tight") draws the figure twice more for each SVG to find its own, in the SVG's
    72 dpi, which differs by a point or so (the padding is 7 pt)."""
    import matplotlib.pyplot as plt

    fig.draw_without_rendering()  # ticks, and legends at loc="best", placed
    box = fig.get_tightbbox(fig.canvas.get_renderer())
    return box.padded(plt.rcParams["savefig.pad_inches"])


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


def covering_legends(fig):
    """(legend, message) for each plotted point or segment inside a legend's box, in
    display coordinates. Every legend is checked against every axes: twin axes
    share one area."""
    from matplotlib.transforms import Bbox

    renderer = fig.canvas.get_renderer()  # as the last draw (tight_box) left it
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
    return [message for _, message in covering_legends(fig)]


def check_figure(fig, box=None, shown_px: int = COLUMN_PX) -> list[str]:
    """What breaks the figure contract in `fig`, shown `shown_px` wide (COLUMN_PX,
    or PHONE_PX for its phone variant), whose SVG is cropped to `box`, the tight box
    just found (found here if not given)."""
    box = tight_box(fig) if box is None else box
    problems = _small_texts(fig, box.width * 72, shown_px) + _covered_data(fig)
    if shown_px == PHONE_PX:  # its colours and styles are the wide figure's, checked
        return problems + _too_wide(box)
    return problems + colour_problems(fig, dark)  # lines told apart, both palettes


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
