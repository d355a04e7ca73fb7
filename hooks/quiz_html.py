"""A quiz as HTML: complete without JavaScript (answers in <details>), with the
quiz as JSON in a data attribute for docs/javascripts/quiz.js; and the review
deck of every question of the site. Plain functions that use no MkDocs API.
"""

from __future__ import annotations

import html
import itertools
import json

import figure_html
from quiz_data import KINDS, REVIEW


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _t(text: str) -> str:
    """Quiz text as HTML: escaped, its `inline code` in <code> as on a page (quiz.js
    splits on backticks the same way)."""
    parts = str(text).split("`")
    if len(parts) % 2 == 0:  # an odd number of backticks: no code, all text
        return _e(text)
    return "".join(
        f"<code>{_e(part)}</code>" if odd else _e(part)
        for odd, part in zip(itertools.cycle((False, True)), parts)
    )


def data_attribute(data: object) -> str:
    """The quiz as JSON in an attribute. Not in a <script type="application/json">:
    Material's instant navigation re-creates each inline script of the new page
    without its type, and the browser would run the JSON as JavaScript."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return f'data-items="{_e(text)}"'


def _card(card: dict) -> str:
    level = card["level"].capitalize()
    return (
        f'<div class="quiz-card"><p class="quiz-question">'
        f'<span class="quiz-level">{_e(level)}</span> {_t(card["question"])}</p>'
        f"<details><summary>Answer</summary><p>{_t(card['answer'])}</p></details>"
        "</div>"
    )


def _letter(number: int) -> str:
    return "ABCDEF"[number]


def relative_figure(figure: dict, base: str) -> dict:
    """A drill figure with its SVG paths relative to the page at site URL `base`
    (its folder, as "too-high/", or its file)."""
    files = {k: figure[k] for k in figure_html.VARIANTS if k in figure}
    return figure | figure_html.relative_to_page(files, base)


def relative_figures(data: dict, base: str) -> dict:
    """The quiz data with each drill figure's SVG paths made relative to the page
    at site URL `base` (its directory, as "too-high/"), for the <img> and quiz.js."""
    if not any("figure" in item for item in data.get("choices", [])):
        return data
    choices = [
        item | {"figure": relative_figure(item["figure"], base)}
        if "figure" in item
        else item
        for item in data["choices"]
    ]
    return data | {"choices": choices}


def _drill_figure(figure: dict) -> str:
    """A drill's figure, light and dark, wide and for a phone, as the page's
    figures are shown (figure_html)."""
    size = figure["width"], figure["height"]
    phone_size = figure["phone_width"], figure["phone_height"]
    picture = figure_html.picture(figure, figure["alt"], size, phone_size)
    return f'<div class="quiz-figure">{picture}</div>'


def _choice(item: dict, number: int) -> str:
    """A question; a drill's figure shown above it."""
    options = "".join(f"<li>{_t(option)}</li>" for option in item["options"])
    figure = ""
    # A figure resolved from its run (a quiz no page uses keeps the reference).
    drawn = isinstance(item.get("figure"), dict)
    if drawn:
        figure = _drill_figure(item["figure"])
    right = item["answer"]
    answer = (
        f"<p><strong>{_letter(right)}. {_t(item['options'][right])}</strong></p>"
        f"<p>{_t(item['explanation'])}</p>"
    )
    if item.get("feedback"):
        lines = "".join(
            f"<li>{_letter(n)}: {_t(text)}</li>"
            for n, text in enumerate(item["feedback"])
        )
        answer += f"<ul>{lines}</ul>"
    return (
        f'<div class="quiz-choice">{figure}<p class="quiz-question">{number}. '
        f'{_t(item["question"])}</p><ol class="quiz-options" type="A">{options}</ol>'
        f"<details><summary>Answer</summary>{answer}</details></div>"
    )


def _explain(item: dict) -> str:
    concepts = "".join(f"<li>{_t(concept)}</li>" for concept in item["concepts"])
    return (
        f'<div class="quiz-explain"><p class="quiz-question">{_t(item["prompt"])}</p>'
        f"<details><summary>Hint</summary><p>{_t(item['hint'])}</p></details>"
        f"<details><summary>A good answer covers</summary><ul>{concepts}</ul>"
        "</details></div>"
    )


