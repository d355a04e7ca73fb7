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
    live = browser_page.locator(f"{DESCENT} [aria-live=polite]")
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
        assert f"lr_scheduler.{name}(" in code.text_content()
        assert momentum.is_visible() == (name in ("CyclicLR", "OneCycleLR")), name
        if momentum.is_visible():
            assert curve(browser_page, 1).startswith("M"), name


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


def test_widgets_work_after_instant_navigation_away_and_back(browser_page):
    browser_page.add_init_script(COUNT_INTERVALS)
    open_playground(browser_page)
    assert browser_page.evaluate("liveIntervals()") == []
    browser_page.click(f"{DESCENT} [data-act=play]")  # a timer runs when we leave
    assert len(browser_page.evaluate("liveIntervals()")) == 1
    browser_page.evaluate("window.sameDocument = true")  # lost on a full reload
    browser_page.click("a.md-header__button.md-logo")
    browser_page.wait_for_function(
        "() => !document.querySelector('[data-widget=descent]')"
    )
    assert browser_page.evaluate("window.sameDocument"), "not instant navigation"
    assert browser_page.evaluate("liveIntervals()") == [], "the play timer leaked"
    browser_page.go_back()
    browser_page.wait_for_selector(f"{DESCENT}:not([hidden])")
    browser_page.wait_for_selector(f"{EXPLORER}:not([hidden])")
    assert browser_page.evaluate("window.sameDocument"), "not instant navigation"
    browser_page.click(f"{DESCENT} [data-preset='2']")
    assert status(browser_page).startswith("Diverging")
    info = browser_page.locator(f"{DESCENT} .lrp-info")
    browser_page.click(f"{DESCENT} [data-act=reset]")
    browser_page.click(f"{DESCENT} [data-act=step]")
    assert info.text_content().startswith("Step 1 of")
    browser_page.select_option(f"{EXPLORER} select[name=scheduler]", "ExponentialLR")
    assert "lr_scheduler.ExponentialLR(" in browser_page.text_content(
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
