"""Tick labels the site's way: plain numbers on a log axis shorter than two
decades; numbered labels that run into each other thinned, every other one (every
third, ...), in every figure; and, in the phone layout (figure_phone.py), named x
labels that clash broken into lines.
"""

from __future__ import annotations


def plain_log_ticks(fig) -> None:
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


def unclutter_ticks(ax, renderer) -> bool:
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
    return thin_numbers(ax.yaxis, renderer) or changed


def thin_numbers(axis, renderer) -> bool:
    """_thin_tick_labels for an axis whose labels are all numbers."""
    texts = [t.get_text() for t in axis.get_ticklabels(which="both") if t.get_text()]
    return all(map(_number, texts)) and _thin_tick_labels(axis, renderer)
