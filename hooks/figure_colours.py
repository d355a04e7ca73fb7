"""The figure contract's colour rule: in each axes, a reader tells every data line
(and scatter, bars, or a filled area with a legend entry) from every other, and
sees each one against the page, in BOTH palettes: the light SVG on Material's white
page and the dark SVG (figure_dark.dark) on Material's slate page.

Two artists are told apart by their style (a line style, a marker, or one drawn as
a line and the other as points, bars or an area) or else by colour: a CIEDE2000
difference of at least MIN_PAIR_DE between the colours a reader sees (alpha laid
over the page). Artists that look the same are one series to a reader (the lines of
ten seeds, a legend's empty proxy and the points it names); two such artists with
two legend labels are an error. Every artist needs MIN_BACKGROUND_DE from the page.

CIEDE2000 (Sharma, Wu and Dalal 2005, the CIE's current colour difference) is
written out here in a few lines: no colour library is a build dependency, and the
tests check it against that paper's reference pairs.
"""

from __future__ import annotations

import math
import re
from functools import cache
from importlib.util import find_spec
from pathlib import Path

# A line's colour must differ from another's this much when their styles are the
# same. CIEDE2000 about 2 is "just noticeable" between large patches side by side;
# thin lines need several times more (Stone, Szafir and Setlur, "An engineering
# model for color difference as a function of size", 2014). 20 keeps Okabe-Ito's
# closest pairs apart in both palettes (orange-yellow 22.2, blue-sky blue 22.3)
# and fails what the old dark palette merged (18.6 and 3.0 there).
MIN_PAIR_DE = 20.0
# A line or points must differ this much from the page: the site's light grey
# guides (0.6) are 25 from white and 23.6 from slate; the grey seed lines (0.75)
# that drowned in slate were 14.3 and 11.1.
MIN_BACKGROUND_DE = 20.0
WHITE = (1.0, 1.0, 1.0)
# Found, not imported: the figures need Material's colours, not its code.
MATERIAL = Path(find_spec("material").origin).parent / "templates" / "assets"


@cache
def slate() -> tuple[float, float, float]:
    """Material's dark page colour, read from its CSS: `--md-default-bg-color` of
    the slate scheme, an hsla() of `--md-hue`."""
    css = "".join(p.read_text() for p in (MATERIAL / "stylesheets").glob("*.css"))
    hue = re.search(r"--md-hue:\s*([\d.]+)deg", css)
    scheme = re.search(r"\[data-md-color-scheme=slate\]\{([^}]*)\}", css)
    bg = scheme and re.search(
        r"--md-default-bg-color:\s*hsla\(var\(--md-hue\),\s*([\d.]+)%,\s*([\d.]+)%",
        scheme.group(1),
    )
    if not (hue and bg):
        raise RuntimeError(f"no slate background colour in {MATERIAL}'s CSS")
    import colorsys

    h, s, light = float(hue.group(1)) / 360, float(bg.group(1)), float(bg.group(2))
    return colorsys.hls_to_rgb(h, light / 100, s / 100)


def lab(rgb) -> tuple[float, float, float]:
    """CIELAB (D65) of an sRGB colour given as three floats in 0..1."""
    lin = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb]
    x = (0.4124564 * lin[0] + 0.3575761 * lin[1] + 0.1804375 * lin[2]) / 0.95047
    y = 0.2126729 * lin[0] + 0.7151522 * lin[1] + 0.0721750 * lin[2]
    z = (0.0193339 * lin[0] + 0.1191920 * lin[1] + 0.9503041 * lin[2]) / 1.08883
    f = [t ** (1 / 3) if t > (6 / 29) ** 3 else t / (3 * (6 / 29) ** 2) + 4 / 29
         for t in (x, y, z)]  # fmt: skip
    return 116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])


