"""Find the site's markers in a page's Markdown, outside fenced code, and replace
them.

A marker is an HTML comment alone on its line: `<!-- kind: argument -->`. Invisible
if nothing renders it, so every kind must be known: KINDS lists them, and
`hooks/main.py`'s MARKERS table says what renders each, in one pass over the page.
An unknown kind is an error. No MkDocs here.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass

# What a page may name; pytest-codeblocks' is the test plugin's, left as it is.
KINDS = frozenset(
    {"snippet", "figure", "quiz", "signature", "checked-with", "pytest-codeblocks"}
)

MARKER_RE = re.compile(r"^\s*<!--\s*([\w-]+)\s*:\s*(.*?)\s*-->\s*$")
FENCE_RE = re.compile(r"^\s*(`{3,}|~{3,})")


class PageError(Exception):
    """Something a page says is wrong (a marker, a bound number, a formula, a
    lab's notebook): the build stops and names the page, without a traceback."""


class MarkerError(PageError):
    """An unknown marker kind, or a marker whose argument is wrong."""


@dataclass(frozen=True)
class Marker:
    kind: str
    arg: str
    line: int  # 1-based line number in the page source


def lines_outside_fences(markdown: str) -> Iterator[tuple[int, str]]:
    fence = None  # the opening fence while inside fenced code
    for number, line in enumerate(markdown.splitlines(), 1):
        match = FENCE_RE.match(line)
        if fence is None:
            if match:
                fence = match.group(1)
            else:
                yield number, line
        elif set(line.strip()) == {fence[0]} and len(line.strip()) >= len(fence):
            fence = None  # a closing fence: same character, as long, no info string


@functools.lru_cache(maxsize=16)  # tests and the build ask of the same page text
def find_markers(markdown: str) -> tuple[Marker, ...]:
    """Every marker outside fenced code; raises MarkerError on an unknown kind."""
    markers = []
    for number, line in lines_outside_fences(markdown):
        match = MARKER_RE.match(line)
        if not match:
            continue
        kind, arg = match.groups()
        if kind not in KINDS:
            known = ", ".join(sorted(KINDS))
            raise MarkerError(
                f"line {number}: unknown marker {kind!r} (known: {known})"
            )
        markers.append(Marker(kind, arg, number))
    return tuple(markers)


def replace_markers(
    markdown: str, renderers: Mapping[str, Callable[[Marker], str]]
) -> str:
    """The page with each marker whose kind has a renderer replaced by what it
    renders, in the page's order, indented like the marker, so a marker inside a
    tab or an admonition stays inside it."""
    found = [m for m in find_markers(markdown) if m.kind in renderers]
    if not found:
        return markdown
    lines = markdown.splitlines()
    for marker in found:
        line = lines[marker.line - 1]
        indent = line[: len(line) - len(line.lstrip())]
        rendered = renderers[marker.kind](marker).splitlines()
        lines[marker.line - 1] = "\n".join(
            indent + r if r.strip() else "" for r in rendered
        )
    return "\n".join(lines) + "\n"
