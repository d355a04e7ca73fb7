"""MkDocs hook: `<!-- quiz: <page> -->` becomes the quiz in quiz/<page>.json, and
`<!-- quiz: review -->` the site's review deck of every question.

Every quiz file is checked in `on_files`, before any page renders: against
quiz/schema.json, then for what a schema cannot say (an answer index within its
options, ids unique in the file). Pages get plain HTML that is complete without
JavaScript (answers in <details>) and the quiz as JSON in a data attribute for
docs/javascripts/quiz.js, which replaces that HTML with the interactive quiz. The
review page holds every question as JSON only; without JavaScript it says so and
links each page's quiz.

A page's quiz is named after the page: docs/too-high.md has quiz/too-high.json, and
docs/reference/steplr.md has quiz/reference/steplr.json.

A curve-reading drill is a multiple-choice item with `"figure": "page/x.py 2"`: the
snippets hook ran that snippet (values.figures), and the item carries the figure
(light and dark SVG, alt text, size) in the page's data and its static HTML.
"""

from __future__ import annotations

import hashlib
import html
import itertools
import json
import logging
import re
from pathlib import Path
from typing import TYPE_CHECKING

import figure_html
import markers
import values
from mkdocs.exceptions import PluginError

if TYPE_CHECKING:
    from jsonschema import Draft202012Validator

log = logging.getLogger("mkdocs.hooks.quiz")
markers.register("quiz")

REVIEW = "review"  # `<!-- quiz: review -->`: every question of the site
KINDS = ("flashcards", "choices", "explain")  # in the order a page shows them
SLUG_RE = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*(?:/[a-z0-9]+(?:-[a-z0-9]+)*)*")
SLOT = '<div class="quiz-slot" data-quiz-slot="{}"></div>'
SLOT_RE = re.compile(r'<div class="quiz-slot" data-quiz-slot="([^"<>]*)"></div>')

_quizzes: dict[str, dict] = {}  # slug -> quiz, per build
_nav_order: list[str] = []  # page sources in nav order, for the review deck
_project = Path.cwd()  # the folder of mkdocs.yml, set in on_config
# Quiz files that passed every check, by the digest of their text, the schema and
# this file: a warm build neither checks them again nor imports jsonschema.
_passed = markers.BuildCache("quizzes.json")


class QuizError(Exception):
    """A quiz file that is not valid, or a marker naming no quiz file."""


# ---------------------------------------------------------------- loading


def validator(quiz_dir: Path) -> Draft202012Validator:
    from jsonschema import Draft202012Validator
    from jsonschema.exceptions import SchemaError

    try:
        schema = json.loads((quiz_dir / "schema.json").read_text(encoding="utf-8"))
        Draft202012Validator.check_schema(schema)
    except (OSError, ValueError, SchemaError) as err:
        raise QuizError(f"quiz/schema.json: {err}") from None
    return Draft202012Validator(schema)


def _message(error) -> str:
    if error.validator == "anyOf" and not error.absolute_path:
        return "needs at least one of " + ", ".join(repr(kind) for kind in KINDS)
    text = error.message  # it may quote a whole item: keep the start
    return text if len(text) <= 200 else text[:197] + "..."


def problems(data: object, check: Draft202012Validator) -> list[str]:
    """What is wrong with one quiz, each as '<JSON path>: <what>'; [] if nothing."""
    errors = sorted(check.iter_errors(data), key=lambda e: e.json_path)
    found = [f"{e.json_path}: {_message(e)}" for e in errors]
    if found:  # the checks below need the shape the schema promises
        return found
    first: dict[str, str] = {}  # id -> JSON path where it first appears
    for kind in KINDS:
        for number, item in enumerate(data.get(kind, [])):
            path = f"$.{kind}[{number}]"
            if item["id"] in first:
                found.append(
                    f"{path}.id: duplicate id {item['id']!r} "
                    f"(first at {first[item['id']]})"
                )
            first.setdefault(item["id"], f"{path}.id")
            if kind != "choices":
                continue
            count = len(item["options"])
            if item["answer"] >= count:
                found.append(
                    f"{path}.answer: {item['answer']} is out of range: "
                    f"{count} options, so 0 to {count - 1}"
                )
            feedback = item.get("feedback")
            if feedback is not None and len(feedback) != count:
                found.append(
                    f"{path}.feedback: {len(feedback)} lines for {count} options "
                    "(one per option, in the same order)"
                )
    return found


