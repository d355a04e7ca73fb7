"""The playground page in headless Chromium: what a reader does with the slider, the
presets and the schedule explorer, with the keyboard and across instant navigation.
The browser_page fixture fails a test on console errors or requests to other hosts."""

from __future__ import annotations

import json
import math
import re

import pytest

from support import ROOT, node, overflowing

pytestmark = pytest.mark.browser

SCHEDULES_JS = ROOT / "docs/javascripts/lib/schedules.js"
SURFACES = ["q1", "q2", "dw"]
DESCENT = "[data-widget=descent]"
EXPLORER = "[data-widget=explorer]"


def open_playground(page):
    page.goto("playground/")
    page.wait_for_selector(f"{DESCENT}:not([hidden])")
    page.wait_for_selector(f"{EXPLORER}:not([hidden])")


def status(page, widget=DESCENT) -> str:
    return page.locator(f"{widget} .lrp-status").text_content()


def press_on_slider(page, key: str) -> None:
    page.locator(f"{DESCENT} input[type=range]").press(key)


def curve(page, svg_index: int = 0, widget=EXPLORER) -> str:
    """The `d` of the curve drawn in a widget's n-th chart."""
    return (
        page.locator(f"{widget} .lrp-plots > svg")
        .nth(svg_index)
        .evaluate(
            "svg => [...svg.querySelectorAll('path')]"
            ".map(p => p.getAttribute('d')).join()"
        )
    )


@pytest.mark.parametrize("surface", SURFACES)
def test_slider_extremes_say_diverging_and_slow(browser_page, surface):
    open_playground(browser_page)
    browser_page.select_option(f"{DESCENT} select", surface)
    press_on_slider(browser_page, "End")
    assert status(browser_page).startswith("Diverging")
    assert browser_page.locator(f"{DESCENT} output").text_content() == "3.16"
    press_on_slider(browser_page, "Home")
    assert status(browser_page).startswith("Slow")
    assert browser_page.locator(f"{DESCENT} output").text_content() == "1.00e-4"


def test_status_is_announced_politely(browser_page):
    open_playground(browser_page)
    live = browser_page.locator(f"{DESCENT} .lrp-status[aria-live=polite]")
    assert live.count() == 1
    assert live.text_content().startswith("Converging")


@pytest.mark.parametrize("surface", SURFACES)
def test_presets_give_the_three_lessons(browser_page, surface):
    open_playground(browser_page)
    browser_page.select_option(f"{DESCENT} select", surface)
    said = {}
    for preset in ("0", "1", "2"):
        browser_page.click(f"{DESCENT} [data-preset='{preset}']")
        said[preset] = status(browser_page)
    assert said["0"].startswith("Slow"), said
    assert re.match(r"(Oscillating but converging|Converging)", said["1"]), said
    assert said["2"].startswith("Diverging"), said


def test_quadratic_thresholds_come_from_the_curvature(browser_page):
    open_playground(browser_page)
    browser_page.select_option(f"{DESCENT} select", "q2")  # curvatures 1 and 10
    browser_page.click(f"{DESCENT} [data-preset='1']")  # 0.18: between 0.1 and 0.2
    assert status(browser_page).startswith("Oscillating but converging")
    browser_page.click(f"{DESCENT} [data-preset='2']")  # 0.21 > 2/10
    assert "2/λ_max = 0.2" in status(browser_page)


def test_arrow_right_moves_the_slider(browser_page):
    open_playground(browser_page)
    slider = browser_page.locator(f"{DESCENT} input[type=range]")
    before = float(slider.input_value())
    shown = browser_page.locator(f"{DESCENT} output").text_content()
    trajectory = curve(browser_page, 0, DESCENT)
    slider.focus()
    browser_page.keyboard.press("ArrowRight")
    assert float(slider.input_value()) == pytest.approx(before + 0.01)
    assert browser_page.locator(f"{DESCENT} output").text_content() != shown
    assert curve(browser_page, 0, DESCENT) != trajectory


