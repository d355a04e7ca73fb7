"""`<!-- quiz: <page> -->` becomes the quiz in quiz/<page>.json, and
`<!-- quiz: review -->` the site's review deck of every question.

Every quiz file is checked when the build has its files, before any page
renders: against quiz/schema.json, then for what a schema cannot say (an answer
index within its options, ids unique in the file). Pages get plain HTML that is
complete without JavaScript (answers in <details>) and the quiz as JSON in a data
attribute for docs/javascripts/quiz.js, which replaces that HTML with the
interactive quiz. The review page holds every question as JSON only; without
JavaScript it says so and links each page's quiz.

A page's quiz is named after the page: docs/too-high.md has quiz/too-high.json, and
docs/reference/steplr.md has quiz/reference/steplr.json.

A curve-reading drill is a multiple-choice item with `"figure": "page/x.py 2"`: the
build ran that snippet (Snippets.figures), and the item carries the figure
(light and dark SVG, alt text, size) in the page's data and its static HTML.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

import cache
import markers
import quiz_data
import quiz_html
from quiz_data import QuizError

SLOT = '<div class="quiz-slot" data-quiz-slot="{}"></div>'
SLOT_RE = re.compile(r'<div class="quiz-slot" data-quiz-slot="([^"<>]*)"></div>')
__all__ = ["QuizError", "Quizzes"]


class Quizzes:
    """A build's quizzes: read, checked and bound before any page renders, then
    put into the pages that name them."""

    def __init__(self, quiz_dir: Path, passed: cache.Store) -> None:
        self.quiz_dir = quiz_dir
        # Quiz files that passed every check, by the digest of their text, the
        # schema and quiz_data.py: a warm build neither checks them again nor
        # imports jsonschema.
        self.passed = passed
        self.by_slug: dict[str, dict] = {}
        self.nav_order: list[str] = []  # page sources in nav order: the review deck

    def load(self, pages: dict[str, str], snippets) -> list[str]:
        """Read every quiz; bind those `pages` (source -> Markdown) show to their
        page's runs and drill figures (a snippets.Snippets). Returns a warning for
        each quiz no page shows."""
        quizzes = quiz_data.load_all(self.quiz_dir, self.passed)
        used = quiz_data.quiz_uses(pages, quizzes)
        for slug in used.keys() & quizzes.keys():
            bound = quiz_data.bind_values(
                slug, quizzes[slug], snippets.values_for(slug)
            )
            quizzes[slug] = quiz_data.resolve_figures(slug, bound, snippets.figures)
        self.by_slug = quizzes
        return [
            f"quiz/{slug}.json is used by no page: add <!-- quiz: {slug} --> "
            f"to docs/{slug}.md, or delete it"
            for slug in sorted(set(quizzes) - set(used))
        ]

    def slot(self, marker: markers.Marker) -> str:
        """A quiz marker's place in the page, filled once the page is HTML."""
        if marker.arg != quiz_data.REVIEW and marker.arg not in self.by_slug:
            raise markers.MarkerError(f"line {marker.line}: no quiz {marker.arg!r}")
        # Blank lines around: Markdown keeps the element as a raw HTML block.
        return "\n" + SLOT.format(html.escape(marker.arg)) + "\n"

    def fill_slots(self, content: str, page, files) -> str:
        """The page's HTML with each slot holding its quiz, or the review deck
        (`page` and `files` are MkDocs': the deck links every quiz's page)."""

        def render(match: re.Match) -> str:
            slug = html.unescape(match.group(1))
            if slug != quiz_data.REVIEW:
                return quiz_html.render_quiz(slug, self.by_slug[slug], page.url)
            pages = {}
            for slug in self.by_slug:
                file = files.get_file_from_path(f"{slug}.md")
                if file is not None:
                    title = quiz_html.page_title(file.content_string, slug)
                    pages[slug] = (title, file.url_relative_to(page.file))
            deck = quiz_html.review_deck(self.by_slug, pages, self.nav_order, page.url)
            return quiz_html.render_review(deck)

        return SLOT_RE.sub(render, content)