HEADINGS = {
    "flashcards": "Flashcards",
    "choices": "Multiple choice",
    "explain": "Explain it",
}


def render_quiz(slug: str, quiz: dict, base: str = "") -> str:
    """The quiz as HTML complete without JavaScript, with its data for quiz.js; a
    drill's figure paths relative to the page at site URL `base`."""
    data = relative_figures({kind: quiz[kind] for kind in KINDS if kind in quiz}, base)
    sections = []
    for kind, items in data.items():
        if kind == "flashcards":
            body = "".join(_card(card) for card in items)
        elif kind == "choices":
            body = "".join(_choice(item, n) for n, item in enumerate(items, 1))
        else:
            body = "".join(_explain(item) for item in items)
        sections.append(
            f'<section class="quiz-section"><h3>{HEADINGS[kind]}</h3>{body}</section>'
        )
    return (
        f'<div class="quiz" data-quiz="{_e(slug)}" {data_attribute(data)} '
        'data-widget="quiz">'
        f'<div class="quiz-static">{"".join(sections)}</div></div>'
    )


DECK_KINDS = {"flashcards": "card", "choices": "choice", "explain": "explain"}


def review_deck(
    quizzes: dict[str, dict],
    pages: dict[str, tuple[str, str]],
    nav_order: list[str],
    base: str = "",
) -> list[dict]:
    """Every flashcard, multiple-choice question and explain prompt of the site, in
    nav order, each with its key (`<page slug>/<id>`, under which the reader's
    progress is kept: stable while the id is), its kind, and its page's title and
    URL from the review page; a quiz with no page gets no link. A question's figure
    (its light and dark SVG as site paths) is made relative to the review page at
    site URL `base`."""
    order = [src.removesuffix(".md") for src in nav_order]
    slugs = sorted(quizzes, key=lambda s: (order.index(s) if s in order else 1e9, s))
    deck = []
    for slug in slugs:
        title, url = pages.get(slug, (slug, None))
        for kind, name in DECK_KINDS.items():
            for item in quizzes[slug].get(kind, []):
                card = {"key": f"{slug}/{item['id']}", "kind": name}
                card |= {"page": title, "url": url}
                card |= {k: v for k, v in item.items() if k != "id"}
                if isinstance(card.get("figure"), dict):
                    card["figure"] = relative_figure(card["figure"], base)
                deck.append(card)
    return deck


def render_review(deck: list[dict]) -> str:
    """The review deck: its data for quiz.js and, for readers without JavaScript,
    what the deck holds and a link to each page's quiz, which works without it. Not
    every question again: the deck twice made the page too heavy."""
    pages: dict[str, list[dict]] = {}  # page slug -> its cards, in deck order
    for card in deck:
        pages.setdefault(card["key"].rpartition("/")[0], []).append(card)
    links = []
    for cards in pages.values():
        title = _t(cards[0]["page"])
        if cards[0]["url"] is not None:
            title = f'<a href="{_e(cards[0]["url"])}">{title}</a>'
        count = f"{len(cards)} question{'' if len(cards) == 1 else 's'}"
        links.append(f"<li>{title} — {count}</li>")
    kinds = [sum(card["kind"] == kind for card in deck) for kind in DECK_KINDS.values()]
    return (
        f'<div class="quiz quiz-review" data-quiz="{REVIEW}" '
        f'{data_attribute({"cards": deck})} data-widget="quiz">'
        f'<div class="quiz-static"><p>{len(deck)} questions from {len(pages)} '
        f"pages: {kinds[0]} flashcards, {kinds[1]} multiple-choice questions and "
        f"{kinds[2]} explain prompts.</p>"
        "<p><strong>The review needs JavaScript</strong>: it picks each day's "
        "questions in your browser and keeps your boxes there (local storage). "
        "Without JavaScript, each page's quiz works, with its answers under "
        "<em>Answer</em>, <em>Hint</em> and <em>A good answer covers</em>:</p>"
        f'<ul class="quiz-pages">{"".join(links)}</ul></div></div>'
    )


def page_title(markdown: str, fallback: str) -> str:
    for line in markdown.splitlines():
        if line.startswith("# "):
            return line[2:].strip()
    return fallback