def set_rate(page, rate: float) -> None:
    """Move the slider to the notch that shows `rate`, as a reader would drag it."""
    page.locator(f"{DESCENT} input[type=range]").evaluate(
        "(el, v) => { el.value = v; el.dispatchEvent(new Event('input')); }",
        f"{math.log10(rate):.2f}",
    )


def shown_rate(page) -> str:
    return page.locator(f"{DESCENT} output").text_content()


# What the page says of the double well from w = 2: the rates it names and the
# minimum each reaches (or that it diverges), in the words of the sentence that says so.
WELLS = {
    "rates 0.1 and 0.2 stop in the shallower minimum": {
        0.1: "shallower",
        0.2: "shallower",
    },
    "Rates 0.3, 0.4 (the good preset), 0.5 and 0.6 overshoot the hump": {
        0.3: "deeper",
        0.4: "deeper",
        0.5: "deeper",
        0.6: "deeper",
    },
    "One notch up, with 0.62, the second step jumps further": {0.62: "shallower"},
    "With lr = 0.7": {0.7: "Diverging"},
    "0.65 already diverges too": {0.65: "Diverging"},
}


def test_the_slider_lands_on_the_rates_the_text_names_with_its_outcome(browser_page):
    open_playground(browser_page)
    text = " ".join(browser_page.locator("article").inner_text().split())
    browser_page.select_option(f"{DESCENT} select", "dw")
    for claim, rates in WELLS.items():
        assert claim in text, claim
        for rate, outcome in rates.items():
            set_rate(browser_page, rate)
            assert shown_rate(browser_page) == f"{rate:g}", (claim, rate)
            said = status(browser_page)
            if outcome == "Diverging":
                assert said.startswith("Diverging"), (rate, said)
            else:
                assert f"to the {outcome} " in said, (rate, said)


def test_one_notch_above_0_6_picks_the_other_well_by_keyboard(browser_page):
    open_playground(browser_page)
    browser_page.select_option(f"{DESCENT} select", "dw")
    set_rate(browser_page, 0.6)
    assert "to the deeper (global) minimum" in status(browser_page)
    press_on_slider(browser_page, "ArrowRight")
    assert shown_rate(browser_page) == "0.62"
    assert "to the shallower (local) minimum" in status(browser_page)
    press_on_slider(browser_page, "ArrowLeft")
    assert shown_rate(browser_page) == "0.6"


def test_a_diverging_run_counts_its_steps_one_way(browser_page):
    open_playground(browser_page)
    browser_page.select_option(f"{DESCENT} select", "dw")
    browser_page.click(f"{DESCENT} [data-preset='2']")  # 0.7, as the text says
    said = re.search(r"passed 10⁶ at step (\d+)", status(browser_page))
    info = browser_page.locator(f"{DESCENT} .lrp-info").text_content()
    shown = re.match(r"Step (\d+) of (\d+): w = (\S+),", info)
    assert said and shown, (status(browser_page), info)
    assert said.group(1) == shown.group(1) == shown.group(2)
    assert abs(float(shown.group(3))) > 1e6  # the step shown is the one past 10⁶
    text = " ".join(browser_page.locator("article").inner_text().split())
    assert re.search(rf"cut-off, 10\s?6\s?, at step {said.group(1)};", text), text


def test_no_word_a_reader_cannot_follow(browser_page):
    open_playground(browser_page)
    assert "seed" not in browser_page.locator("article").inner_text().lower()


def test_no_horizontal_overflow_on_a_390_px_phone(browser_page):
    browser_page.set_viewport_size({"width": 390, "height": 844})
    open_playground(browser_page)
    select = browser_page.locator(f"{EXPLORER} select[name=scheduler]")
    for name in select.evaluate("s => [...s.options].map(o => o.value)"):
        select.select_option(name)
        width = browser_page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, (name, width)
        assert overflowing(browser_page) == [], name


