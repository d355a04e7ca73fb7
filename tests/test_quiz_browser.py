"""Quizzes in a real browser, on the built site: cards, choices, explain prompts,
progress that survives reloads, instant navigation and broken storage, keyboard-only
use, the review deck, and quiz text that stays text."""

from __future__ import annotations

import html
import json
import re

import pytest
from playwright.sync_api import Page, expect
from support import ROOT

import quiz

pytestmark = pytest.mark.browser

PAGE = "learning-rate"  # a page with a quiz, and the next one in the nav
OTHER = "schedulers"
# The quiz as the build wrote it into the page (`quiz_as_built`): its text holds the
# numbers of this machine's runs where quiz/<page>.json names them.
DATA: dict = {}
CARD, QUESTION, PROMPT = {}, {}, {}
KEY = f"lr-quiz:v1:{PAGE}"
XSS = "<img src=x onerror=alert(1)>"


@pytest.fixture(autouse=True, scope="module")
def quiz_as_built(built_site):
    global DATA, CARD, QUESTION, PROMPT
    page = (built_site / PAGE / "index.html").read_text()
    items = re.search(r'<div class="quiz" data-quiz="[^"]*" data-items="([^"]*)"', page)
    DATA = json.loads(html.unescape(items.group(1)))
    CARD, QUESTION = DATA["flashcards"][0], DATA["choices"][0]
    PROMPT = DATA["explain"][0]


def open_quiz(page: Page, slug: str = PAGE):
    page.goto(f"{slug}/")
    root = page.locator(f'.quiz[data-quiz="{slug}"]')
    expect(root.locator(".quiz-ui")).to_have_count(1)  # mounted, once
    return root


def choice(root, number: int = 0):
    return root.locator(".quiz-choice").nth(number)


def option(root, text: str):
    return root.locator(".quiz-option", has_text=re.compile(f"^{re.escape(text)}$"))


def wrong_and_right(question: dict) -> tuple[str, str]:
    options, right = question["options"], question["answer"]
    return options[(right + 1) % len(options)], options[right]


def test_a_flashcard_shows_its_level_and_reveals_and_hides_its_answer(browser_page):
    root = open_quiz(browser_page)
    card = root.locator(".quiz-card").first
    expect(card.locator(".quiz-level")).to_have_text(CARD["level"])
    expect(card.locator(".quiz-question")).to_contain_text(CARD["question"])
    show = card.get_by_role("button", name="Show answer")
    expect(show).to_have_attribute("aria-expanded", "false")
    answer = card.locator(".quiz-answer")
    expect(answer).to_be_hidden()
    show.click()
    expect(answer).to_be_visible()
    expect(answer).to_have_text(CARD["answer"])
    hide = card.get_by_role("button", name="Hide answer")
    expect(hide).to_have_attribute("aria-expanded", "true")
    hide.click()
    expect(answer).to_be_hidden()


def test_a_wrong_answer_then_a_right_one_and_the_page_score(browser_page):
    root = open_quiz(browser_page)
    total = len(DATA["choices"])
    score = root.locator(".quiz-score")
    expect(score).to_have_text(f"Score: 0/{total} correct, 0/{total} on the first try.")
    first = choice(root)
    wrong, right = wrong_and_right(QUESTION)
    option(first, wrong).click()
    feedback = first.locator(".quiz-feedback")
    expect(feedback).to_have_attribute("role", "status")  # announced
    expect(feedback).to_contain_text("✗ Incorrect")
    expect(option(first, right)).to_be_disabled()
    expect(score).to_have_text(f"Score: 0/{total} correct, 0/{total} on the first try.")
    first.get_by_role("button", name="Try again").click()
    option(first, right).click()
    expect(feedback).to_contain_text("✓ Correct")
    expect(feedback).to_contain_text(QUESTION["explanation"])
    expect(option(first, right)).to_have_attribute("aria-pressed", "true")
    expect(first.get_by_role("button", name="Try again")).to_have_count(0)
    expect(first.get_by_role("button", name="Show answer")).to_have_count(0)
    expect(score).to_have_text(f"Score: 1/{total} correct, 0/{total} on the first try.")
    second = choice(root, 1)
    option(second, wrong_and_right(DATA["choices"][1])[1]).click()
    expect(score).to_have_text(f"Score: 2/{total} correct, 1/{total} on the first try.")


