"""The figure contract every snippet's figure is held to when it runs: text at least
10 px tall at the column's 688 px, and no legend over plotted data; and the same in
its phone variant, re-laid 360 px wide with its panels stacked. The build runs it on
every figure it makes, so it is the test that the phone's text size holds."""

import copy

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import pytest

import figure_colours
import figure_contract
import figure_dark
import figure_phone
import figure_ticks
import figures
import snippet_runner
from test_snippet_runner import run


@pytest.fixture(autouse=True)
def site_style():
    with plt.style.context(figures.STYLE_FILE):
        yield
    plt.close("all")


def problems(fig) -> list[str]:
    return figure_contract.check_figure(fig)


def line_and_legend(loc: str, figsize=(7, 4), **plot) -> plt.Figure:
    fig, ax = plt.subplots(figsize=figsize)
    ax.plot([0, 100], [0, 100], label="rate", **plot)
    ax.set(title="Demo", xlabel="step", ylabel="learning rate")
    ax.legend(loc=loc)
    return fig


def test_a_single_figure_in_the_site_style_passes():
    assert problems(line_and_legend("upper left")) == []


def test_text_under_10_px_at_688_px_wide_fails_and_states_the_rule():
    # 10 pt text in a figure drawn 12 in wide shows 10 * 688 / ~860 = 8 px tall.
    (small,) = problems(line_and_legend("upper left", figsize=(12, 4)))
    assert "of 10 pt" in small and "px tall when the figure" in small
    assert "pt * 688 / width >= 10 px" in small


def test_a_small_tick_label_fails_in_a_figure_of_the_usual_width():
    fig = line_and_legend("upper left")
    fig.axes[0].tick_params(labelsize=6)  # 6 * 688 / ~480 pt: about 8.6 px
    (small,) = problems(fig)
    assert "of 6 pt" in small


def test_a_legend_over_a_segment_between_two_far_points_fails():
    # Only the line's two ends are data points; the legend covers its middle.
    (covered,) = problems(line_and_legend("center"))
    assert covered.startswith("axes 'Demo': the legend covers 'rate' near x=")


def test_vertical_and_horizontal_lines_beside_the_legend_pass():
    fig = line_and_legend("upper left")
    ax = fig.axes[0]
    ax.axvline(80, linestyle="--", label="a vertical line")
    ax.axhline(10, linestyle=":")
    ax.legend(loc="upper left")
    assert problems(fig) == []
    ax.axvline(5)  # through the legend, from the bottom of the axes to its top
    (covered,) = problems(fig)
    assert "the legend covers an unlabelled line near x=5" in covered
    ax.lines[-1].remove()
    ax.vlines([5], 0, 100, color="C1", label="vlines")  # not the rate's look
    (covered,) = problems(fig)
    assert "the legend covers 'vlines' near x=5" in covered


def test_steps_are_checked_as_drawn():
    fig, ax = plt.subplots()
    ax.plot([0, 10], [10, 0], drawstyle="steps-post", label="planned")
    ax.set(title="Steps", xlabel="epoch", ylabel="learning rate")
    ax.legend(loc="upper right")  # over the top step, not over the diagonal
    assert len(problems(fig)) == 1
    ax.get_lines()[0].set_drawstyle("default")  # the diagonal misses that corner
    assert problems(fig) == []


def test_markers_and_scatter_points_under_a_legend_fail():
    fig, ax = plt.subplots()
    ax.plot([0, 5, 10], [0, 10, 0], "o", label="markers only")
    ax.scatter([9], [9.5], label="one point")
    ax.set(title="Points", xlabel="step", ylabel="loss")
    ax.legend(loc="upper right")
    (covered,) = problems(fig)
    assert "'one point'" in covered
    ax.collections[0].remove()
    assert problems(fig) == []  # markers only: nothing under the legend's box


