"""MkDocs hook: each code block is highlighted once, then its HTML is reused.

Pygments was about a sixth of a warm build, re-highlighting the same snippets
every time. pymdownx's Highlight.highlight is a pure function of its settings and
its arguments (with the text title mode we use), so its result is kept in
.cache/highlight.json, keyed on all of them and on both packages' versions. A
build writes back only the blocks it used, so the file never outgrows the site (a
page not converted again, hooks/render_cache.py, uses the blocks it used before).
"""

from __future__ import annotations

import functools
import hashlib
from importlib.metadata import version

import markers
from pymdownx.highlight import Highlight

VERSIONS = (version("pygments"), version("pymdown-extensions"))

_original = getattr(Highlight.highlight, "__wrapped__", Highlight.highlight)
_cache = markers.BuildCache("highlight.json")  # key -> HTML


def _key(highlighter: Highlight, args: tuple, kwargs: dict) -> str:
    settings = {k: v for k, v in vars(highlighter).items() if k != "md"}
    text = repr((VERSIONS, sorted(settings.items()), args, sorted(kwargs.items())))
    return hashlib.sha256(text.encode()).hexdigest()


@functools.wraps(_original)
def _highlight(self: Highlight, *args, **kwargs) -> str:
    key = _key(self, args, kwargs)
    html = _cache.get(key)
    if html is None:
        html = _original(self, *args, **kwargs)
        # Inline code comes back as an element, and the html title mode stores the
        # title in the page's htmlStash: neither can be reused.
        if not isinstance(html, str) or self.title_mode == "html":
            return html
        _cache.put(key, html)
    return html


def on_config(config):
    Highlight.highlight = _highlight
    _cache.load(config)
    return config


def _stop_caching() -> None:
    """Back to pymdownx's own: a later build in this process may lack this hook."""
    Highlight.highlight = _original


def on_post_build(config) -> None:
    _cache.save()
    _stop_caching()


def on_build_error(error) -> None:
    _stop_caching()