def test_step_reset_and_play(browser_page):
    open_playground(browser_page)
    info = browser_page.locator(f"{DESCENT} .lrp-info")
    browser_page.click(f"{DESCENT} [data-act=reset]")
    assert info.text_content().startswith("Step 0 of 100")
    browser_page.click(f"{DESCENT} [data-act=step]")
    browser_page.click(f"{DESCENT} [data-act=step]")
    assert info.text_content().startswith("Step 2 of 100")
    play = browser_page.locator(f"{DESCENT} [data-act=play]")
    play.click()
    assert play.get_attribute("aria-pressed") == "true"
    browser_page.wait_for_function(
        "() => /^Step ([3-9]|\\d\\d)/.test("
        "document.querySelector('[data-widget=descent] .lrp-info').textContent)"
    )
    play.click()  # pause
    assert play.get_attribute("aria-pressed") == "false"
    paused_at = info.text_content()
    browser_page.wait_for_timeout(300)
    assert info.text_content() == paused_at


def scheduler_names() -> list[str]:
    script = "console.log(JSON.stringify(Object.keys(require(process.argv[1]).SPECS)))"
    return json.loads(node("-e", script, str(SCHEDULES_JS)))


def test_every_scheduler_in_the_explorer_draws_its_curve(browser_page):
    open_playground(browser_page)
    select = browser_page.locator(f"{EXPLORER} select[name=scheduler]")
    options = select.evaluate("s => [...s.options].map(o => o.value)")
    assert sorted(options) == sorted(scheduler_names())
    code = browser_page.locator(f"{EXPLORER} pre code")
    momentum = browser_page.locator(f"{EXPLORER} .lrp-plots > svg").nth(1)
    for name in options:
        select.select_option(name)
        assert re.fullmatch(r"M[-\d. ]+(L[-\d. ]+){99}", curve(browser_page)), name
        module = "swa_utils" if name == "SWALR" else "lr_scheduler"
        assert f"{module}.{name}(" in code.text_content()
        second = ("CyclicLR", "OneCycleLR", "ReduceLROnPlateau")
        assert momentum.is_visible() == (name in second), name
        if momentum.is_visible():
            assert curve(browser_page, 1).startswith("M"), name


def choose_by_keyboard(page, select, value: str) -> None:
    """Focus a <select> and press arrow keys until `value` is chosen, as a reader
    without a mouse does."""
    select.focus()
    values = select.evaluate("s => [...s.options].map(o => o.value)")
    here = values.index(select.input_value())
    key = "ArrowDown" if values.index(value) > here else "ArrowUp"
    for _ in range(abs(values.index(value) - here)):
        page.keyboard.press(key)
    assert select.input_value() == value


def choose_scheduler(page, name: str) -> None:
    """Pick the explorer's scheduler by keyboard."""
    choose_by_keyboard(page, page.locator(f"{EXPLORER} select[name=scheduler]"), name)


def type_into(page, field, text: str) -> None:
    """Replace a field's text by keyboard."""
    field.focus()
    page.keyboard.press("Control+A")
    page.keyboard.type(text)


def focused_name(page) -> str:
    return page.evaluate("document.activeElement.name")


def test_a_composition_is_built_by_keyboard(browser_page):
    open_playground(browser_page)
    page, code = browser_page, browser_page.locator(f"{EXPLORER} pre code")
    choose_scheduler(page, "SequentialLR")
    assert "schedulers=[first, second], milestones=[10]" in code.text_content()
    second = page.locator(f"{EXPLORER} select[name='schedulers.1']")
    choose_by_keyboard(page, second, "ExponentialLR")
    assert focused_name(page) == "schedulers.1"  # the fields were rebuilt
    assert "second = lr_scheduler.ExponentialLR(optimizer, gamma=0.95)" in (
        code.text_content()
    )
    third = page.locator(f"{EXPLORER} select[name='schedulers.2']")
    choose_by_keyboard(page, third, "StepLR")
    assert "milestones=[10, 40]" in code.text_content()  # one more, kept valid
    type_into(page, page.locator(f"{EXPLORER} input[name=milestones]"), "20")
    assert status(page, EXPLORER).startswith("Not drawn: milestones must have")
    page.keyboard.type(", 60")
    assert "milestones=[20, 60]" in code.text_content()
    drawn = curve(page)
    gamma = page.locator(f"{EXPLORER} input[name='schedulers.1.gamma']")
    type_into(page, gamma, "0.5")
    assert "gamma=0.5" in code.text_content() and curve(page) != drawn
    choose_by_keyboard(page, third, "none")
    assert "third" not in code.text_content()
    choose_scheduler(page, "ChainedScheduler")
    assert "lr_scheduler.ChainedScheduler([first, second])" in code.text_content()