def test_a_wrong_pick_shows_only_that_options_feedback(browser_page):
    root = open_quiz(browser_page)
    for number, question in enumerate(DATA["choices"]):
        item, options = choice(root, number), question["options"]
        feedback = item.locator(".quiz-feedback")
        for picked, text in enumerate(options):
            if picked == question["answer"]:
                continue
            option(item, text).click()
            expect(feedback).to_contain_text("✗ Incorrect")
            expect(feedback).to_contain_text(question["feedback"][picked])
            shown = feedback.text_content()
            assert question["explanation"] not in shown, question["id"]
            assert options[question["answer"]] not in shown, question["id"]
            others = [
                line for n, line in enumerate(question["feedback"]) if n != picked
            ]
            assert not [line for line in others if line in shown], question["id"]
            expect(item.locator(".quiz-option.is-right")).to_have_count(0)
            expect(item.get_by_role("button", name="Show answer")).to_be_visible()
            item.get_by_role("button", name="Try again").click()
            expect(feedback).to_have_text("")
    total = len(DATA["choices"])
    expect(root.locator(".quiz-score")).to_have_text(
        f"Score: 0/{total} correct, 0/{total} on the first try."
    )


def test_show_answer_after_a_wrong_pick_gives_the_answer_and_why(browser_page):
    root = open_quiz(browser_page)
    item = choice(root)
    wrong, right = wrong_and_right(QUESTION)
    option(item, wrong).click()
    item.get_by_role("button", name="Show answer").click()
    feedback = item.locator(".quiz-feedback")
    expect(feedback).to_contain_text("✗ Incorrect")
    expect(feedback).to_contain_text(f"The answer: {right}")
    expect(feedback).to_contain_text(QUESTION["explanation"])
    expect(option(item, right)).to_have_class(re.compile(r"\bis-right\b"))
    expect(option(item, wrong)).to_have_class(re.compile(r"\bis-wrong\b"))
    expect(item.get_by_role("button", name="Try again")).to_have_count(0)
    expect(item.get_by_role("button", name="Show answer")).to_have_count(0)
    total = len(DATA["choices"])
    score = f"Score: 0/{total} correct, 0/{total} on the first try."
    expect(root.locator(".quiz-score")).to_have_text(score)  # shown is not right
    browser_page.reload()
    item = choice(browser_page.locator(f'.quiz[data-quiz="{PAGE}"]'))
    expect(item.locator(".quiz-feedback")).to_contain_text(f"The answer: {right}")
    expect(item.get_by_role("button", name="Try again")).to_have_count(0)


def test_an_explain_prompt_gives_the_hint_then_the_concepts_to_tick(browser_page):
    root = open_quiz(browser_page)
    prompt = root.locator(".quiz-explain").first
    prompt.get_by_label(PROMPT["prompt"]).fill("Big steps overshoot, small ones crawl.")
    hint = prompt.locator(".quiz-hint")
    expect(hint).to_be_hidden()
    prompt.get_by_role("button", name="Show hint").click()
    expect(hint).to_have_text(f"Hint: {PROMPT['hint']}")
    concepts = prompt.get_by_role("checkbox")
    expect(concepts.first).to_be_hidden()
    prompt.get_by_role("button", name="Check my answer").click()
    expect(concepts).to_have_count(4)
    tally = prompt.locator(".quiz-tally")
    expect(tally).to_have_text("You got 0/4 concepts.")
    prompt.get_by_label(PROMPT["concepts"][0]).check()
    prompt.get_by_label(PROMPT["concepts"][2]).check()
    expect(tally).to_have_text("You got 2/4 concepts.")
    prompt.get_by_label(PROMPT["concepts"][2]).uncheck()
    expect(tally).to_have_text("You got 1/4 concepts.")


def use_the_quiz(root) -> None:
    """Reveal a card, answer the first question wrongly, write and tick a concept."""
    root.get_by_role("button", name="Show answer").first.click()
    option(choice(root), wrong_and_right(QUESTION)[0]).click()
    prompt = root.locator(".quiz-explain").first
    prompt.get_by_label(PROMPT["prompt"]).fill("My own words.")
    prompt.get_by_role("button", name="Check my answer").click()
    prompt.get_by_label(PROMPT["concepts"][1]).check()


def expect_progress_kept(root) -> None:
    expect(root.get_by_role("button", name="Hide answer")).to_have_count(1)
    expect(choice(root).locator(".quiz-feedback")).to_contain_text("✗ Incorrect")
    prompt = root.locator(".quiz-explain").first
    expect(prompt.get_by_label(PROMPT["prompt"])).to_have_value("My own words.")
    expect(prompt.get_by_label(PROMPT["concepts"][1])).to_be_checked()
    expect(prompt.locator(".quiz-tally")).to_have_text("You got 1/4 concepts.")


