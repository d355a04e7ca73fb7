"""MkDocs hook: under `mkdocs serve`, a page that did not change is neither
converted to HTML nor read by search again.

Every rebuild of `serve` converts every page, though an edit changes one: the
conversion was a third of a rebuild, search's reading of each page's HTML a
seventh. MkDocs' `Page.render` is a pure function of the page's Markdown (as the
hooks left it), its place in the site, the Markdown settings and the site's files
(which its links are checked against). So what it sets on the page is kept, for
this process only, keyed on all of them, and set again on a page with the same
key. A render that logged a warning is not kept, so every build still reports it
(and `--strict` still fails on it). Likewise the entries Material's search index
makes of a page, keyed on all it reads: the page's HTML, address, title,
contents, metadata and the search settings.
"""

from __future__ import annotations

import copy
import hashlib
import logging

from material.plugins.search.plugin import SearchIndex
from mkdocs.structure.pages import Page

_original = getattr(Page.render, "__wrapped__", Page.render)
_index = SearchIndex.add_entry_from_context
_index = getattr(_index, "__wrapped__", _index)
# page source -> (key, the attributes its render set); the last render of each page
_kept: dict[str, tuple[str, dict]] = {}
_indexed: dict[str, tuple[str, list]] = {}  # page address -> (key, its entries)
# The build's Files (compared by identity) and their digest.
_files_digest: tuple[object, str] = (None, "")


def _digest_of(files) -> str:
    """The site's files as a page's links see them, computed once per build."""
    global _files_digest
    if _files_digest[0] is not files:
        listing = "\n".join(f"{f.src_uri} {f.dest_uri} {f.url}" for f in files)
        _files_digest = (files, hashlib.sha256(listing.encode()).hexdigest())
    return _files_digest[1]


def _key(page: Page, config, files) -> str:
    settings = [config[name] for name in ("markdown_extensions", "mdx_configs")]
    settings += [config["validation"], config["use_directory_urls"]]
    parts = [page.markdown, page.file.src_uri, page.url, repr(settings)]
    text = "\0".join([*parts, _digest_of(files)])
    return hashlib.sha256(text.encode()).hexdigest()


class _Warnings(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.count = 0

    def emit(self, record) -> None:
        self.count += 1


# What Page.render sets; tests/test_render_cache.py checks it sets nothing else.
RENDERED = ("content", "toc", "_title_from_render", "present_anchor_ids")


def _kept_form(page: Page) -> dict:
    """What render set on `page`; its links name each file linked to by path, as
    the next build's files are other objects."""
    kept = {name: copy.deepcopy(getattr(page, name)) for name in RENDERED}
    if page.links_to_anchors is not None:
        links = {
            f.src_uri: dict(anchors) for f, anchors in page.links_to_anchors.items()
        }
        kept["links_to_anchors"] = links
    return kept


def _restore(page: Page, kept: dict, files) -> None:
    for name in RENDERED:
        setattr(page, name, copy.deepcopy(kept[name]))
    if "links_to_anchors" in kept:
        page.links_to_anchors = {
            files.get_file_from_path(src): dict(anchors)
            for src, anchors in kept["links_to_anchors"].items()
        }


def _render(self: Page, config, files) -> None:
    key = _key(self, config, files)
    kept = _kept.get(self.file.src_uri)
    if kept and kept[0] == key:
        return _restore(self, kept[1], files)
    warnings = _Warnings()
    # MkDocs' command line keeps its records from the root logger: watch both.
    loggers = [logging.getLogger(), logging.getLogger("mkdocs")]
    for logger in loggers:
        logger.addHandler(warnings)
    try:
        _original(self, config, files)
    finally:
        for logger in loggers:
            logger.removeHandler(warnings)
    if warnings.count:
        _kept.pop(self.file.src_uri, None)
    else:
        _kept[self.file.src_uri] = (key, _kept_form(self))


_render.__wrapped__ = _original


def _add_entries(self: SearchIndex, page: Page) -> None:
    parts = [page.content, page.url, str(page.toc), str(page.title)]
    parts += [repr(page.meta), repr(self.config)]
    key = hashlib.sha256("\0".join(parts).encode()).hexdigest()
    kept = _indexed.get(page.url)
    if kept and kept[0] == key:
        self.entries.extend(copy.deepcopy(kept[1]))
        return
    start = len(self.entries)
    _index(self, page)
    _indexed[page.url] = (key, copy.deepcopy(self.entries[start:]))


_add_entries.__wrapped__ = _index


def on_config(config):
    Page.render = _render
    SearchIndex.add_entry_from_context = _add_entries
    return config
