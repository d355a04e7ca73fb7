"""MkDocs hook: search indexes the prose, not code, outputs or quiz answers.

Material's search skips an element with `data-search-exclude`. Every code block
(snippets, fenced code and lab cells, with their outputs), a snippet's folded code
and every quiz get it here, in one place, so a query finds the section that
explains a concept instead of each code block that names it, and quiz answers stay
unspoiled. Labs rank after the page that explains the concept they apply.

Material's parser ends an excluded element at the first closing tag of the same
name, so the attribute goes on elements with no descendant of their own tag: a
code block's `div.highlight`, not the `div.snippet` around it.
"""

from __future__ import annotations

import re

import labs

EXCLUDED_CLASSES = ["highlight", "fold", "quiz-section"]
EXCLUDED_RE = re.compile(
    r"<(div|details|section)(?= class=\"[^\"]*\b(?:"
    + "|".join(EXCLUDED_CLASSES)
    + r')\b[^"]*")'
)
LAB_BOOST = 0.5


def exclude_from_search(page_html: str) -> str:
    return EXCLUDED_RE.sub(r"<\1 data-search-exclude", page_html)


def on_page_content(html: str, page, config, files) -> str:
    if labs.is_lab(page.file.src_uri):
        page.meta.setdefault("search", {})["boost"] = LAB_BOOST
    return exclude_from_search(html)
