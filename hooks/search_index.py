"""Search indexes the prose, not code, outputs or quiz answers.

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

Readers search with their own words for what a page names otherwise ("LR finder"
for the range test, "NaN" for a loss that diverges). SYNONYMS, the one table of
them, adds a reader's words to the indexed text of every section that says the
page's word; the page itself never shows them. Headings count most in Material's
ranking (a title match weighs 1000 times a text match), so a section that should
come first for a question says the question's words in its heading; these words
break ties among the sections that match.
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
# An excluded element's body, up to the first closing tag of its name, as
# Material's parser reads it.
EXCLUDED_BODY_RE = re.compile(
    r"(<(div|details|section) data-search-exclude[^>]*>).*?(</\2>)", re.DOTALL
)
LAB_BOOST = 0.5
# The pages' word (matched at the start of a word, any case) -> a reader's words.
SYNONYMS = {
    "range test": "LR finder",
    "diverg": "NaN",
    "warmup": "warm up",
    "parameter group": "per layer",
}
_SYNONYM_RES = {
    re.compile(r"\b" + re.escape(word), re.IGNORECASE): readers
    for word, readers in SYNONYMS.items()
}
# A heading with an id starts a section of the index, as Material's parser splits
# a page; the section runs to the next one.
SECTION_RE = re.compile(r"<h[1-6] id=\"[^\"]*\"[^>]*>.*?</h[1-6]>", re.DOTALL)
TAG_RE = re.compile(r"<[^>]+>")


def exclude_from_search(page_html: str) -> str:
    return EXCLUDED_RE.sub(r"<\1 data-search-exclude", page_html)


def as_search_reads_it(marked_html: str) -> str:
    """A page marked by exclude_from_search, with its excluded parts emptied."""
    return EXCLUDED_BODY_RE.sub(r"\1\3", marked_html)


def with_synonyms(search_html: str) -> str:
    """The page as search reads it, each section (its heading included) followed
    by a paragraph of the readers' words for the pages' words it says."""
    cuts = [m.start() for m in SECTION_RE.finditer(search_html)]
    parts = [search_html[: cuts[0] if cuts else None]]
    for start, end in zip(cuts, cuts[1:] + [len(search_html)], strict=True):
        section = search_html[start:end]
        text = TAG_RE.sub(" ", section)
        found = [readers for word, readers in _SYNONYM_RES.items() if word.search(text)]
        parts.append(section + (f"<p>{', '.join(found)}</p>" if found else ""))
    return "".join(parts)


class SearchText:
    """What Material's search reads of each page: the page with its excluded parts
    emptied, handed to search in on_page_content (the last step of it) and taken
    back in on_page_context (after search's own), so the page keeps its content.
    One a process: a `serve` rebuild hands search the same pages again."""

    def __init__(self) -> None:
        self.full_content: dict[str, str] = {}  # page -> its HTML, while search reads
        self.emptied: dict[str, tuple[str, str]] = {}  # page -> (marked, emptied)

    def page_content(self, html: str, page) -> str:
        if labs.is_lab(page.file.src_uri):
            page.meta.setdefault("search", {})["boost"] = LAB_BOOST
        marked = exclude_from_search(html)
        self.full_content[page.file.src_uri] = marked
        kept = self.emptied.get(page.file.src_uri)
        if kept is None or kept[0] != marked:
            search_html = with_synonyms(as_search_reads_it(marked))
            kept = self.emptied[page.file.src_uri] = (marked, search_html)
        return kept[1]  # what search's on_page_context reads

    def page_context(self, page) -> None:
        page.content = self.full_content.pop(page.file.src_uri)