def test_lambdas_show_their_python_and_only_their_parameters(browser_page):
    open_playground(browser_page)
    page, code = browser_page, browser_page.locator(f"{EXPLORER} pre code")
    choose_scheduler(page, "LambdaLR")
    assert page.locator(f"{EXPLORER} input[name=stable]").count() == 1
    choose_by_keyboard(
        page, page.locator(f"{EXPLORER} select[name=lr_lambda]"), "linear warm-up"
    )
    assert focused_name(page) == "lr_lambda"
    assert page.locator(f"{EXPLORER} input[name=stable]").count() == 0
    assert "lambda step: min(1.0, (step + 1) / 10)" in code.text_content()
    warmup = page.locator(f"{EXPLORER} input[name=warmup]")
    warmup.focus()
    page.keyboard.press("ArrowUp")  # a number field steps by keyboard
    assert "lambda step: min(1.0, (step + 1) / 11)" in code.text_content()


def test_reduce_on_plateau_follows_its_validation_curve(browser_page):
    open_playground(browser_page)
    page, code = browser_page, browser_page.locator(f"{EXPLORER} pre code")
    choose_scheduler(page, "ReduceLROnPlateau")
    metric = page.locator(f"{EXPLORER} .lrp-plots > svg").nth(1)
    assert metric.get_attribute("aria-label") == "Validation loss per step"
    for knob in ("mode", "threshold_mode"):
        assert page.locator(f"{EXPLORER} select[name={knob}]").count() == 1
    for knob in ("factor", "patience", "threshold", "cooldown", "min_lr", "eps"):
        assert page.locator(f"{EXPLORER} input[name={knob}]").count() == 1, knob
    drawn, loss = curve(page), curve(page, 1)
    page.locator(f"{EXPLORER} input[name=patience]").focus()
    page.keyboard.press("ArrowDown")
    assert "patience=9" in code.text_content() and curve(page) != drawn
    page.locator(f"{EXPLORER} .lrp-params input[name=draw]").focus()
    page.keyboard.press("ArrowUp")
    assert "state = 2" in code.text_content() and curve(page, 1) != loss
    choose_by_keyboard(page, page.locator(f"{EXPLORER} select[name=mode]"), "max")
    assert 'mode="max"' in code.text_content()


def test_swalr_runs_after_another_schedule(browser_page):
    open_playground(browser_page)
    code = browser_page.locator(f"{EXPLORER} pre code")
    choose_by_keyboard(
        browser_page,
        browser_page.locator(f"{EXPLORER} select[name=scheduler]"),
        "SWALR",
    )
    text = code.text_content()
    assert "swa_scheduler = swa_utils.SWALR(" in text
    assert "if step > swa_start:" in text and "scheduler.step()" in text
    type_into(
        browser_page, browser_page.locator(f"{EXPLORER} input[name=swa_start]"), "30"
    )
    assert "swa_start = 30" in code.text_content()


def readout(page, widget=EXPLORER, which=".lrp-readout") -> str:
    return page.locator(f"{widget} {which}").first.text_content()