def test_progress_survives_a_reload(browser_page):
    use_the_quiz(open_quiz(browser_page))
    browser_page.reload()
    expect_progress_kept(browser_page.locator(f'.quiz[data-quiz="{PAGE}"]'))


def test_progress_survives_instant_navigation_away_and_back(browser_page):
    # conftest's server lists its own address in sitemap.xml, so Material's instant
    # navigation takes over the clicks (checked with window.notReloaded below).
    use_the_quiz(open_quiz(browser_page))
    browser_page.evaluate("window.notReloaded = true")
    nav = browser_page.locator(".md-sidebar--primary")
    nav.locator(f'a.md-nav__link[href$="{OTHER}/"]').first.click()
    # Material's navigation.tracking may already have added the section in view.
    browser_page.wait_for_url(re.compile(rf"/{OTHER}/(#[\w-]*)?$"))
    other = browser_page.locator(f'.quiz[data-quiz="{OTHER}"]')
    expect(other.locator(".quiz-ui")).to_have_count(1)  # mounted on the new page
    other.get_by_role("button", name="Show answer").first.click()
    nav.locator(f'a.md-nav__link[href$="{PAGE}/"]').first.click()
    browser_page.wait_for_url(re.compile(rf"/{PAGE}/(#[\w-]*)?$"))
    root = browser_page.locator(f'.quiz[data-quiz="{PAGE}"]')
    expect(root.locator(".quiz-ui")).to_have_count(1)
    expect_progress_kept(root)
    assert browser_page.evaluate("window.notReloaded") is True, "not instant"


@pytest.mark.parametrize(
    "saved",
    [
        "{not json",
        '{"cards": 5, "choices": {"update-formula": "x"}, "explain": null}',
        '[1, 2, {"picked": 99}]',
        '{"choices": {"update-formula": {"picked": 99, "first": "yes"}}}',
    ],
    ids=["not JSON", "wrong types", "an array", "answer out of range"],
)
def test_corrupted_storage_is_ignored_and_the_quiz_still_works(browser_page, saved):
    open_quiz(browser_page)
    browser_page.evaluate(
        "([key, value]) => localStorage.setItem(key, value)", [KEY, saved]
    )
    browser_page.reload()
    root = browser_page.locator(f'.quiz[data-quiz="{PAGE}"]')
    expect(root.locator(".quiz-ui")).to_have_count(1)
    use_the_quiz(root)
    browser_page.reload()
    expect_progress_kept(browser_page.locator(f'.quiz[data-quiz="{PAGE}"]'))


def test_full_storage_leaves_a_working_quiz_that_saves_nothing(fresh_browser_page):
    fresh_browser_page.add_init_script(
        "Storage.prototype.setItem = function () {"
        " throw new DOMException('full', 'QuotaExceededError'); };"
    )
    root = open_quiz(fresh_browser_page)
    use_the_quiz(root)
    expect(choice(root).locator(".quiz-feedback")).to_contain_text("✗ Incorrect")
    fresh_browser_page.reload()
    root = fresh_browser_page.locator(f'.quiz[data-quiz="{PAGE}"]')
    expect(root.get_by_role("button", name="Show answer")).to_have_count(
        len(DATA["flashcards"])
    )


def test_reset_clears_the_pages_progress(browser_page):
    root = open_quiz(browser_page)
    use_the_quiz(root)
    root.get_by_role("button", name="Reset this quiz").click()
    expect(root.locator(".quiz-said")).to_have_text(
        "Your answers on this page were cleared."
    )
    expect(root.get_by_role("button", name="Hide answer")).to_have_count(0)
    expect(root.locator(".quiz-feedback").first).to_have_text("")
    browser_page.reload()
    root = browser_page.locator(f'.quiz[data-quiz="{PAGE}"]')
    expect(root.get_by_role("button", name="Hide answer")).to_have_count(0)
    expect(root.get_by_label(PROMPT["prompt"])).to_have_value("")


def tab_to(page: Page, name: str, limit: int = 80) -> None:
    """Press Tab until the focused element's text is `name` (maybe already)."""
    for _ in range(limit):
        if focused(page) == name:
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"Tab never reached {name!r}")


def focused(page: Page) -> str:
    return page.evaluate("document.activeElement.textContent")


def focused_class(page: Page) -> str:
    """The focused element's first class (Material may add `focus-visible`)."""
    return page.evaluate("document.activeElement.classList[0]")


