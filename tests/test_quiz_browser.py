"""Quizzes in a real browser, on the built site: cards, choices, explain prompts,
progress that survives reloads, instant navigation and broken storage, keyboard-only
use, the review deck, and quiz text that stays text."""

from __future__ import annotations

import datetime
import html
import json
import re

import pytest
from playwright.sync_api import Page, expect

import quiz_data
import quiz_html
from support import ROOT

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
    evil_data = quiz_html.data_attribute(
        {k: evil[k] for k in quiz_data.KINDS if k in evil}
    )
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

REVIEW_KEY = "lr-quiz:v1:review"
DECK: dict[str, dict] = {}  # key -> item, as the build wrote the review page


@pytest.fixture(autouse=True, scope="module")
def deck_as_built(built_site):
    page = (built_site / "review" / "index.html").read_text()
    items = re.search(r'data-quiz="review" data-items="([^"]*)"', page)
    DECK.clear()
    DECK.update(
        (card["key"], card)
        for card in json.loads(html.unescape(items.group(1)))["cards"]
    )


def deck_size() -> int:
    """Every flashcard, multiple-choice question and explain prompt of the site."""
    quizzes = quiz_data.load_all(ROOT / "quiz").values()
    return sum(len(q.get(kind, [])) for q in quizzes for kind in quiz_data.KINDS)


def box_counts(root) -> list[int]:
    texts = root.locator(".quiz-box-count").all_text_contents()
    return [int(text.split()[0]) for text in texts]


def open_review(page: Page):
    page.goto("review/")
    root = page.locator('.quiz[data-quiz="review"]')
    expect(root.locator(".quiz-ui")).to_have_count(1)
    return root


def saved_review(page: Page) -> dict:
    return json.loads(page.evaluate(f"localStorage.getItem('{REVIEW_KEY}')"))


def current(root) -> str:
    """The key of the card on the stage."""
    return root.locator(".quiz-stage .quiz-card").get_attribute("data-key")


def answer(root, knew: bool) -> str:
    """Answer the card on the stage as a reader would, knowing it or not; its key."""
    card = root.locator(".quiz-stage .quiz-card")
    key = card.get_attribute("data-key")
    item = DECK[key]
    if item["kind"] == "choice":
        right = item["answer"]
        pick = right if knew else (right + 1) % len(item["options"])
        option(card, item["options"][pick].replace("`", "")).click()
        card.get_by_role("button", name="Next card").click()
    else:
        show = "Check my answer" if item["kind"] == "explain" else "Show answer"
        card.get_by_role("button", name=show).click()
        card.get_by_role("button", name="I knew it" if knew else "Not yet").click()
    return key


def test_review_asks_every_kind_of_question_and_brings_unknown_ones_back(browser_page):
    root = open_review(browser_page)
    total = deck_size()
    assert len(DECK) == total
    assert {item["kind"] for item in DECK.values()} == {"card", "choice", "explain"}
    expect(root.locator(".quiz-box-count")).to_have_count(5)
    expect(root.locator(".quiz-box-every")).to_have_text(
        ["every day", "every 3 days", "every 7 days", "every 16 days", "every 35 days"]
    )
    assert box_counts(root) == [total, 0, 0, 0, 0]
    session = min(total, 15)
    progress = root.locator(".quiz-progress")
    expect(progress).to_contain_text(f"Today's session: {session} cards to go")

    first = answer(root, knew=False)
    expect(root.locator(".quiz-stage .quiz-card")).not_to_have_attribute(
        "data-key", first
    )
    expect(progress).to_contain_text(f"{session} cards to go")  # it comes back
    seen_again = False
    for _ in range(4):
        if current(root) == first:
            seen_again = True
            break
        answer(root, knew=True)
    assert seen_again, "a card marked 'Not yet' did not come back in the session"
    known = box_counts(root)[1]
    assert known >= 1 and box_counts(root)[0] == total - known

    browser_page.reload()  # the boxes are kept
    root = browser_page.locator('.quiz[data-quiz="review"]')
    expect(root.locator(".quiz-box-count").nth(1)).to_have_text(
        f"{known} card{'' if known == 1 else 's'}"
    )
    assert current(root) == first