def test_data_the_axes_clips_away_is_not_covered():
    fig, ax = plt.subplots()
    ax.plot([0, 10], [0, 10], label="rate")
    ax.plot([0, 10], [50, 50], label="off the chart")  # above the y limit
    ax.set(ylim=(0, 10), title="Clipped", xlabel="step", ylabel="lr")
    ax.legend(loc="upper left", bbox_to_anchor=(0, 1.0))
    assert problems(fig) == []


def contract_failure(tmp_path, source: str) -> str:
    """The build's message for a snippet whose first figure breaks the contract."""
    with pytest.raises(snippet_runner.SnippetError) as err:
        run(tmp_path, source)
    message = str(err.value)
    assert message.startswith("snippets/demo.py failed:\nfigure 1 breaks the figure")
    return message


def test_a_figure_that_breaks_the_contract_stops_the_snippet(tmp_path):
    source = (
        "import matplotlib.pyplot as plt\n"
        "fig, ax = plt.subplots()\n"
        "ax.plot([0, 100], [0, 100], label='loss')\n"
        "ax.set(title='Crossed', xlabel='step', ylabel='loss')\n"
        "ax.legend(loc='center')\n"
        "plt.show()\n"
    )
    message = contract_failure(tmp_path, source)
    assert "axes 'Crossed': the legend covers 'loss' near" in message


def tick_labels(ax) -> list[str]:
    ax.figure.canvas.draw()
    return [t.get_text() for t in ax.get_yticklabels(which="both") if t.get_text()]


def test_a_log_axis_under_two_decades_gets_plain_tick_labels():
    fig, ax = plt.subplots()
    ax.plot([0, 1], [0.4, 2.5])
    ax.set_yscale("log")
    assert any("times" in label for label in tick_labels(ax))  # 2x10^0, matplotlib's
    figure_ticks.plain_log_ticks(fig)
    assert {"0.6", "1", "2"} <= set(tick_labels(ax))


def test_a_log_axis_over_many_decades_keeps_its_powers_of_ten():
    fig, ax = plt.subplots()
    ax.plot([0, 1], [1e-6, 1])
    ax.set_yscale("log")
    before = tick_labels(ax)
    figure_ticks.plain_log_ticks(fig)
    assert tick_labels(ax) == before


def test_tick_labels_a_snippet_set_itself_stay():
    fig, ax = plt.subplots()
    ax.plot([0, 1], [0.05, 0.8])
    ax.set_yscale("log")
    ax.set_yticks([0.05, 0.1, 0.8], labels=["a", "b", "c"])
    ax.minorticks_off()
    figure_ticks.plain_log_ticks(fig)
    assert tick_labels(ax) == ["a", "b", "c"]


def test_dark_mode_lightens_a_grey_line_and_its_markers_alike(site_style):
    fig, ax = plt.subplots()
    (line,) = ax.plot([0, 1], [0, 1], "s-", color="0.3")
    figure_dark.recolour_for_dark(fig)
    drawn = [line.get_color(), line.get_markerfacecolor(), line.get_markeredgecolor()]
    (grey,) = {matplotlib.colors.to_hex(c) for c in drawn}  # one colour for all
    assert matplotlib.colors.to_rgb(grey)[0] > 0.6  # 0.3 flipped: light on slate
    plt.close(fig)


# The colour rule (hooks/figure_colours.py): in each axes every pair of lines is
# told apart in both palettes, by colour (CIEDE2000) or by style.


def two_lines(first, second, **second_style) -> plt.Figure:
    fig, ax = plt.subplots()
    ax.plot([0, 10], [0, 1], color=first, label="first")
    ax.plot([0, 10], [1, 0], color=second, label="second", **second_style)
    ax.set(title="Pair", xlabel="step", ylabel="learning rate")
    ax.legend(loc="center left")
    return fig