def test_show_answer_with_the_keyboard_alone(browser_page):
    root = open_quiz(browser_page)
    question = DATA["choices"][1]
    wrong, right = wrong_and_right(question)
    choice(root).evaluate("el => el.scrollIntoView()")
    choice(root).locator(".quiz-option").last.focus()  # the question before
    tab_to(browser_page, wrong, limit=6)
    browser_page.keyboard.press("Enter")
    feedback = choice(root, 1).locator(".quiz-feedback")
    expect(feedback).to_contain_text("✗ Incorrect")
    assert focused(browser_page) == "Try again"
    browser_page.keyboard.press("Tab")
    assert focused(browser_page) == "Show answer"
    browser_page.keyboard.press("Enter")
    expect(feedback).to_contain_text(f"The answer: {right}")
    expect(feedback).to_contain_text(question["explanation"])
    assert focused_class(browser_page) == "quiz-feedback"  # where the answer is


def test_the_quiz_works_with_the_keyboard_alone(browser_page):
    root = open_quiz(browser_page)
    root.locator(".quiz-ui").evaluate("el => el.scrollIntoView()")
    browser_page.locator("#check-yourself a.headerlink").focus()  # before the quiz
    tab_to(browser_page, "Show answer")
    browser_page.keyboard.press("Enter")
    expect(root.locator(".quiz-card").first.locator(".quiz-answer")).to_be_visible()
    assert focused(browser_page) == "Hide answer"
    wrong, right = wrong_and_right(QUESTION)
    tab_to(browser_page, wrong)
    browser_page.keyboard.press("Space")
    expect(choice(root).locator(".quiz-feedback")).to_contain_text("✗ Incorrect")
    assert focused(browser_page) == "Try again"  # focus is not lost
    browser_page.keyboard.press("Enter")
    tab_to(browser_page, right, limit=6)
    browser_page.keyboard.press("Enter")
    expect(choice(root).locator(".quiz-feedback")).to_contain_text("✓ Correct")
    assert focused_class(browser_page) == "quiz-feedback"  # not lost to the page
    expect(choice(root).get_by_role("button", name="Try again")).to_have_count(0)
    tab_to(browser_page, "Show hint")
    browser_page.keyboard.press("Space")
    expect(root.locator(".quiz-hint").first).to_be_visible()
    tab_to(browser_page, "Check my answer", limit=3)
    browser_page.keyboard.press("Enter")
    browser_page.keyboard.press("Tab")  # to the first concept's checkbox
    browser_page.keyboard.press("Space")
    expect(root.locator(".quiz-tally").first).to_have_text("You got 1/4 concepts.")


def test_focus_is_visible_on_quiz_buttons(browser_page):
    root = open_quiz(browser_page)
    browser_page.locator("#check-yourself a.headerlink").focus()
    tab_to(browser_page, "Show answer")
    outline = root.get_by_role("button", name="Show answer").first.evaluate(
        "el => getComputedStyle(el).outlineStyle"
    )
    assert outline == "solid"


def test_quiz_text_holding_html_is_shown_as_text(fresh_browser_page):
    """quiz.js renders this page's quiz from data whose every text is markup."""
    evil = json.loads(json.dumps(DATA))
    evil["flashcards"][0].update(question=XSS, answer=XSS)
    evil["choices"][0]["options"][evil["choices"][0]["answer"]] = XSS
    evil["choices"][0]["explanation"] = XSS
    evil["explain"][0].update(prompt=XSS, hint=XSS)
    evil["explain"][0]["concepts"][0] = XSS
    evil_data = quiz.data_attribute({k: evil[k] for k in quiz.KINDS if k in evil})
    dialogs, images = [], []
    fresh_browser_page.on(
        "dialog", lambda dialog: (dialogs.append(dialog), dialog.dismiss())
    )
    fresh_browser_page.on(
        "request", lambda r: r.url.rstrip("/").endswith("/x") and images.append(r.url)
    )

    def swap_the_data(route):
        html = route.fetch().text()
        swapped, count = re.subn(r'data-items="[^"]*"', lambda m: evil_data, html)
        assert count == 1
        route.fulfill(body=swapped, content_type="text/html")

    fresh_browser_page.route(f"**/{PAGE}/", swap_the_data)
    root = open_quiz(fresh_browser_page)
    card = root.locator(".quiz-card").first
    expect(card.locator(".quiz-question")).to_contain_text(XSS)
    card.get_by_role("button", name="Show answer").click()
    expect(card.locator(".quiz-answer")).to_have_text(XSS)
    option(choice(root), XSS).click()
    expect(choice(root).locator(".quiz-feedback")).to_contain_text(XSS)
    prompt = root.locator(".quiz-explain").first
    prompt.get_by_role("button", name="Show hint").click()
    prompt.get_by_role("button", name="Check my answer").click()
    expect(prompt.locator(".quiz-hint")).to_have_text(f"Hint: {XSS}")
    expect(prompt.get_by_label(XSS)).to_have_count(2)  # the text box, a concept
    assert root.locator("img").count() == 0
    fresh_browser_page.wait_for_timeout(200)
    assert not dialogs and not images