def load_quiz(path: Path, check: Draft202012Validator, name: str) -> dict:
    """One quiz file, checked; QuizError names the file, the JSON path and what."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as err:
        raise QuizError(
            f"{name}: not JSON: {err.msg} (line {err.lineno}, column {err.colno})"
        ) from None
    except (OSError, UnicodeDecodeError) as err:
        raise QuizError(f"{name}: cannot read it: {err}") from None
    found = problems(data, check)
    if found:
        raise QuizError("\n".join(f"{name}: {problem}" for problem in found))
    return data


def _rules(quiz_dir: Path) -> bytes | None:
    """A digest of what checks a quiz: the schema and this file; None without a
    schema."""
    try:
        schema = (quiz_dir / "schema.json").read_bytes()
    except OSError:
        return None
    return hashlib.sha256(Path(__file__).read_bytes() + schema).digest()


def _passed_key(rules: bytes | None, path: Path) -> str | None:
    """The key of a quiz file's text under `rules`; None if it cannot be read (then
    load_quiz says why)."""
    try:
        return rules and hashlib.sha256(rules + path.read_bytes()).hexdigest()
    except OSError:
        return None


def load_all(
    quiz_dir: Path, passed: markers.BuildCache | None = None
) -> dict[str, dict]:
    """Every quiz under quiz_dir by slug; one QuizError listing every problem. A
    file whose text passed under the same rules before (in `passed`) is read, not
    checked again."""
    if not quiz_dir.is_dir():
        return {}
    rules = _rules(quiz_dir)  # None without a schema: validator() says so
    # Schema and quizzes are checked together: a file that passed under these rules
    # was checked by a valid schema, so only a file not seen needs a validator.
    check = validator(quiz_dir) if passed is None or rules is None else None
    quizzes, errors = {}, []
    for path in sorted(quiz_dir.rglob("*.json")):
        rel = path.relative_to(quiz_dir).as_posix()
        if rel == "schema.json":
            continue
        slug, name = rel.removesuffix(".json"), f"quiz/{rel}"
        if not SLUG_RE.fullmatch(slug) or slug == REVIEW:
            errors.append(
                f"{name}: bad file name: use the page's path in lowercase words "
                f"and hyphens (and not {REVIEW!r}, which names the review deck)"
            )
            continue
        key = _passed_key(rules, path) if passed is not None else None
        if key and passed.get(key):
            quizzes[slug] = json.loads(path.read_text(encoding="utf-8"))
            continue
        check = check or validator(quiz_dir)
        try:
            quizzes[slug] = load_quiz(path, check, name)
        except QuizError as err:
            errors.append(str(err))
            continue
        if key:
            passed.put(key, True)
    if errors:
        raise QuizError("invalid quiz data:\n" + "\n".join(errors))
    return quizzes


def bind_values(slug: str, quiz: dict) -> dict:
    """The quiz with `{{ snippet.value }}` in its text bound to the runs of its
    page's snippets (snippets/<slug>/), which the snippets hook ran already."""
    try:
        return values.bind_strings(quiz, values.values_for(slug))
    except values.BindError as err:
        raise QuizError(f"quiz/{slug}.json: {err}") from None


