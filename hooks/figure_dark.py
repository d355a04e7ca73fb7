"""The dark palette: each figure's dark SVG is its light one recoloured for
Material's slate page. Greys flip their lightness; a hue keeps its colour where it
shows on slate and is lightened just enough where it does not. The contract's
colour rule (figure_colours.py) checks the lines in both palettes, this map's too.
"""

from __future__ import annotations

import colorsys

from figure_colours import lab

INK, GRID = "#24292f", "#d0d7de"  # text and grid colours of figure.mplstyle
# A hue darker than this (CIELAB L*) is lightened for the dark page: L* 45 is the
# 3:1 contrast on slate that WCAG asks of graphics (1.4.11). Okabe-Ito keeps its hues.
DARK_MIN_L = 45
DARK_TEXT_MIN_L = 57  # and a coloured text's: 4.5:1, as WCAG asks of text (1.4.3)


def dark(color, min_l: float = DARK_MIN_L):
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


def recolour_for_dark(fig) -> None:
    """Redraw `fig` in the dark palette: its texts, lines, markers, patches and
    flat-coloured collections, and the ticks drawn from now on."""
    from matplotlib.collections import Collection
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch
    from matplotlib.text import Text

    artists = {id(a): a for a in fig.findobj()}  # each once: the map is not idempotent
    for artist in artists.values():
        if isinstance(artist, Text):
            artist.set_color(dark(artist.get_color(), DARK_TEXT_MIN_L))
        elif isinstance(artist, Line2D):
            # Read first: a marker that follows the line's colour would report
            # the new one, and a grey mapped twice is back where it started.
            face, edge = artist.get_markerfacecolor(), artist.get_markeredgecolor()
            artist.set_color(dark(artist.get_color()))
            artist.set_markerfacecolor(dark(face))
            artist.set_markeredgecolor(dark(edge))
        elif isinstance(artist, Patch):
            artist.set_facecolor(dark(artist.get_facecolor()))
            artist.set_edgecolor(dark(artist.get_edgecolor()))
        elif isinstance(artist, Collection) and artist.get_array() is None:
            artist.set_facecolor([dark(c) for c in artist.get_facecolor()])
            artist.set_edgecolor([dark(c) for c in artist.get_edgecolor()])
    for ax in fig.axes:  # ticks made at draw time copy these, not the old ticks
        ax.tick_params(which="both", colors=dark(INK), grid_color=dark(GRID))
