"""MkDocs hook: under `mkdocs serve`, a page that did not change is neither
converted to HTML nor read by search again.

Every rebuild of `serve` converts every page, though an edit changes one: the
conversion was a third of a rebuild, search's reading of each page's HTML a
seventh. MkDocs' `Page.render` is a pure function of the page's Markdown (as the
hooks left it), its address, whether it is a draft, the Markdown settings and the
site's files (which its links are checked against). So what it sets on the page
is kept, for this serve process only, keyed on all of them, and set again on a
page with the same key. A render that logged at info level or above (a warning,
or a link MkDocs reports at info level) is not kept, so every build reports it
again (and `--strict` still fails on it). Likewise the entries Material's search
index makes of a page, keyed on all it reads: the page's HTML, address, title,
contents, metadata and the search settings. And mkdocs-glightbox, which parses
and rewrites every page twice (page_content, post_page; a fifth of a rebuild):
both are pure functions of the page's HTML, address and metadata, the plugin's
settings and version and the theme, so their results are kept on those.
Extension settings are keyed by their repr: an extension that reads other files
(pymdownx.snippets) would need them in the key.
"""

from __future__ import annotations

import contextlib
import copy
import hashlib
import logging
import threading
from importlib.metadata import version

from material.plugins.search.plugin import SearchIndex
from mkdocs.structure.pages import Page

_render_page = getattr(Page.render, "__wrapped__", Page.render)
_index_page = SearchIndex.add_entry_from_context
_index_page = getattr(_index_page, "__wrapped__", _index_page)
# page source -> (key, the attributes its render set); the last render of each page
_kept: dict[str, tuple[str, dict]] = {}
_indexed: dict[str, tuple[str, list]] = {}  # page address -> (key, its entries)
# Plugins' page events that are pure (read in mkdocs-glightbox 0.5.3; its version
# is in the key): plugin -> events
PURE_PAGE_EVENTS = {"glightbox": ("page_content", "post_page")}
_texts: dict[tuple[str, str], tuple[str, str]] = {}  # (event, page) -> (key, text)
_versions: dict[str, str] = {}  # package -> its version, read once a process
_files_digest: str | None = None  # this build's files, as a page's links see them
_serving = False

# What Page.render sets; tests/test_render_cache.py checks it sets nothing else.
RENDERED = ("content", "toc", "_title_from_render", "present_anchor_ids")


def _digest(*parts: str) -> str:
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()


@contextlib.contextmanager
def _records_logged():
    """The log records this thread makes meanwhile, by any logger, at info level
    or above (the dev server's threads log too). It adds no handler: one on the
    root logger would stop Python printing the records of loggers that have none
    (logging.lastResort)."""
    logged, make, thread = [], logging.getLogRecordFactory(), threading.get_ident()

    def making(*args, **kwargs):
        record = make(*args, **kwargs)
        if record.levelno >= logging.INFO and record.thread == thread:
            logged.append(record)
        return record

    logging.setLogRecordFactory(making)
    try:
        yield logged
    finally:
        if logging.getLogRecordFactory() is making:  # not one set since
            logging.setLogRecordFactory(make)


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


def _files_seen_by_links(files) -> str:
    """The build's files, as its pages' links see them: digested at its first
    render, when every hook has added its files."""
    global _files_digest
    if _files_digest is None:
        listing = [
            repr((f.src_uri, f.dest_uri, f.url, str(f.inclusion))) for f in files
        ]
        _files_digest = _digest(*listing)
    return _files_digest


def _render(self: Page, config, files) -> None:
    settings = [config[name] for name in ("markdown_extensions", "mdx_configs")]
    settings += [config["validation"], config["use_directory_urls"]]
    inclusion = str(self.file.inclusion)
    files_seen = _files_seen_by_links(files)
    key = _digest(self.markdown, self.url, inclusion, repr(settings), files_seen)
    kept = _kept.get(self.file.src_uri)
    if kept and kept[0] == key:
        _restore(self, kept[1], files)
        return
    with _records_logged() as logged:
        _render_page(self, config, files)
    if logged:
        _kept.pop(self.file.src_uri, None)
    else:
        _kept[self.file.src_uri] = (key, _kept_form(self))


def _add_entries(self: SearchIndex, page: Page) -> None:
    parts = [page.content, page.url, str(page.toc), str(page.title)]
    key = _digest(*parts, repr(page.meta), repr(self.config))
    kept = _indexed.get(page.url)
    if kept and kept[0] == key:
        self.entries.extend(copy.deepcopy(kept[1]))
        return
    start = len(self.entries)
    _index_page(self, page)
    _indexed[page.url] = (key, copy.deepcopy(self.entries[start:]))


_render.__wrapped__ = _render_page
_add_entries.__wrapped__ = _index_page


def _version_of(plugin) -> str:
    package = type(plugin).__module__.split(".")[0].replace("_", "-")
    return _versions.setdefault(package, version(package))


def _kept_text(event: str, method, plugin):
    """`method`, `plugin`'s handler of a pure page `event`, with its result kept."""

    def kept(text: str, *, page: Page, config, **kwargs):
        theme = repr((config.theme.name, config.theme.get("features")))
        plugin_state = repr(
            (type(plugin).__module__, _version_of(plugin), vars(plugin))
        )
        key = _digest(text, repr(page.meta), plugin_state, theme)
        hit = _texts.get((event, page.url))
        if hit and hit[0] == key:
            return hit[1]
        result = method(text, page=page, config=config, **kwargs)
        _texts[event, page.url] = (key, result)
        return result

    return kept


def on_startup(command: str, dirty: bool) -> None:
    global _serving
    _serving = command == "serve"


def on_config(config):
    global _files_digest
    _files_digest = None  # a new build: its files are digested at its first render
    if _serving:  # a build converts each page once: nothing to keep
        Page.render = _render
        SearchIndex.add_entry_from_context = _add_entries
        # MkDocs bound each plugin's handlers when it loaded the config.
        for name, events in PURE_PAGE_EVENTS.items():
            plugin = config.plugins.get(name)
            for event in events if plugin else ():
                config.plugins.events[event] = [
                    _kept_text(event, method, plugin)
                    if getattr(method, "__self__", None) is plugin
                    else method
                    for method in config.plugins.events[event]
                ]
    return config
