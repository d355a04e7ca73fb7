"""Find the site's markers in a page's Markdown, outside fenced code, and replace
them; and the other few things every hook needs.

A marker is an HTML comment alone on its line: `<!-- kind: argument -->`. Invisible
if no hook handles it, so every kind must be known: each hook registers the kinds
it renders when it is imported, and an unknown kind is an error.
"""

from __future__ import annotations

import contextlib
import functools
import json
import os
import pickle
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


class BuildCache:
    """Values a hook computed in earlier builds, by key, in `.cache/<name>` beside
    mkdocs.yml: JSON, or pickle if the name ends in `.pickle`. A build writes back
    only the entries it used, so the file never outgrows the site, and only if
    that changed anything: `load` in on_config, `save` in on_post_build. The file
    is read again only when it changed (`mkdocs serve` keeps the cache in memory).
    What a step of a build used can be recorded and used again when that step's
    own result is reused (hooks/render_cache.py: a page not converted again)."""

    _loaded: dict[str, BuildCache] = {}  # name -> the cache of it loaded last
    _records: list[tuple[str, str]] | None = None  # (name, key) used, if recording

    def __init__(self, name: str) -> None:
        self.name = name
        self._pickled = name.endswith(".pickle")
        self.path: Path | None = None
        self._read: tuple | None = None  # the file as last seen
        self._known: dict[str, object] = {}
        self._used: dict[str, object] = {}
        self._changed = False

    def load(self, config) -> None:
        self.path = project_root(config) / ".cache" / self.name
        BuildCache._loaded[self.name] = self
        self._used = {}
        seen = self._seen()  # before reading: a file replaced since is read again
        if seen == self._read and seen is not None:
            return  # as this process last read or wrote it
        self._changed = False
        try:
            self._known, self._read = self._decode(self.path.read_bytes()), seen
        except Exception:  # no cache yet, or a broken one: compute anew
            self._known, self._read = {}, None

    def _seen(self) -> tuple | None:
        try:
            stat = self.path.stat()
        except OSError:
            return None
        return self.path, stat.st_ino, stat.st_mtime_ns, stat.st_size

    def _decode(self, data: bytes) -> dict:
        known = pickle.loads(data) if self._pickled else json.loads(data)
        if not isinstance(known, dict):
            raise ValueError(f"{self.path} holds no cache")
        return known

    def get(self, key: str):
        """The value stored for `key`, or None."""
        if key in self._known:
            self._used[key] = self._known[key]
            self._record(key)
        return self._known.get(key)

    def put(self, key: str, value) -> None:
        self._known[key] = self._used[key] = value
        self._changed = True
        self._record(key)

    def _record(self, key: str) -> None:
        if BuildCache._records is not None:
            BuildCache._records.append((self.name, key))

    @classmethod
    @contextlib.contextmanager
    def recording(cls) -> Iterator[list[tuple[str, str]]]:
        """The (cache name, key) of each entry used meanwhile, in any cache."""
        outer, cls._records = cls._records, []
        try:
            yield cls._records
        finally:
            cls._records = outer

    @classmethod
    def use_again(cls, records: list[tuple[str, str]]) -> None:
        """Mark what a recording saw used by this build too (if still known)."""
        for name, key in records:
            if name in cls._loaded:
                cls._loaded[name].get(key)

    def save(self) -> None:
        if self.path is None:  # never loaded: not in a build
            return
        if self._changed or self._used.keys() != self._known.keys():
            self.path.parent.mkdir(parents=True, exist_ok=True)
            data = pickle.dumps(self._used) if self._pickled else json.dumps(self._used)
            write_atomically(self.path, data)
            self._known, self._changed = dict(self._used), False
            self._read = self._seen()


def write_atomically(path: Path, data: str | bytes) -> None:
    """Write `data` (text as UTF-8) to `path` so that a reader, or a build running
    at the same time, sees the old file or the new one, never half of one."""
    partial = path.with_name(f"{path.name}.{os.getpid()}.partial")
    if isinstance(data, bytes):
        partial.write_bytes(data)
    else:
        partial.write_text(data, encoding="utf-8")
    partial.replace(path)


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


# Each hook asks of the same page text. Kinds are only ever added, so a result
# found stays right (an unknown kind raises, and that is not cached).
@functools.lru_cache(maxsize=16)
def find_markers(markdown: str) -> tuple[Marker, ...]:
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
    return tuple(markers)


def replace_markers(markdown: str, kind: str, render: Callable[[Marker], str]) -> str:
    """The page with each `kind` marker's line replaced by `render(marker)`, indented
    like the marker, so a marker inside a tab or an admonition stays inside it."""
    found = {m.line: m for m in find_markers(markdown) if m.kind == kind}
    if not found:
        return markdown
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
