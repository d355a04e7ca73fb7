"""MkDocs hook: search indexes the prose, not code, outputs or quiz answers.

Material's search skips an element with `data-search-exclude`. Every code block
(snippets and fenced code with their outputs), every lab cell's output and every
quiz gets it here, in one place, so a query finds the section that explains a
concept instead of each code block that names it, and quiz answers stay unspoiled.

Material's parser ends an excluded element at the first closing tag of the same
name, so the attribute goes on elements with no descendant of their own tag: a
code block's `div.highlight`, not the `div.snippet` around it.
"""

from __future__ import annotations

import re

EXCLUDED_RE = re.compile(
    r"<(?="
    r'div class="highlight[\s"]'  # code and printed output on pages
    r'|div class="highlight-ipynb[\s"]'  # a lab cell's code
    r'|div class="clipboard-copy-txt"'  # the same code, for its copy button
    r'|details class="fold"'  # a snippet's folded code
    r'|div class="jp-RenderedText[\s"]'  # a lab cell's printed output
    r"|clipboard-copy[\s>]"  # a lab cell's copy button
    r'|section class="quiz-section"'  # a quiz's questions and answers
    r")(\w[\w-]*)"
)


def exclude_from_search(page_html: str) -> str:
    return EXCLUDED_RE.sub(r"<\1 data-search-exclude", page_html)


LAB_BOOST = 0.5  # a lab applies a concept; the page that explains it comes first


def on_page_content(html: str, page, config, files) -> str:
    if page.file.src_uri.startswith("labs/"):
        page.meta.setdefault("search", {})["boost"] = LAB_BOOST
    return exclude_from_search(html)
