"""The phone layout: a figure re-laid for a phone's column (figure_contract's
PHONE_IN wide), its panels stacked in one column, long titles, labels and legend
entries broken into lines, crowded tick labels thinned, and a legend that would
cover data or labels moved under its axes. figures.py draws the result as the
figure's phone variant and holds it to the contract.
"""

from __future__ import annotations

from figure_contract import PHONE_IN, FigureContractError, covering_legends, tight_box
from figure_ticks import unclutter_ticks

# A stacked panel's plotting area: as tall as in the wide figure, within these
# bounds (inches): a grid of small plots stays small, a single plot gets squarer.
PANEL_MIN_IN, PANEL_MAX_IN = 1.35, 2.4


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


def lay_for_phone(fig):
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
    box = tight_box(fig)
    crowded = [ax for ax in fig.axes if unclutter_ticks(ax, renderer)]
    if crowded:
        fit_height()
        box = tight_box(fig)
    covering = {
        id(legend): legend for legend, _ in covering_legends(fig) if legend.axes
    }
    astray = {id(legend): legend for legend in _astray_legends(fig, renderer)}
    if not covering and not astray and not crowded:
        return box
    for legend in (covering | astray).values():  # no room beside the lines: under
        _put_below(legend, renderer)
    fit_height()
    return tight_box(fig)


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
