"""A figure as the site shows it, for snippets (snippet_worker.py) and labs
(lab_kernel.py) alike: `render_figure` gives its alt text, a light and a dark SVG
(figure_dark.py), and the same two re-laid for a phone (figure_phone.py), each held
to the figure contract (figure_contract.py) first; `describe_figure` gives only
the alt text, title and axes, drawing nothing.

Every cached figure, a snippet's or a lab's, is keyed on FIGURE_CODE: any edit to
these files draws every figure again.
"""

from __future__ import annotations

import io
from pathlib import Path

from figure_contract import (
    COLUMN_PX,
    PHONE_PX,
    FigureContractError,
    check_figure,
    tight_box,
)
from figure_dark import recolour_for_dark
from figure_phone import lay_for_phone
from figure_ticks import plain_log_ticks, thin_numbers

STYLE_FILE = Path(__file__).with_name("figure.mplstyle")
SVG_SALT = "learning-rate-site"  # fixed ids in the SVG: same bytes on every build
# What draws a figure: its style, this module and the modules it uses.
FIGURE_MODULES = ("figures", "figure_contract", "figure_colours", "figure_dark")
FIGURE_MODULES += ("figure_phone", "figure_ticks")
FIGURE_CODE = (
    STYLE_FILE,
    *(Path(__file__).with_name(f"{name}.py") for name in FIGURE_MODULES),
)


def describe_figure(fig) -> dict:
    """Alt text, title and axes metadata: what a reader who cannot see it needs.
    All the snippet worker gives of a figure when it is told not to draw."""
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


def _svg(fig, box) -> str:
    buf = io.StringIO()
    fig.savefig(buf, format="svg", metadata={"Date": None}, bbox_inches=box)
    return buf.getvalue()


def _phone_variant(fig) -> tuple[str, str]:
    """`fig`, as its wide light SVG was drawn, re-laid for a phone: its light and
    dark SVG. Drawn on a copy, so the wide figure goes on unchanged."""
    import copy

    import matplotlib.pyplot as plt

    phone = copy.deepcopy(fig)
    try:
        box = lay_for_phone(phone)
        phone.set_layout_engine("none")
        if problems := check_figure(phone, box, PHONE_PX):
            raise FigureContractError(
                f"in its phone variant ({PHONE_PX} px wide, panels stacked):\n  "
                + "\n  ".join(problems)
            )
        light = _svg(phone, box)
        recolour_for_dark(phone)
        return light, _svg(phone, box)
    finally:
        plt.close(phone)


def render_figure(fig) -> dict:
    """A figure as the site shows it, for snippets and labs alike: its alt text and
    description, a light and a dark SVG, and the same for a phone's column
    ("phone_light", "phone_dark"). Raises FigureContractError."""
    described = describe_figure(fig)
    plain_log_ticks(fig)
    fig.draw_without_rendering()
    for ax in fig.axes:  # numbers that run into each other: fewer of them
        for axis in (ax.xaxis, ax.yaxis):
            thin_numbers(axis, fig.canvas.get_renderer())
    box = tight_box(fig)
    # Laid out by the draw that found the box: without this, the draw each savefig
    # does first (for a figure with a layout engine) would lay it out again.
    fig.set_layout_engine("none")
    if problems := check_figure(fig, box):
        raise FigureContractError(
            f"at the column's {COLUMN_PX} px:\n  " + "\n  ".join(problems)
        )
    light = _svg(fig, box)
    phone_light, phone_dark = _phone_variant(fig)
    recolour_for_dark(fig)
    return {
        "light": light,
        "dark": _svg(fig, box),
        "phone_light": phone_light,
        "phone_dark": phone_dark,
        **described,
    }
