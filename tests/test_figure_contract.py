"""The figure contract every snippet's figure is held to when it runs: text at least
10 px tall at the column's 688 px, and no legend over plotted data."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import pytest
import snippet_runner
import snippet_worker
from test_snippet_runner import run


@pytest.fixture(autouse=True)
def site_style():
    with plt.style.context(snippet_worker.STYLE_FILE):
        yield
    plt.close("all")


def problems(fig) -> list[str]:
    return snippet_worker.check_figure(fig)


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
    ax.vlines([5], 0, 100, label="vlines")
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


def test_a_figure_that_breaks_the_contract_stops_the_snippet(tmp_path):
    source = (
        "import matplotlib.pyplot as plt\n"
        "fig, ax = plt.subplots()\n"
        "ax.plot([0, 100], [0, 100], label='loss')\n"
        "ax.set(title='Crossed', xlabel='step', ylabel='loss')\n"
        "ax.legend(loc='center')\n"
        "plt.show()\n"
    )
    with pytest.raises(snippet_runner.SnippetError) as err:
        run(tmp_path, source)
    message = str(err.value)
    assert message.startswith("snippets/demo.py failed:\nfigure 1 breaks the figure")
    assert "axes 'Crossed': the legend covers 'loss' near" in message


def tick_labels(ax) -> list[str]:
    ax.figure.canvas.draw()
    return [t.get_text() for t in ax.get_yticklabels(which="both") if t.get_text()]


def test_a_log_axis_under_two_decades_gets_plain_tick_labels():
    fig, ax = plt.subplots()
    ax.plot([0, 1], [0.4, 2.5])
    ax.set_yscale("log")
    assert any("times" in label for label in tick_labels(ax))  # 2x10^0, matplotlib's
    snippet_worker._plain_log_ticks(fig)
    assert {"0.6", "1", "2"} <= set(tick_labels(ax))


def test_a_log_axis_over_many_decades_keeps_its_powers_of_ten():
    fig, ax = plt.subplots()
    ax.plot([0, 1], [1e-6, 1])
    ax.set_yscale("log")
    before = tick_labels(ax)
    snippet_worker._plain_log_ticks(fig)
    assert tick_labels(ax) == before


def test_tick_labels_a_snippet_set_itself_stay():
    fig, ax = plt.subplots()
    ax.plot([0, 1], [0.05, 0.8])
    ax.set_yscale("log")
    ax.set_yticks([0.05, 0.1, 0.8], labels=["a", "b", "c"])
    ax.minorticks_off()
    snippet_worker._plain_log_ticks(fig)
    assert tick_labels(ax) == ["a", "b", "c"]


def test_dark_mode_lightens_a_grey_line_and_its_markers_alike(site_style):
    fig, ax = plt.subplots()
    (line,) = ax.plot([0, 1], [0, 1], "s-", color="0.3")
    snippet_worker._recolour_for_dark(fig)
    drawn = [line.get_color(), line.get_markerfacecolor(), line.get_markeredgecolor()]
    (grey,) = {matplotlib.colors.to_hex(c) for c in drawn}  # one colour for all
    assert matplotlib.colors.to_rgb(grey)[0] > 0.6  # 0.3 flipped: light on slate
    plt.close(fig)