def ciede2000(lab1, lab2) -> float:
    """The CIEDE2000 colour difference of two CIELAB colours (kL = kC = kH = 1)."""
    (l1, a1, b1), (l2, a2, b2) = lab1, lab2
    c_mean = (math.hypot(a1, b1) + math.hypot(a2, b2)) / 2
    g = 0.5 * (1 - math.sqrt(c_mean**7 / (c_mean**7 + 25**7)))
    a1, a2 = a1 * (1 + g), a2 * (1 + g)
    c1, c2 = math.hypot(a1, b1), math.hypot(a2, b2)
    h1 = math.degrees(math.atan2(b1, a1)) % 360 if c1 else 0.0
    h2 = math.degrees(math.atan2(b2, a2)) % 360 if c2 else 0.0
    dh = h2 - h1 if c1 * c2 else 0.0
    dh -= 360 * (dh > 180) - 360 * (dh < -180)
    d_l, d_c = l2 - l1, c2 - c1
    d_h = 2 * math.sqrt(c1 * c2) * math.sin(math.radians(dh / 2))
    l_mean, c_mean = (l1 + l2) / 2, (c1 + c2) / 2
    h_mean = h1 + h2
    if c1 * c2 and abs(h1 - h2) <= 180:
        h_mean /= 2
    elif c1 * c2:
        h_mean = (h_mean + 360) / 2 if h_mean < 360 else (h_mean - 360) / 2
    cos = lambda deg: math.cos(math.radians(deg))  # noqa: E731
    t = 1 - 0.17 * cos(h_mean - 30) + 0.24 * cos(2 * h_mean)
    t += 0.32 * cos(3 * h_mean + 6) - 0.20 * cos(4 * h_mean - 63)
    s_l = 1 + 0.015 * (l_mean - 50) ** 2 / math.sqrt(20 + (l_mean - 50) ** 2)
    s_c, s_h = 1 + 0.045 * c_mean, 1 + 0.015 * c_mean * t
    r_c = 2 * math.sqrt(c_mean**7 / (c_mean**7 + 25**7))
    r_t = -math.sin(math.radians(60 * math.exp(-(((h_mean - 275) / 25) ** 2)))) * r_c
    terms = (d_l / s_l) ** 2 + (d_c / s_c) ** 2 + (d_h / s_h) ** 2
    return math.sqrt(terms + r_t * (d_c / s_c) * (d_h / s_h))


def seen(rgba, page) -> tuple[float, float, float]:
    """The colour a reader sees: `rgba` laid over the page colour by its alpha."""
    *rgb, alpha = rgba
    return tuple(alpha * c + (1 - alpha) * p for c, p in zip(rgb, page, strict=True))


def hex_of(rgb) -> str:
    return "#" + "".join(f"{round(c * 255):02x}" for c in rgb[:3])


_DASHES = {"-": "solid", "solid": "solid", "--": "dashed", "dashed": "dashed"}
_DASHES |= {":": "dotted", "dotted": "dotted", "-.": "dashdot", "dashdot": "dashdot"}


def _series(ax):
    """(artist, label, style, rgba) of each data artist in `ax`: lines and their
    markers, scatters, vlines/hlines, bars, and areas with a legend entry. An
    errorbar counts as its points: its caps and bars follow their colour."""
    from matplotlib.collections import LineCollection, PathCollection
    from matplotlib.colors import to_rgba

    ignore = set()
    for container in ax.containers:
        if type(container).__name__ == "ErrorbarContainer":
            _, caps, bars = container.lines
            ignore.update(map(id, [*caps, *bars]))
        elif type(container).__name__ == "BarContainer" and container.patches:
            ignore.update(map(id, container.patches))
            patch = container.patches[0]
            rgba = to_rgba(patch.get_facecolor(), patch.get_alpha())
            yield container, container.get_label(), ("bars",), rgba
    for line in ax.lines:
        dash = _DASHES.get(line.get_linestyle(), "none")
        marker = str(line.get_marker())
        if id(line) in ignore or not line.get_visible() or dash == marker == "none":
            continue
        colour = line.get_color() if dash != "none" else line.get_markerfacecolor()
        if dash == "none" and to_rgba(colour)[3] == 0:  # hollow markers
            colour = line.get_markeredgecolor()
        style = ("line", dash, "" if marker in ("None", "none", "") else marker)
        yield line, line.get_label(), style, to_rgba(colour, line.get_alpha())
    for drawn in ax.collections:
        if id(drawn) in ignore or not drawn.get_visible():
            continue
        if drawn.get_array() is not None:  # coloured by value: a colour map
            continue
        label = drawn.get_label()
        if isinstance(drawn, PathCollection):
            colours, style = drawn.get_facecolor(), ("points",)
            if all(c[3] == 0 for c in colours):  # hollow points: their rims show
                colours = drawn.get_edgecolor()
        elif isinstance(drawn, LineCollection):
            # Dotted and dash-dot count as dashed: a stricter test, never a laxer one.
            dash = "solid" if drawn.get_linestyle()[0][1] is None else "dashed"
            colours, style = drawn.get_edgecolor(), ("line", dash, "")
        elif not _unlabelled(label):
            colours, style = drawn.get_facecolor(), ("area",)
        else:
            continue
        for rgba in {tuple(c) for c in colours}:
            yield drawn, label, style, to_rgba(rgba, drawn.get_alpha())
    for patch in ax.patches:
        if id(patch) not in ignore and not _unlabelled(patch.get_label()):
            rgba = to_rgba(patch.get_facecolor(), patch.get_alpha())
            yield patch, patch.get_label(), ("area",), rgba