def test_charts_read_out_step_and_value_on_keyboard_focus(browser_page):
    open_playground(browser_page)
    page = browser_page
    choose_scheduler(page, "StepLR")
    live = page.locator(f"{EXPLORER} .lrp-readout").first
    assert live.get_attribute("aria-live") == "polite"
    chart = page.locator(f"{EXPLORER} .lrp-plots > svg").first
    chart.focus()  # as Tab would
    assert readout(page) == "Step 0: learning rate 0.1"
    page.keyboard.press("End")
    assert readout(page) == "Step 99: learning rate 1.00e-4"
    page.keyboard.press("Home")
    for _ in range(3):
        page.keyboard.press("PageUp")
    assert readout(page) == "Step 30: learning rate 0.01"
    page.keyboard.press("ArrowLeft")
    assert readout(page) == "Step 29: learning rate 0.1"
    assert chart.locator(".lrp-cursor circle").count() == 1
    outline = chart.evaluate("el => getComputedStyle(el).outlineStyle")
    assert outline != "none"  # focus is visible
    page.keyboard.press("Tab")
    assert chart.locator(".lrp-cursor").count() == 0
    # The descent's loss chart reads out its steps too.
    loss = page.locator(f"{DESCENT} .lrp-plots > svg").nth(1)
    loss.focus()
    page.keyboard.press("ArrowRight")
    assert readout(page, DESCENT).startswith("Step 1: w = ")


def test_charts_read_out_where_the_pointer_is(browser_page):
    open_playground(browser_page)
    chart = browser_page.locator(f"{EXPLORER} .lrp-plots > svg").first
    chart.scroll_into_view_if_needed()
    box = chart.bounding_box()
    browser_page.mouse.move(
        box["x"] + box["width"] * 0.99, box["y"] + box["height"] / 2
    )
    assert readout(browser_page).startswith("Step 99: learning rate")
    browser_page.mouse.move(box["x"] + box["width"] * 0.1, box["y"] + box["height"] / 2)
    assert readout(browser_page).startswith("Step 0: learning rate")


def test_training_with_the_schedule_by_keyboard(browser_page):
    open_playground(browser_page)
    page = browser_page
    status_line = page.locator(f"{EXPLORER} .lrp-train-status")
    assert status_line.get_attribute("aria-live") == "polite"
    lessons = {}
    for lesson in range(4):
        page.locator(f"{EXPLORER} [data-lesson='{lesson}']").focus()
        page.keyboard.press("Enter")
        lessons[lesson] = status_line.text_content()
    assert lessons[0].startswith("Large steps: the loss falls fast")
    assert lessons[2].startswith("Large steps first, then a lower rate")
    code = page.locator(f"{EXPLORER} pre code").text_content()
    assert "lr_scheduler.CosineAnnealingLR(" in code  # the last lesson's schedule
    floors = re.search(
        r"about (\S+) at the first rate, 0.4, and (\S+) at the last", lessons[2]
    )
    assert floors and float(floors.group(2)) < float(floors.group(1)) / 50, lessons[2]
    drawn = curve(page, 2)
    noise = page.locator(f"{EXPLORER} input[name=noise]")
    noise.focus()
    page.keyboard.press("ArrowRight")
    assert noise.get_attribute("aria-valuetext") == "σ = 1.1"
    assert not status_line.text_content().startswith("Large")  # the lesson is over
    assert curve(page, 2) != drawn
    page.locator(f"{EXPLORER} [data-lesson='0']").focus()
    page.keyboard.press("Enter")
    assert status_line.text_content().startswith("Large steps:")
    choose_scheduler(page, "StepLR")
    assert status_line.text_content().startswith("The loss goes from")
    page.locator(f"{EXPLORER} .lrp-train input[name=draw]").focus()
    page.keyboard.press("ArrowUp")
    choose_by_keyboard(page, page.locator(f"{EXPLORER} .lrp-train select"), "dw")
    assert "noise floor" not in status_line.text_content()  # no single curvature
    chart = page.locator(f"{EXPLORER} .lrp-train-chart")
    chart.focus()
    page.keyboard.press("End")
    said = readout(page, EXPLORER, ".lrp-train-readout")
    last = re.fullmatch(
        r"Step (\d+): loss \S+ \(mean of the last 10: \S+\), lr \S+", said
    )
    diverged = re.match(r"Diverged: .* at step (\d+);", status_line.text_content())
    assert last and (diverged.group(1) if diverged else "100") == last.group(1), said