IN_THE_CARD = """(() => {
    const e = document.activeElement;
    return Boolean(e.closest(".quiz-stage")) && e.tagName !== "A";
})()"""
OPTION_FOCUSED = "document.activeElement.classList.contains('quiz-option')"


def test_review_by_keyboard_through_a_whole_session(browser_page):
    root = open_review(browser_page)
    total = deck_size()
    session = min(total, 15)
    browser_page.locator("#your-deck a.headerlink").focus()
    for _ in range(4):  # past the card's link to its page
        browser_page.keyboard.press("Tab")
        if browser_page.evaluate(IN_THE_CARD):
            break
    for _ in range(session):
        item = DECK[current(root)]
        if item["kind"] == "card":
            assert focused(browser_page) == "Show answer"
            browser_page.keyboard.press("Enter")
            assert focused(browser_page) == "I knew it"
            browser_page.keyboard.press("Space")
        elif item["kind"] == "choice":
            assert browser_page.evaluate(OPTION_FOCUSED)
            tab_to(browser_page, item["options"][item["answer"]].replace("`", ""), 6)
            browser_page.keyboard.press("Enter")
            assert focused(browser_page) == "Next card"
            browser_page.keyboard.press("Enter")
        else:
            assert browser_page.evaluate("document.activeElement.tagName") == "TEXTAREA"
            browser_page.keyboard.type("In my own words.")
            tab_to(browser_page, "Check my answer", 3)
            browser_page.keyboard.press("Enter")
            tab_to(browser_page, "I knew it", 8)
            browser_page.keyboard.press("Space")
    expect(root.locator(".quiz-progress")).to_have_text(
        f"Today's session is done: {session} known, 0 not yet."
    )
    assert box_counts(root)[:2] == [total - session, session]
    # One session a day: no button starts another; the focus is on the next date.
    expect(root.locator(".quiz-stage button")).to_have_count(0)
    assert focused_class(browser_page) == "quiz-next"
    expect(root.locator(".quiz-next")).to_have_text(
        re.compile(
            rf"Next session on .+, in 1 day: {min(total - session, 15)} of the "
            rf"{total - session} cards due by then\."
        )
    )


def test_review_is_spaced_in_days(fresh_browser_page):
    """A session, then nothing more today; a day later only the cards due."""
    page = fresh_browser_page
    page.clock.install(time=datetime.datetime(2026, 3, 2, 9, 30))
    root = open_review(page)
    missed, known = set(), set()
    while root.locator(".quiz-stage .quiz-card").count():
        key = current(root)
        # The first two cards are not known (then known on their second try).
        knew = key in missed or len(missed | known) >= 2
        (known if knew and key not in missed else missed).add(answer(root, knew))
    assert len(missed) == 2 and len(missed | known) == min(len(DECK), 15)
    due = len(DECK) - len(known)
    expect(root.locator(".quiz-next")).to_have_text(
        re.compile(rf"Next session on .*3.*, in 1 day: 15 of the {due} cards due by")
    )
    expect(root.locator(".quiz-next time")).to_have_attribute("datetime", "2026-03-03")

    page.clock.set_system_time(datetime.datetime(2026, 3, 2, 23, 50))
    page.reload()  # the same day: no second session
    root = page.locator('.quiz[data-quiz="review"]')
    expect(root.locator(".quiz-progress")).to_have_text(
        f"Today's session is done: {len(known)} known, 2 not yet."
    )
    expect(root.locator(".quiz-stage button")).to_have_count(0)

    page.clock.set_system_time(datetime.datetime(2026, 3, 3, 0, 10))
    page.reload()  # the next day: the cards missed first, then new ones
    root = page.locator('.quiz[data-quiz="review"]')
    expect(root.locator(".quiz-progress")).to_contain_text("Today's session: 15 cards")
    queue = saved_review(page)["queue"]
    assert set(queue[:2]) == missed
    assert not set(queue) & known, "a card known yesterday came back within 3 days"
    assert answer(root, knew=True) in missed