@pytest.mark.parametrize(
    ("lab1", "lab2", "expected"),
    [  # Sharma, Wu and Dalal (2005), Table 1: pairs 1, 7, 17 and 25
        ((50, 2.6772, -79.7751), (50, 0, -82.7485), 2.0425),
        ((50, 0, 0), (50, -1, 2), 2.3669),
        ((50, 2.5, 0), (73, 25, -18), 27.1492),
        ((60.2574, -34.0099, 36.2677), (60.4626, -34.1751, 39.4387), 1.2644),
    ],
)
def test_ciede2000_matches_the_published_test_pairs(lab1, lab2, expected):
    assert figure_colours.ciede2000(lab1, lab2) == pytest.approx(expected, abs=1e-4)
    assert figure_colours.ciede2000(lab2, lab1) == pytest.approx(expected, abs=1e-4)


def test_the_dark_page_colour_is_read_from_materials_css():
    assert matplotlib.colors.to_hex(figure_colours.slate()) == "#1e2129"


def test_two_lines_of_too_similar_colours_fail_naming_both():
    # Vermilion and a vermilion a little lighter: one line to a reader.
    (alike,) = problems(two_lines("#D55E00", "#E0703A"))
    assert alike.startswith("axes 'Pair': 'first' (solid line, #d55e00) and")
    assert "'second' (solid line, #e0703a) look alike in the light and dark" in alike
    assert "CIEDE2000 7.0 (light) and 7.0 (dark) < 20 with the same style" in alike


def test_orange_and_yellow_as_the_old_dark_palette_drew_them_fail():
    # What the old dark map made of D55E00 and E69F00: both lifted to one lightness.
    (alike,) = problems(two_lines("#ff933d", "#ffc33d"))
    assert "CIEDE2000 18.5 (light) and 18.5 (dark) < 20" in alike


@pytest.mark.parametrize(
    ("first", "second"), [("C1", "C4"), ("C0", "C5"), ("C0", "C2")]
)
def test_okabe_ito_pairs_the_issue_named_pass_in_both_palettes(first, second):
    # Orange-yellow, blue-sky blue, blue-bluish green: apart after _dark too.
    fig = two_lines(first, second)
    assert problems(fig) == []
    for pair in figure_colours.pairs(fig, figure_dark.dark):
        if pair["b"] is not None:
            assert pair["dark"] >= figure_colours.MIN_PAIR_DE
            assert pair["dark"] == pytest.approx(pair["light"], abs=0.05)


def test_one_colour_with_two_line_styles_or_markers_passes():
    assert problems(two_lines("C0", "C0", linestyle="--")) == []
    assert problems(two_lines("C0", "C0", marker="o")) == []
    (alike,) = problems(two_lines("C0", "C0"))
    assert "'first' and 'second' look the same" in alike


def test_a_faint_grey_line_fails_on_the_dark_page_and_names_it():
    fig, ax = plt.subplots()
    ax.plot([0, 10], [0, 1], color="C0", label="mean")
    for seed in range(3):  # a group of one look: one series to a reader
        ax.plot([0, 10], [seed, 0], color="0.75", linewidth=0.7)
    ax.set(title="Seeds", xlabel="step", ylabel="loss")
    (faint,) = problems(fig)  # once for the three lines: one series
    assert faint.startswith("axes 'Seeds': an unlabelled solid line (#404040)")
    assert "light page (white) and the dark page (slate #1e2129)" in faint
    assert "CIEDE2000 14.3 (light) and 11.1 (dark) < 20" in faint
    for line in ax.lines[1:]:
        line.set_color("0.6")  # the WSD page's seed lines now
    assert problems(fig) == []


def test_scatter_points_and_a_line_of_one_colour_are_told_apart():
    fig, ax = plt.subplots()
    ax.plot([0, 10], [0, 1], color="C1", label="line")
    ax.scatter([5], [0.2], color="C1", label="points")
    ax.set(title="Kinds", xlabel="step", ylabel="loss")
    assert problems(fig) == []
    ax.scatter([6], [0.3], color="#E0703A", label="more points")
    (alike,) = problems(fig)
    assert alike.startswith("axes 'Kinds': 'points' (points, #d55e00) and 'more")