def test_the_training_chart_has_a_key_to_each_line_it_draws(browser_page):
    """Two axes and four line styles: the key under the chart (its description
    for a screen reader) shows a sample of each line drawn, and only those; every
    group of controls on the page has a name."""
    open_playground(browser_page)
    page = browser_page
    chart = page.locator(f"{EXPLORER} .lrp-train-chart")
    key = page.locator("#" + chart.get_attribute("aria-describedby"))
    lines = "els => els.map(e => e.getAttribute('class')).sort()"
    for surface in ("q1", "dw"):  # the double well has no noise floor to draw
        choose_by_keyboard(page, page.locator(f"{EXPLORER} .lrp-train select"), surface)
        drawn = chart.locator("path").evaluate_all(lines)
        assert key.locator("li:visible path").evaluate_all(lines) == drawn, surface
    assert "floor" not in drawn
    assert "left axis" in key.inner_text() and "right axis" in key.inner_text()
    assert "right axis" in chart.get_attribute("aria-label")
    unnamed = page.locator("article fieldset:not([aria-label])").evaluate_all(
        "sets => sets.filter(f => !f.querySelector(':scope > legend')).length"
    )
    assert unnamed == 0


# Each line's drawn look in the training chart and in its key: stroke, dashes, width.
LOOKS = """els => Object.fromEntries(els.map(e => {
  const style = getComputedStyle(e);
  return [e.getAttribute('class'), [style.stroke, style.strokeDasharray]];
}))"""


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_noise_floor_and_rate_have_colours_of_their_own_in_chart_and_key(
    browser_page, scheme
):
    """The dotted noise floor and the dashed rate were both drawn in the text's
    colour: now each has its own, far apart (CIEDE2000, as the figures' colour rule
    measures) from the other, the loss and the page, and the key matches."""
    from figure_colours import MIN_PAIR_DE, ciede2000, lab

    page = browser_page
    page.emulate_media(color_scheme=scheme)
    open_playground(page)
    assert page.evaluate("document.body.dataset.mdColorScheme") == (
        "slate" if scheme == "dark" else "default"
    )
    chart = page.locator(f"{EXPLORER} .lrp-train-chart")
    drawn = chart.locator("path").evaluate_all(LOOKS)
    key = page.locator("#lrp-train-key path").evaluate_all(LOOKS)
    assert {"floor", "rate", "loss"} <= drawn.keys()
    assert key == drawn  # the key draws each line as the chart does

    def colour(css: str) -> tuple[float, ...]:
        return lab([int(v) / 255 for v in re.findall(r"\d+", css)[:3]])

    page_colour = page.evaluate("getComputedStyle(document.body).backgroundColor")
    floor, rate, loss = (colour(drawn[k][0]) for k in ("floor", "rate", "loss"))
    for a, b in [(floor, rate), (floor, loss), (rate, loss)]:
        assert ciede2000(a, b) >= MIN_PAIR_DE
    for line in (floor, rate):
        assert ciede2000(line, colour(page_colour)) >= MIN_PAIR_DE


def test_code_shown_follows_the_parameters(browser_page):
    open_playground(browser_page)
    browser_page.select_option(f"{EXPLORER} select[name=scheduler]", "StepLR")
    code = browser_page.locator(f"{EXPLORER} pre code")
    before, drawn = code.text_content(), curve(browser_page)
    assert "step_size=30" in before
    browser_page.fill(f"{EXPLORER} input[name=step_size]", "7")
    assert "step_size=7" in code.text_content()
    assert curve(browser_page) != drawn
    browser_page.fill(f"{EXPLORER} input[name=steps]", "250")
    assert "range(250)" in code.text_content()