def test_export_then_import_restores_the_progress_exactly(browser_page, tmp_path):
    root = open_review(browser_page)
    for knew in (False, True, True):
        answer(root, knew)
    before = browser_page.evaluate(f"localStorage.getItem('{REVIEW_KEY}')")
    boxes = box_counts(root)
    with browser_page.expect_download() as download:
        root.get_by_role("button", name="Export progress").click()
    exported = tmp_path / download.value.suggested_filename
    download.value.save_as(exported)
    assert exported.name.startswith("learning-rate-review-")
    assert json.loads(exported.read_text())["review"] == json.loads(before)

    root.get_by_role("button", name="Reset the review").click()
    expect(root.locator(".quiz-box-count").first).to_have_text(f"{len(DECK)} cards")
    picker = root.locator("input.quiz-import")
    picker.set_input_files(exported)
    said = root.locator(".quiz-said")
    expect(said).to_have_text(f"Progress imported from {exported.name}.")
    assert browser_page.evaluate(f"localStorage.getItem('{REVIEW_KEY}')") == before
    assert box_counts(root) == boxes

    for name, text, reason in [
        ("broken.json", "{not json", "This file is not JSON."),
        ("other.json", '{"cards": {}}', "This file is not review progress"),
    ]:
        picker.set_input_files(
            files=[
                {"name": name, "mimeType": "application/json", "buffer": text.encode()}
            ]
        )
        expect(said).to_contain_text(f"{name}: {reason}")
        expect(said).to_contain_text("Your progress is unchanged.")
        assert browser_page.evaluate(f"localStorage.getItem('{REVIEW_KEY}')") == before


def test_a_session_based_review_keeps_its_boxes(browser_page):
    """Progress saved before the review counted days: boxes kept, cards due now."""
    open_review(browser_page)
    keys = list(DECK)
    old = {"session": 4, "queue": [], "cards": {keys[0]: {"box": 3, "last": 3}}}
    browser_page.evaluate(
        "([key, value]) => localStorage.setItem(key, value)",
        [REVIEW_KEY, json.dumps(old)],
    )
    root = open_review(browser_page)
    assert box_counts(root) == [len(DECK) - 1, 0, 1, 0, 0]
    assert saved_review(browser_page)["cards"] == {
        keys[0]: {"box": 3, "due": saved_review(browser_page)["day"]}
    }


def test_review_text_shows_inline_code_as_code(browser_page):
    """Titles and quiz text with `code` in them show it as code, never backticks."""
    open_review(browser_page)
    compiled = next(k for k in DECK if k.startswith("training/compile/"))
    ticked = "training/mixed-precision/skip-warning-once"
    assert "`" in DECK[ticked]["answer"] and "`" in DECK[compiled]["page"]
    browser_page.evaluate(
        """([key, queue]) => localStorage.setItem(key, JSON.stringify({
            version: 2, day: LR.leitner.dayOf(new Date()), cards: {}, queue,
            missed: [], tally: {known: 0, again: 0}}))""",
        [REVIEW_KEY, [compiled, ticked]],
    )
    root = open_review(browser_page)
    stage = root.locator(".quiz-stage")
    expect(stage.locator(".quiz-from code")).to_have_text("torch.compile")
    answer(root, knew=True)
    root.get_by_role("button", name="Show answer").click()
    expect(stage.locator(".quiz-answer code")).to_have_text(
        ["lr_scheduler.step()", "optimizer.step()"]
    )
    assert "`" not in stage.inner_text()