def test_hollow_scatter_points_are_judged_by_their_rims():
    fig, ax = plt.subplots()
    ax.plot([0, 10], [0, 1], color="C0", label="line")
    ax.scatter([5], [0.2], facecolors="none", edgecolors="C1", label="hollow")
    ax.set(title="Rims", xlabel="step", ylabel="loss")
    assert problems(fig) == []  # not "hardly shows": its face is see-through
    ax.scatter([6], [0.3], facecolors="none", edgecolors="#E0703A", label="also")
    (alike,) = problems(fig)
    assert alike.startswith("axes 'Rims': 'hollow' (points, #d55e00) and 'also'")


def test_dark_mode_keeps_okabe_ito_and_lifts_a_dark_hue_to_3_to_1():
    for colour in ("#0072B2", "#D55E00", "#E69F00", "#56B4E9", "#009E73"):
        assert matplotlib.colors.to_hex(figure_dark.dark(colour)) == colour.lower()
    navy = figure_dark.dark("#000080")
    assert figure_colours.lab(navy[:3])[0] >= figure_dark.DARK_MIN_L


def test_a_figure_with_lines_alike_stops_the_snippet(tmp_path):
    source = (
        "import matplotlib.pyplot as plt\n"
        "fig, ax = plt.subplots()\n"
        "ax.plot([0, 1], [0, 1], color='#D55E00', label='cosine')\n"
        "ax.plot([0, 1], [1, 0], color='#E0703A', label='linear')\n"
        "ax.set(title='Alike', xlabel='step', ylabel='lr')\n"
        "ax.legend(loc='center left')\n"
        "plt.show()\n"
    )
    message = contract_failure(tmp_path, source)
    assert "axes 'Alike': 'cosine' (solid line, #d55e00) and 'linear'" in message


# ---------------------------------------------------------------- phone variant


def svg_px(svg: str) -> tuple[int, int]:
    return snippet_runner.svg_size(svg)


def test_a_grid_is_redrawn_for_a_phone_with_its_panels_stacked():
    fig, (left, right) = plt.subplots(1, 2, sharey=True, figsize=(9, 4))
    for ax, title in [(left, "Left"), (right, "Right")]:
        ax.plot([0, 10], [0, 1], label=title.lower())
        ax.set(title=title, xlabel="step", ylabel="learning rate")
    figure = figures.render_figure(fig)
    wide, phone = svg_px(figure["light"]), svg_px(figure["phone_light"])
    assert wide[0] > 700 and wide[0] > 1.8 * wide[1]  # side by side, as drawn
    # Drawn for the phone's column, shown at the size it is drawn: the two panels
    # one under the other, each with its own y tick labels (sharey hid the right's).
    assert abs(phone[0] - figure_contract.PHONE_PX) < 25 and phone[1] > 1.3 * phone[0]
    assert figure["phone_dark"] != figure["phone_light"]  # recoloured
    # Drawn on a copy: the wide figure keeps its size and its grid.
    assert tuple(fig.get_size_inches()) == (9, 4)
    assert right.get_subplotspec().colspan.start == 1


def small_figure(labelsize: float) -> plt.Figure:
    fig, ax = plt.subplots(figsize=(5, 3))  # narrow: its text is large at 688 px
    ax.plot([0, 100], [0, 100], label="rate")
    ax.set(title="Demo", xlabel="step", ylabel="learning rate")
    ax.tick_params(labelsize=labelsize)
    ax.legend(loc="upper left")
    return fig


