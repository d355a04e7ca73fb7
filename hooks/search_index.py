"""MkDocs hook: search indexes the prose, not code, outputs or quiz answers.

Material's search skips an element with `data-search-exclude`. Every code block
(snippets, fenced code and lab cells, with their outputs), a snippet's folded code
and every quiz get it here, in one place, so a query finds the section that
explains a concept instead of each code block that names it, and quiz answers stay
unspoiled. Labs rank after the page that explains the concept they apply.

Material's parser ends an excluded element at the first closing tag of the same
name, so the attribute goes on elements with no descendant of their own tag: a
code block's `div.highlight`, not the `div.snippet` around it.

Search parses each page's HTML with Python's html.parser, and the excluded parts
(Pygments' thousands of spans, lab outputs) were most of it: about a third of a
warm build. So search is handed the page with those parts emptied, which gives
the same index, and the page gets its full content back before it is rendered.
"""

from __future__ import annotations

import re

import labs
from mkdocs.plugins import event_priority

EXCLUDED_CLASSES = ["highlight", "fold", "quiz-section"]
EXCLUDED_RE = re.compile(
    r"<(div|details|section)(?= class=\"[^\"]*\b(?:"
    + "|".join(EXCLUDED_CLASSES)
    + r')\b[^"]*")'
)
# An excluded element's body, up to the first closing tag of its name, as
# Material's parser reads it.
EXCLUDED_BODY_RE = re.compile(
    r"(<(div|details|section) data-search-exclude[^>]*>).*?(</\2>)", re.DOTALL
)
LAB_BOOST = 0.5

_full_content: dict[str, str] = {}  # page -> its HTML, while search reads the rest
# page -> (its marked HTML, emptied): a `serve` rebuild hands search the same pages
_emptied: dict[str, tuple[str, str]] = {}


def exclude_from_search(page_html: str) -> str:
    return EXCLUDED_RE.sub(r"<\1 data-search-exclude", page_html)


def as_search_reads_it(marked_html: str) -> str:
    """A page marked by exclude_from_search, with its excluded parts emptied."""
    return EXCLUDED_BODY_RE.sub(r"\1\3", marked_html)


@event_priority(-100)  # last: every other hook sees, and changes, the whole page
def on_page_content(html: str, page, config, files) -> str:
    if labs.is_lab(page.file.src_uri):
        page.meta.setdefault("search", {})["boost"] = LAB_BOOST
    marked = exclude_from_search(html)
    _full_content[page.file.src_uri] = marked
    kept = _emptied.get(page.file.src_uri)
    if kept is None or kept[0] != marked:
        kept = _emptied[page.file.src_uri] = (marked, as_search_reads_it(marked))
    return kept[1]  # what search's on_page_context reads


@event_priority(-100)  # after search's on_page_context
def on_page_context(context, page, config, nav):
    page.content = _full_content.pop(page.file.src_uri)
    return context
