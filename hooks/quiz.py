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

import html
import logging
import re
from pathlib import Path

import markers
import quiz_data
import quiz_html
import values
from mkdocs.exceptions import PluginError

log = logging.getLogger("mkdocs.hooks.quiz")
markers.register("quiz")

SLOT = '<div class="quiz-slot" data-quiz-slot="{}"></div>'
SLOT_RE = re.compile(r'<div class="quiz-slot" data-quiz-slot="([^"<>]*)"></div>')

_quizzes: dict[str, dict] = {}  # slug -> quiz, per build
_nav_order: list[str] = []  # page sources in nav order, for the review deck
_project = Path.cwd()  # the folder of mkdocs.yml, set in on_config
# Quiz files that passed every check, by the digest of their text, the schema and
# quiz_data.py: a warm build neither checks them again nor imports jsonschema.
_passed = markers.BuildCache("quizzes.json")


# ---------------------------------------------------------------- MkDocs events


def on_config(config):
    global _project
    _project = markers.project_root(config)
    _passed.load(config)
    return config


def on_files(files, config):
    pages = {f.src_uri: f.content_string for f in files.documentation_pages()}
    try:
        quizzes = quiz_data.load_all(_project / "quiz", _passed)
        used = quiz_data.quiz_uses(pages, quizzes)
        quizzes = {
            slug: quiz_data.resolve_figures(
                slug, quiz_data.bind_values(slug, quiz), values.figures
            )
            if slug in used
            else quiz
            for slug, quiz in quizzes.items()
        }
    except (quiz_data.QuizError, markers.MarkerError) as err:
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
        if marker.arg != quiz_data.REVIEW and marker.arg not in _quizzes:
            raise markers.MarkerError(f"line {marker.line}: no quiz {marker.arg!r}")
        # Blank lines around: Markdown keeps the element as a raw HTML block.
        return "\n" + SLOT.format(html.escape(marker.arg)) + "\n"

    return markers.replace_on_page(markdown, page, "quiz", slot)


def on_page_content(content: str, page, config, files) -> str:
    def render(match: re.Match) -> str:
        slug = html.unescape(match.group(1))
        if slug != quiz_data.REVIEW:
            return quiz_html.render_quiz(slug, _quizzes[slug], page.url)
        pages = {}
        for slug in _quizzes:
            file = files.get_file_from_path(f"{slug}.md")
            if file is not None:
                title = quiz_html.page_title(file.content_string, slug)
                pages[slug] = (title, file.url_relative_to(page.file))
        deck = quiz_html.review_deck(_quizzes, pages, _nav_order, page.url)
        return quiz_html.render_review(deck)

    return SLOT_RE.sub(render, content)


def on_post_build(config) -> None:
    _passed.save()
