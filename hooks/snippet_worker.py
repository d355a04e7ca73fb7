"""The snippet worker: run as a script, it imports matplotlib once (torch once too,
when asked, before the first snippet that names it), then reads one JSON request
per line on stdin (a snippet's path and the folder to run it from) and answers
one JSON line: what the snippet printed, its figures as light and dark SVG, and
its module-level values; or its traceback. `snippet_runner.py` starts
and feeds it. Labs draw their figures with its `render_figure` too.

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
    axes = []
    for ax in fig.axes:
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


def _small_texts(fig, width_pt: float) -> list[str]:
    """Texts under MIN_TEXT_PX once the figure, `width_pt` points wide in its SVG,
    is scaled to COLUMN_PX wide: a text's size in px is pt * COLUMN_PX / width_pt."""
    scale = COLUMN_PX / width_pt
    small: dict[float, list[str]] = {}
    for text in _visible_texts(fig):
        if text.get_fontsize() * scale < MIN_TEXT_PX:
            small.setdefault(text.get_fontsize(), []).append(repr(text.get_text()))
    return [
        f"{len(names)} text(s) of {size:g} pt, such as {', '.join(names[:3])}, are"
        f" {size * scale:.1f} px tall when the figure, {width_pt:.0f} pt wide, is"
        f" shown {COLUMN_PX} px wide; the rule is pt * {COLUMN_PX} / width >="
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


def _covered_data(fig) -> list[str]:
    """Plotted data inside a legend's box, in display coordinates. Every legend is
    checked against every axes: twin axes share one area."""
    from matplotlib.transforms import Bbox

    renderer = fig.canvas.get_renderer()  # as the last draw (_tight_box) left it
    legends = [ax.get_legend() for ax in fig.axes] + fig.legends
    problems = []
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
                    problems.append(
                        f"{_where(ax)}: the legend covers {what}"
                        f" near x={x:.3g}, y={y:.3g}"
                    )
    return problems


def check_figure(fig, box=None) -> list[str]:
    """What breaks the figure contract in `fig`, whose SVG is cropped to `box`, the
    tight box just found (found here if not given)."""
    box = _tight_box(fig) if box is None else box
    problems = _small_texts(fig, box.width * 72) + _covered_data(fig)  # SVG: 72 pt/in
    return problems + colour_problems(fig, _dark)  # lines told apart, both palettes


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


class FigureContractError(Exception):
    """A figure whose text is too small at column width, or whose legend covers
    data; its message lists each problem."""


def render_figure(fig) -> dict:
    """A figure as the site shows it, for snippets and labs alike: its alt text and
    description, and a light and a dark SVG. Raises FigureContractError."""
    described = _describe(fig)
    _plain_log_ticks(fig)
    box = _tight_box(fig)
    # Laid out by the draw that found the box: without this, the draw each savefig
    # does first (for a figure with a layout engine) would lay it out again.
    fig.set_layout_engine("none")
    if problems := check_figure(fig, box):
        raise FigureContractError("\n  ".join(problems))
    light = _svg(fig, box)
    _recolour_for_dark(fig)
    return {"light": light, "dark": _svg(fig, box), **described}


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
