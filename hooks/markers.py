"""Find the site's markers in a page's Markdown, outside fenced code, and replace
them; and the other few things every hook needs.

A marker is an HTML comment alone on its line: `<!-- kind: argument -->`. Invisible
if no hook handles it, so every kind must be known: each hook registers the kinds
it renders when it is imported, and an unknown kind is an error.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from mkdocs.exceptions import PluginError

# Each kind is handled by one hook, which registers it; this one is the test plugin's.
KNOWN_KINDS = {"pytest-codeblocks"}

MARKER_RE = re.compile(r"^\s*<!--\s*([\w-]+)\s*:\s*(.*?)\s*-->\s*$")
FENCE_RE = re.compile(r"^\s*(`{3,}|~{3,})")


class MarkerError(Exception):
    """An unknown marker kind, or a marker whose argument is wrong."""


@dataclass(frozen=True)
class Marker:
    kind: str
    arg: str
    line: int  # 1-based line number in the page source


def register(*kinds: str) -> None:
    """Make `kinds` known marker kinds: called by the hook that renders them."""
    KNOWN_KINDS.update(kinds)


def project_root(config) -> Path:
    """The project folder: the one mkdocs.yml is in."""
    return Path(config.config_file_path).resolve().parent


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


def find_markers(markdown: str) -> list[Marker]:
    """Every marker outside fenced code; raises MarkerError on an unknown kind."""
    markers = []
    for number, line in lines_outside_fences(markdown):
        match = MARKER_RE.match(line)
        if not match:
            continue
        kind, arg = match.groups()
        if kind not in KNOWN_KINDS:
            known = ", ".join(sorted(KNOWN_KINDS))
            raise MarkerError(
                f"line {number}: unknown marker {kind!r} (known: {known})"
            )
        markers.append(Marker(kind, arg, number))
    return markers


def replace_markers(markdown: str, kind: str, render: Callable[[Marker], str]) -> str:
    """The page with each `kind` marker's line replaced by `render(marker)`, indented
    like the marker, so a marker inside a tab or an admonition stays inside it."""
    found = {m.line: m for m in find_markers(markdown) if m.kind == kind}
    lines = markdown.splitlines()
    for number, marker in found.items():
        line = lines[number - 1]
        indent = line[: len(line) - len(line.lstrip())]
        rendered = render(marker).splitlines()
        lines[number - 1] = "\n".join(indent + r if r.strip() else "" for r in rendered)
    return "\n".join(lines) + "\n"


def replace_on_page(
    markdown: str, page, kind: str, render: Callable[[Marker], str]
) -> str:
    """`replace_markers` for a page of the build: an error names the page."""
    try:
        return replace_markers(markdown, kind, render)
    except MarkerError as err:
        raise PluginError(f"{page.file.src_uri}: {err}") from None
