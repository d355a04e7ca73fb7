"""MkDocs hook: each code block is highlighted once, then its HTML is reused.

Pygments was about a sixth of a warm build, re-highlighting the same snippets
every time. pymdownx's Highlight.highlight is a pure function of its settings and
its arguments (with the text title mode we use), so its result is kept in
.cache/highlight.json, keyed on all of them and on both packages' versions. A
build writes back only the blocks it used, so the file never outgrows the site.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
from importlib.metadata import version
from pathlib import Path

import markers
from pymdownx.highlight import Highlight

CACHE = Path(".cache") / "highlight.json"  # under the project folder
VERSIONS = (version("pygments"), version("pymdown-extensions"))

_original = getattr(Highlight.highlight, "__wrapped__", Highlight.highlight)
_known: dict[str, str] = {}  # key -> HTML, from the cache file
_used: dict[str, str] = {}  # key -> HTML, of this build


def _key(highlighter: Highlight, args: tuple, kwargs: dict) -> str:
    settings = {k: v for k, v in vars(highlighter).items() if k != "md"}
    text = repr((VERSIONS, sorted(settings.items()), args, sorted(kwargs.items())))
    return hashlib.sha256(text.encode()).hexdigest()


@functools.wraps(_original)
def _highlight(self: Highlight, *args, **kwargs) -> str:
    key = _key(self, args, kwargs)
    if key not in _known:
        html = _original(self, *args, **kwargs)
        # Inline code comes back as an element, and the html title mode stores the
        # title in the page's htmlStash: neither can be reused.
        if not isinstance(html, str) or self.title_mode == "html":
            return html
        _known[key] = html
    _used[key] = _known[key]
    return _known[key]


def _cache_path(config) -> Path:
    return markers.project_root(config) / CACHE


def on_config(config):
    Highlight.highlight = _highlight
    try:
        _known.update(json.loads(_cache_path(config).read_text()))
    except (OSError, ValueError):  # no cache yet, or a broken one: highlight anew
        pass
    _used.clear()
    return config


def on_post_build(config) -> None:
    path = _cache_path(config)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(f".{os.getpid()}.partial")  # builds may overlap
    partial.write_text(json.dumps(_used))
    partial.replace(path)
    _known.clear()
    _known.update(_used)