def test_text_under_10_px_on_a_phone_fails_though_the_column_passes():
    # 7 pt is 7 * 688 / ~370 pt = 13 px in the column, but the phone variant is
    # drawn 270 pt wide for 360 px: 7 * 360 / 270 = 9.3 px.
    fig = small_figure(7)
    assert problems(fig) == []
    with pytest.raises(figure_contract.FigureContractError) as err:
        figures.render_figure(fig)
    message = str(err.value)
    assert message.startswith("in its phone variant (360 px wide, panels stacked)")
    assert "of 7 pt" in message and "shown 360 px wide" in message
    assert "pt * 360 / width >= 10 px" in message
    figures.render_figure(small_figure(8))  # 10.7 px: passes


def test_a_snippet_whose_phone_variant_breaks_the_contract_names_it(tmp_path):
    source = (
        "import matplotlib.pyplot as plt\n"
        "fig, ax = plt.subplots(figsize=(5, 3))\n"
        "ax.plot([0, 100], [0, 100])\n"
        "ax.set(title='Tiny', xlabel='step', ylabel='loss')\n"
        "ax.tick_params(labelsize=7)\n"
        "plt.show()\n"
    )
    with pytest.raises(snippet_runner.SnippetError) as err:
        run(tmp_path, source)
    assert str(err.value).startswith(
        "snippets/demo.py failed:\nfigure 1 breaks the figure contract:\n"
        "  in its phone variant (360 px wide, panels stacked):\n  "
    )
    assert "text(s) of 7 pt, such as '0', " in str(err.value)


def test_a_legend_that_would_cover_data_on_a_phone_moves_under_the_axes():
    # Clear of the line at 7 in wide; at 3.75 in, the same box covers its corner.
    fig, ax = plt.subplots()
    ax.plot([0, 100], [0, 0.5], label="a rate with a long name")
    ax.plot([60, 100], [0.97, 0.97], label="another, named at length")
    ax.set(title="Moves", xlabel="step", ylabel="learning rate")
    ax.legend(loc="upper left")
    assert problems(fig) == []
    phone = copy.deepcopy(fig)
    box = figure_phone.lay_for_phone(phone)
    assert figure_contract.check_figure(phone, box, figure_contract.PHONE_PX) == []
    legend, axes = phone.axes[0].get_legend(), phone.axes[0]
    renderer = phone.canvas.get_renderer()
    assert legend.get_window_extent(renderer).y1 < axes.bbox.y0  # under the axes
    plt.close(phone)


def test_long_titles_wrap_and_wide_legends_take_fewer_columns_on_a_phone():
    fig, ax = plt.subplots()
    for n in range(3):
        ax.plot([0, 1], [n, n + 1], label=f"schedule number {n}")
    ax.set(title="A title far too long for a phone's column of 360 px", xlabel="x")
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.2), ncols=3)
    fig.suptitle("And a suptitle that is longer still than the axes title above")
    phone = copy.deepcopy(fig)
    box = figure_phone.lay_for_phone(phone)
    assert box.width * 96 < figure_contract.PHONE_PX + 25  # nothing sticks out
    assert "\n" in phone.axes[0].get_title() and "\n" in phone._suptitle.get_text()
    assert len(phone.axes[0].get_legend()._legend_handle_box.get_children()) < 3
    plt.close(phone)


def test_named_ticks_that_run_into_each_other_on_a_phone_get_a_line_per_word():
    fig, ax = plt.subplots()
    ax.plot(range(5), [1, 2, 3, 2, 1])
    names = ["linear", "1-sqrt", "cosine", "warmup + cosine", "none"]
    ax.set_xticks(range(5), names)
    ax.set(title="Ticks", xlabel="schedule", ylabel="loss")
    phone = copy.deepcopy(fig)
    figure_phone.lay_for_phone(phone)
    labels = [t.get_text() for t in phone.axes[0].get_xticklabels()]
    assert labels == [*names[:3], "warmup\n+\ncosine", "none"]
    assert [t.get_text() for t in ax.get_xticklabels()] == names  # wide: as drawn
    plt.close(phone)