# ---------------------------------------------------------------- review deck


def deck_size() -> int:
    return sum(
        len(q.get("flashcards", [])) for q in quiz.load_all(ROOT / "quiz").values()
    )


def box_counts(root) -> list[int]:
    texts = root.locator(".quiz-box-count").all_text_contents()
    return [int(text.split()[0]) for text in texts]


def test_review_moves_known_cards_up_and_brings_unknown_ones_back(browser_page):
    browser_page.goto("review/")
    root = browser_page.locator('.quiz[data-quiz="review"]')
    total = deck_size()
    expect(root.locator(".quiz-box-count")).to_have_count(5)
    assert box_counts(root) == [total, 0, 0, 0, 0]
    session = min(total, 15)
    progress = root.locator(".quiz-progress")
    expect(progress).to_contain_text(f"Session 1: {session} cards to go")
    question = root.locator(".quiz-stage .quiz-question")

    first = question.text_content()
    root.get_by_role("button", name="Show answer").click()
    expect(root.locator(".quiz-stage .quiz-answer")).to_be_visible()
    root.get_by_role("button", name="Not yet").click()
    expect(question).not_to_have_text(first)
    expect(progress).to_contain_text(f"{session} cards to go")  # it comes back
    seen_again = False
    for _ in range(4):
        if question.text_content() == first:
            seen_again = True
            break
        root.get_by_role("button", name="Show answer").click()
        root.get_by_role("button", name="I knew it").click()
    assert seen_again, "a card marked 'Not yet' did not come back in the session"
    known = box_counts(root)[1]
    assert known >= 1 and box_counts(root)[0] == total - known

    browser_page.reload()  # the boxes are kept
    root = browser_page.locator('.quiz[data-quiz="review"]')
    expect(root.locator(".quiz-box-count").nth(1)).to_have_text(
        f"{known} card{'' if known == 1 else 's'}"
    )
    expect(root.locator(".quiz-stage .quiz-question")).to_have_text(first)


def test_review_by_keyboard_through_a_whole_session(browser_page):
    browser_page.goto("review/")
    root = browser_page.locator('.quiz[data-quiz="review"]')
    total = deck_size()
    session = min(total, 15)
    browser_page.locator("#your-deck a.headerlink").focus()
    tab_to(browser_page, "Show answer")
    for _ in range(session):
        browser_page.keyboard.press("Enter")
        assert focused(browser_page) == "I knew it"
        browser_page.keyboard.press("Space")
    expect(root.locator(".quiz-progress")).to_have_text(
        f"Session 1 done: {session} known, 0 not yet."
    )
    assert box_counts(root)[:2] == [total - session, session]
    start = root.locator(".quiz-stage button")
    assert focused(browser_page) == start.text_content()
    # Known cards wait in box 2; the next session brings the ones not seen yet,
    # or skips to session 3 when every card has been seen.
    expect(start).to_have_text(
        re.compile(r"Start session 2 \(\d+ cards\)")
        if total > session
        else f"Start session 3 ({session} cards)"
    )
    browser_page.keyboard.press("Enter")
    expect(root.locator(".quiz-progress")).to_contain_text("cards to go")
    assert focused(browser_page) == "Show answer"


def test_a_drill_shows_its_figure_above_the_question_in_the_reader_palette(
    browser_page,
):
    """A curve-reading drill: the figure the build drew, light or dark as the page
    is, loaded, sized, with its alt text, above the question it asks about."""
    root = open_quiz(browser_page, "too-high")
    drill = root.locator(".quiz-choice:has(.quiz-figure)").first
    drill.scroll_into_view_if_needed()
    light = drill.locator('.quiz-figure img[src$="#only-light"]')
    dark = drill.locator('.quiz-figure img[src$="#only-dark"]')
    expect(light).to_be_visible()
    expect(dark).to_be_hidden()
    expect(light).to_have_attribute("alt", re.compile(r"^Figure\. .*lines: A, B"))
    loaded = "img => img.complete && img.naturalWidth > 0"
    assert light.evaluate(loaded)
    figure, question = (
        drill.locator(sel).bounding_box() for sel in (".quiz-figure", ".quiz-question")
    )
    assert figure["y"] + figure["height"] <= question["y"]