def test_impossible_parameters_are_reported_not_drawn(browser_page):
    open_playground(browser_page)
    browser_page.select_option(f"{EXPLORER} select[name=scheduler]", "StepLR")
    browser_page.fill(f"{EXPLORER} input[name=step_size]", "0")
    assert status(browser_page, EXPLORER).startswith("Not drawn: step_size")


def test_copy_button_copies_the_code_shown(browser_page, site_url):
    browser_page.context.grant_permissions(
        ["clipboard-read", "clipboard-write"], origin=site_url.rstrip("/")
    )
    open_playground(browser_page)
    browser_page.select_option(f"{EXPLORER} select[name=scheduler]", "OneCycleLR")
    browser_page.click(f"{EXPLORER} pre [data-clipboard-target]")  # Material's
    copied = browser_page.evaluate("navigator.clipboard.readText()")
    shown = browser_page.locator(f"{EXPLORER} pre code").text_content()
    assert "lr_scheduler.OneCycleLR(" in copied
    assert copied.strip() == shown.strip()


# Lists the intervals playground.js has running, to catch a timer left behind.
COUNT_INTERVALS = """(() => {
  const live = new Set(), set = window.setInterval, clear = window.clearInterval;
  window.setInterval = (...args) => {
    const id = set(...args);
    if (/playground\\.js/.test(new Error().stack)) live.add(id);
    return id;
  };
  window.clearInterval = (id) => { live.delete(id); clear(id); };
  window.liveIntervals = () => [...live];
})();"""


def test_widgets_work_after_instant_navigation_away_and_back(fresh_browser_page):
    fresh_browser_page.add_init_script(COUNT_INTERVALS)
    open_playground(fresh_browser_page)
    assert fresh_browser_page.evaluate("liveIntervals()") == []
    fresh_browser_page.click(f"{DESCENT} [data-act=play]")  # a timer runs when we leave
    assert len(fresh_browser_page.evaluate("liveIntervals()")) == 1
    fresh_browser_page.evaluate("window.sameDocument = true")  # lost on a full reload
    fresh_browser_page.click("a.md-header__button.md-logo")
    fresh_browser_page.wait_for_function(
        "() => !document.querySelector('[data-widget=descent]')"
    )
    assert fresh_browser_page.evaluate("window.sameDocument"), "not instant navigation"
    assert fresh_browser_page.evaluate("liveIntervals()") == [], "the play timer leaked"
    fresh_browser_page.go_back()
    fresh_browser_page.wait_for_selector(f"{DESCENT}:not([hidden])")
    fresh_browser_page.wait_for_selector(f"{EXPLORER}:not([hidden])")
    assert fresh_browser_page.evaluate("window.sameDocument"), "not instant navigation"
    fresh_browser_page.click(f"{DESCENT} [data-preset='2']")
    assert status(fresh_browser_page).startswith("Diverging")
    info = fresh_browser_page.locator(f"{DESCENT} .lrp-info")
    fresh_browser_page.click(f"{DESCENT} [data-act=reset]")
    fresh_browser_page.click(f"{DESCENT} [data-act=step]")
    assert info.text_content().startswith("Step 1 of")
    fresh_browser_page.select_option(
        f"{EXPLORER} select[name=scheduler]", "ExponentialLR"
    )
    assert "lr_scheduler.ExponentialLR(" in fresh_browser_page.text_content(
        f"{EXPLORER} pre code"
    )


def test_page_explains_itself_without_javascript(browser, site_url):
    context = browser.new_context(base_url=site_url, java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto("playground/")
        assert page.locator(DESCENT).is_hidden()
        assert page.locator(EXPLORER).is_hidden()
        body = page.locator("article").inner_text()
        assert "The interactive parts need JavaScript" in body
        for lesson in ("converging", "oscillating but converging", "diverging", "slow"):
            assert lesson in body
        figure = page.locator("article img[src*='playground/presets']").first
        assert figure.is_visible()
    finally:
        context.close()