def test_a_note_in_the_plot_wraps_so_the_axes_keeps_its_width_on_a_phone():
    fig, ax = plt.subplots()
    ax.plot([0, 100], [0, 1])
    ax.annotate("a note that is far too long for a phone's narrow axes", (5, 0.5))
    ax.set(title="Note", xlabel="step", ylabel="loss")
    figure_contract.tight_box(fig)  # drawn wide first, as render_figure does
    phone = copy.deepcopy(fig)
    figure_phone.lay_for_phone(phone)
    assert "\n" in phone.axes[0].texts[0].get_text()
    width = phone.axes[0].get_position().width * figure_contract.PHONE_IN
    assert width > 2.5  # inches of plotting area, of the figure's 3.75
    plt.close(phone)


def test_a_nested_grid_is_refused_rather_than_stacked_into_one_panel():
    fig = plt.figure()
    outer = fig.add_gridspec(1, 2)
    inner = outer[0, 1].subgridspec(2, 1)
    for number, spec in enumerate([outer[0, 0], inner[0], inner[1]]):
        ax = fig.add_subplot(spec)
        ax.plot([0, 1], [0, 1])
        ax.set(title=f"Panel {number}", xlabel="step", ylabel="learning rate")
    with pytest.raises(figure_contract.FigureContractError, match="nested grid"):
        figures.render_figure(fig)
    plt.close(fig)


def test_numbered_ticks_that_run_into_each_other_on_a_phone_are_thinned():
    fig, ax = plt.subplots()
    rates = [2.0**-n for n in range(8)]
    ax.plot(rates, range(8))
    ax.set_xscale("log")
    ax.set_xticks(rates, [f"{r:g}" for r in rates])
    ax.set(title="Rates", xlabel="learning rate", ylabel="loss")
    phone = copy.deepcopy(fig)
    figure_phone.lay_for_phone(phone)
    renderer = phone.canvas.get_renderer()
    shown = [t for t in phone.axes[0].get_xticklabels() if t.get_text()]
    assert 2 <= len(shown) < 8  # every other one, or fewer
    gap = renderer.points_to_pixels(3)
    assert not figure_ticks._clash(figure_ticks._spans(shown, renderer, "x"), gap)
    assert len([t for t in ax.get_xticklabels() if t.get_text()]) == 8  # wide
    plt.close(phone)


def test_a_legend_placed_under_the_axes_by_hand_clears_the_x_label_on_a_phone():
    fig, ax = plt.subplots()
    for n in range(3):
        ax.plot([0, 100], [n, n + 1], label=f"line {n}")
    ax.set(title="Under", xlabel="step", ylabel="loss")
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.15))  # room at 7 x 4 in
    phone = copy.deepcopy(fig)
    figure_phone.lay_for_phone(phone)
    renderer = phone.canvas.get_renderer()
    axes = phone.axes[0]
    legend = axes.get_legend().get_window_extent(renderer)
    assert legend.y1 < axes.xaxis.label.get_window_extent(renderer).y0
    plt.close(phone)


def test_a_phone_variant_wider_than_its_column_fails():
    fig, ax = plt.subplots(figsize=(5.5, 3))  # drawn wider than a phone's 3.75 in
    ax.plot([0, 100], [0, 1])
    ax.set(title="Wide", xlabel="step", ylabel="loss")
    box = figure_contract.tight_box(fig)
    [problem] = figure_contract.check_figure(fig, box, figure_contract.PHONE_PX)
    assert "wider than the" in problem and "shown shrunk" in problem
    assert figure_contract.check_figure(fig, box) == []  # the column takes it


def test_a_long_name_breaks_after_its_parenthesis_not_before_a_note_in_one():
    fig, ax = plt.subplots()
    title = ax.set_title("CosineAnnealingWarmRestarts(T_0=4, T_mult=2) and (warmup)")
    figure_phone._wrap(title, 200, fig.canvas.get_renderer())
    lines = title.get_text().split("\n")
    assert lines[0] == "CosineAnnealingWarmRestarts("
    assert not any(line.endswith(" (") for line in lines)