def _unlabelled(label: str) -> bool:
    return not label or label.startswith("_")  # what a legend leaves out


def _name(label: str, style: tuple, colour: str) -> str:
    what = " ".join(s for s in style if s not in ("", "line"))
    what = f"{what} line" if style[0] == "line" else what
    if _unlabelled(label):
        return f"an unlabelled {what} ({colour})"
    return f"{label!r} ({what}, {colour})"


def _areas(fig) -> list[list]:
    """The figure's axes, twins together: they are drawn over one area."""
    groups: dict[tuple, list] = {}
    for ax in fig.axes:
        if ax.get_visible():
            groups.setdefault(tuple(ax.get_position().bounds), []).append(ax)
    return list(groups.values())


def pairs(fig, dark) -> list[dict]:
    """Every pair of distinct series in each area of `fig`, with their colours in
    each palette and the colour difference there; `dark` maps a colour to the dark
    palette. Also each line or points against the page: a pair whose second is
    None (an area or bars, large, show at less)."""
    found = []
    for axes in _areas(fig):
        ax = next((a for a in axes if a.get_title()), axes[0])
        where = f"axes {ax.get_title()!r}" if ax.get_title() else "an untitled axes"
        looks: dict[tuple, dict] = {}
        for ax_ in axes:
            for _artist, label, style, rgba in _series(ax_):
                rgba = tuple(round(c, 4) for c in rgba)
                look = looks.setdefault((style, rgba), {"labels": set()})
                look["labels"].add(label)
                look["style"], look["rgba"] = style, rgba
        series = list(looks.values())
        for s in series:
            named = sorted(x for x in s["labels"] if not _unlabelled(x))
            s["label"] = named[0] if named else "_"
            s["light"] = seen(s["rgba"], WHITE)
            s["dark"] = seen(dark(s["rgba"]), slate())
            for other in named[1:]:  # one look, two names: the legend cannot help
                found.append({"where": where, "a": s, "b": None, "same": other})
        for i, a in enumerate(series):
            thin = a["style"][0] in ("line", "points")
            for b in [None, *series[i + 1 :]] if thin else series[i + 1 :]:
                entry = {"where": where, "a": a, "b": b}
                for palette, page in (("light", WHITE), ("dark", slate())):
                    other = page if b is None else b[palette]
                    entry[palette] = ciede2000(lab(a[palette]), lab(other))
                found.append(entry)
    return found


def _apart(a: dict, b: dict) -> bool:
    """Told apart by style alone: a line style or a marker, or line vs points."""
    return a["style"] != b["style"]


def colour_problems(fig, dark) -> list[str]:
    """What breaks the colour rule in `fig`; `dark` is the dark palette's map."""
    problems = []
    for pair in pairs(fig, dark):
        a, b = pair["a"], pair["b"]
        if "same" in pair:
            problems.append(
                f"{pair['where']}: {a['label']!r} and {pair['same']!r} look the same"
                f" ({hex_of(a['light'])}, {' '.join(filter(None, a['style']))}):"
                " give one another colour, line style or marker"
            )
            continue
        if b is not None and _apart(a, b):
            continue
        limit = MIN_BACKGROUND_DE if b is None else MIN_PAIR_DE
        failed = [p for p in ("light", "dark") if pair[p] < limit]
        if not failed:
            continue
        palette = failed[-1]  # the dark one's colours, where both fail
        first = _name(a["label"], a["style"], hex_of(a[palette]))
        values = " and ".join(f"{pair[p]:.1f} ({p})" for p in failed)
        if b is None:
            pages = {"light": "white", "dark": f"slate {hex_of(slate())}"}
            problems.append(
                f"{pair['where']}: {first} hardly shows on the"
                f" {' and the '.join(f'{p} page ({pages[p]})' for p in failed)}:"
                f" CIEDE2000 {values} < {limit:g}; draw it darker or less transparent"
            )
        else:
            second = _name(b["label"], b["style"], hex_of(b[palette]))
            problems.append(
                f"{pair['where']}: {first} and {second} look alike in the"
                f" {' and '.join(failed)} palette{'s' * (len(failed) > 1)}:"
                f" CIEDE2000 {values} < {limit:g} with the same style; give one"
                " another colour (far apart in hue or lightness), line style or marker"
            )
    return problems