def test_a_questions_figure_shows_in_the_palettes_colours(browser_page):
    """The contract with figure drills: a choice's optional `figure` is shown above
    it, the light or the dark file as Material's palette is, with its alt text."""
    key = next(k for k, item in DECK.items() if item["kind"] == "choice")
    svg = "../assets/snippets/learning-rate/three_rates-1"
    figure = {"light": f"{svg}.svg", "dark": f"{svg}-dark.svg", "alt": "Three rates"}
    deck = [item | ({"figure": figure} if k == key else {}) for k, item in DECK.items()]
    swapped_data = quiz_html.data_attribute({"cards": deck})

    def swap_the_data(route):
        page = route.fetch().text()
        swapped, count = re.subn(r'data-items="[^"]*"', lambda m: swapped_data, page)
        assert count == 1
        route.fulfill(body=swapped, content_type="text/html")

    open_review(browser_page)
    browser_page.evaluate(
        """([key, queue]) => localStorage.setItem(key, JSON.stringify({
            version: 2, day: LR.leitner.dayOf(new Date()), cards: {}, queue,
            missed: [], tally: {known: 0, again: 0}}))""",
        [REVIEW_KEY, [key]],
    )
    browser_page.route("**/review/", swap_the_data)
    root = open_review(browser_page)
    images = root.locator(".quiz-stage .quiz-choice > .quiz-figure img")
    expect(images).to_have_count(2)
    shown = root.locator(".quiz-stage .quiz-figure img:visible")
    expect(shown).to_have_attribute("alt", "Three rates")
    expect(shown).to_have_attribute("src", f"{svg}.svg#only-light")
    browser_page.wait_for_function(
        "() => document.querySelector('.quiz-figure img').complete"
    )
    assert shown.evaluate("img => img.naturalWidth") > 0  # the file is there
    browser_page.get_by_title("Switch to dark mode").click()
    expect(shown).to_have_attribute("src", f"{svg}-dark.svg#only-dark")


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
    # A lazy image: wait until it has loaded, however slow the machine.
    loaded = "img => img.complete && img.naturalWidth > 0"
    browser_page.wait_for_function(loaded, arg=light.element_handle())
    figure, question = (
        drill.locator(sel).bounding_box() for sel in (".quiz-figure", ".quiz-question")
    )
    assert figure["y"] + figure["height"] <= question["y"]


def test_the_review_without_javascript_links_each_pages_quiz_which_works(
    browser, site_url
):
    """The review needs JavaScript and says so; the pages it links show their quiz
    with its answers, which need none. With JavaScript the list is replaced."""
    context = browser.new_context(base_url=site_url, java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto("review/")
        root = page.locator('.quiz[data-quiz="review"]')
        expect(root).to_contain_text(f"{len(DECK)} questions from ")
        expect(root).to_contain_text("The review needs JavaScript")
        pages = {key.rpartition("/")[0] for key in DECK}
        links = root.locator(".quiz-pages a")
        expect(links).to_have_count(len(pages))
        expect(root.locator(".quiz-pages li").first).to_have_text(
            re.compile(r".+ — \d+ questions$")
        )
        links.first.click()
        quiz_there = page.locator(".quiz .quiz-static")
        expect(quiz_there.locator(".quiz-question").first).to_be_visible()
        expect(quiz_there.locator("summary", has_text="Answer").first).to_be_visible()
    finally:
        context.close()


def test_the_review_with_javascript_replaces_its_list(browser_page):
    root = open_review(browser_page)
    expect(root.locator(".quiz-static")).to_have_count(0)
    expect(root.locator(".quiz-stage .quiz-card")).to_have_count(1)


def test_a_reset_of_the_review_can_be_undone(browser_page):
    root = open_review(browser_page)
    for knew in (False, True):
        answer(root, knew)
    before = browser_page.evaluate(f"localStorage.getItem('{REVIEW_KEY}')")
    boxes = box_counts(root)
    root.get_by_role("button", name="Reset the review").click()
    expect(root.locator(".quiz-box-count").first).to_have_text(f"{len(DECK)} cards")
    root.get_by_role("button", name="Undo the reset").click()
    expect(root.locator(".quiz-said")).to_have_text(
        "Reset undone: your progress is back."
    )
    assert browser_page.evaluate(f"localStorage.getItem('{REVIEW_KEY}')") == before
    assert box_counts(root) == boxes