def resolve_figures(slug: str, quiz: dict, figures: dict[str, list[dict]]) -> dict:
    """The quiz with each drill's `"figure": "page/x.py 2"` replaced by that figure
    of the build's run (values.figures): its light and dark SVG and their phone
    variants (site paths), alt text, and both sizes. QuizError names the file, the
    item and what is wrong."""
    choices = []
    for number, item in enumerate(quiz.get("choices", [])):
        if "figure" in item:
            ref = item["figure"]
            rel, _, which = ref.partition(" ")
            where = f"quiz/{slug}.json: $.choices[{number}] (id {item['id']!r})"
            if rel not in figures:
                # The snippets hook ran every snippet a drill names that exists.
                missing = f"snippets/{rel} does not exist"
                raise QuizError(f"{where}: figure {ref!r}: {missing}")
            drawn = figures[rel]
            if not 1 <= int(which) <= len(drawn):
                raise QuizError(
                    f"{where}: figure {ref!r}: snippets/{rel} draws "
                    f"{len(drawn)} figure(s)"
                )
            item = item | {"figure": dict(drawn[int(which) - 1])}
        choices.append(item)
    return quiz | {"choices": choices} if "choices" in quiz else quiz


def quiz_uses(pages: dict[str, str], quizzes: dict[str, dict]) -> dict[str, str]:
    """Quiz slug -> first page naming it; QuizError for a marker naming no quiz."""
    used: dict[str, str] = {}
    for src, markdown in pages.items():
        for marker in markers.find_markers(markdown):
            if marker.kind != "quiz":
                continue
            if marker.arg != REVIEW and marker.arg not in quizzes:
                raise QuizError(
                    f"{src}: line {marker.line}: quiz {marker.arg!r} does not exist "
                    f"(expected quiz/{marker.arg}.json)"
                )
            used.setdefault(marker.arg, src)
    return used


# ---------------------------------------------------------------- rendering


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
    """A drill figure with its SVG paths relative to the page at site URL `base`."""
    from mkdocs.utils import get_relative_url

    return figure | {
        k: get_relative_url(figure[k], base)
        for k in figure_html.VARIANTS
        if k in figure
    }


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


# ---------------------------------------------------------------- MkDocs events


def on_config(config):
    global _project
    _project = markers.project_root(config)
    _passed.load(config)
    return config


def on_files(files, config):
    pages = {f.src_uri: f.content_string for f in files.documentation_pages()}
    try:
        quizzes = load_all(_project / "quiz", _passed)
        used = quiz_uses(pages, quizzes)
        quizzes = {
            slug: resolve_figures(slug, bind_values(slug, quiz), values.figures)
            if slug in used
            else quiz
            for slug, quiz in quizzes.items()
        }
    except (QuizError, markers.MarkerError) as err:
        raise PluginError(str(err)) from None
    for slug in sorted(set(quizzes) - set(used)):
        log.warning(
            f"quiz/{slug}.json is used by no page: add <!-- quiz: {slug} --> "
            f"to docs/{slug}.md, or delete it"
        )
    _quizzes.clear()
    _quizzes.update(quizzes)
    return files


def on_nav(nav, config, files):
    _nav_order[:] = [page.file.src_uri for page in nav.pages]
    return nav


def on_page_markdown(markdown: str, page, config, files) -> str:
    def slot(marker: markers.Marker) -> str:
        if marker.arg != REVIEW and marker.arg not in _quizzes:
            raise markers.MarkerError(f"line {marker.line}: no quiz {marker.arg!r}")
        # Blank lines around: Markdown keeps the element as a raw HTML block.
        return "\n" + SLOT.format(_e(marker.arg)) + "\n"

    return markers.replace_on_page(markdown, page, "quiz", slot)


def on_page_content(content: str, page, config, files) -> str:
    def render(match: re.Match) -> str:
        slug = html.unescape(match.group(1))
        if slug != REVIEW:
            return render_quiz(slug, _quizzes[slug], page.url)
        pages = {}
        for slug in _quizzes:
            file = files.get_file_from_path(f"{slug}.md")
            if file is not None:
                title = page_title(file.content_string, slug)
                pages[slug] = (title, file.url_relative_to(page.file))
        return render_review(review_deck(_quizzes, pages, _nav_order, page.url))

    return SLOT_RE.sub(render, content)


def on_post_build(config) -> None:
    _passed.save()
