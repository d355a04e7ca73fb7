"""MkDocs hook: a page that did not change since an earlier build, in this process
or another, is neither converted to HTML nor read by search nor rewritten by the
lightbox plugin again.

Every build converts every page, though an edit changes one: the conversion was
about a third of a warm build or a `serve` rebuild, search's reading of each
page's HTML a seventh, mkdocs-glightbox's parsing and rewriting of every page
twice (page_content, post_page) a fifth of a rebuild. Each is a pure function of
what its key below holds, so its result is kept in `.cache/pages.pickle` (a
markers.BuildCache: a build writes back only the entries it used). Every key
holds the Python version and the code of the hooks that run meanwhile (this one
and highlight_cache.py), and:
- MkDocs' `Page.render`: the page's Markdown (as the hooks left it), its address,
  whether it is a draft, the Markdown settings, the site's files (which its links
  are checked against), and the versions of the packages that convert (MkDocs,
  Python-Markdown, Pygments and each extension's package), and the level of
  MkDocs' page logger (`-q` makes no record of a bad link; `-v` skips the
  anchor checks' bookkeeping). A render that logged at info level or above (a
  warning, or a link MkDocs reports at info level) is not kept, so every build
  reports it again (and `--strict` still fails on it).
  The entries of the other caches the render used (the highlighted code) stay in
  them.
- Material's search index entries of a page: the page's HTML, address, title,
  contents and metadata, the search settings and Material's version (not jieba's,
  which splits Chinese text where it is installed).
- mkdocs-glightbox's page events (read in 0.5.3): the page's HTML, address and
  metadata, the plugin's settings and version (and selectolax's, its parser),
  and the theme.
Extension settings are keyed by their repr: an extension that reads other files
(pymdownx.snippets) would need them in the key, and a setting that is a function
(a custom fence's format) has its address in it, so such a site would reuse
renders only within one process.
"""

from __future__ import annotations

import contextlib
import copy
import functools
import hashlib
import logging
import sys
import threading
from importlib.metadata import version
from importlib.util import find_spec
from pathlib import Path

import markers
from material.plugins.search.plugin import SearchIndex
from mkdocs.exceptions import PluginError
from mkdocs.structure.pages import Page

_render_page = getattr(Page.render, "__wrapped__", Page.render)
_index_page = SearchIndex.add_entry_from_context
_index_page = getattr(_index_page, "__wrapped__", _index_page)
# Plugins' page events that are pure (read in mkdocs-glightbox 0.5.3; its version
# is in the key), and the packages besides the plugin's own that make its text:
# plugin -> (events, packages)
PURE_PAGE_EVENTS = {"glightbox": (("page_content", "post_page"), ("selectolax",))}
# The package of each Markdown extension, by the top-level name of its module
# (Python-Markdown's own are also named without it).
EXTENSION_PACKAGES = {
    "markdown": "markdown",
    "pymdownx": "pymdown-extensions",
    "material": "mkdocs-material",
    "mkdocs": "mkdocs",
}
# What converts a page besides: MkDocs' own extensions, Pygments (highlighting).
CONVERTERS = ("mkdocs", "markdown", "pygments")
# The hooks whose code shapes what is kept.
OWN_CODE = [Path(__file__), Path(__file__).with_name("highlight_cache.py")]

# What Page.render sets; tests/test_render_cache.py checks it sets nothing else.
RENDERED = ("content", "toc", "_title_from_render", "present_anchor_ids")


# "<table> <page> <key>" -> a page's render, search entries or plugin text. An
# entry of an earlier key is not used, so the build after drops it.
_pages = markers.BuildCache("pages.pickle")
_files_digest: str | None = None  # this build's files, as a page's links see them


def _digest(*parts: str) -> str:
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()


@functools.cache  # once a process: `serve` loads hooks once, so they stay as read
def _own_code() -> str:
    return _digest(sys.version, *(path.read_text() for path in OWN_CODE))


def _lookup(table: str, page: str, key: str):
    """What an earlier build kept for `page` in `table` under this key, or None."""
    return _pages.get(f"{table} {page} {key}")


def _store(table: str, page: str, key: str, value) -> None:
    _pages.put(f"{table} {page} {key}", value)


@functools.cache  # package metadata takes milliseconds to read
def _version(package: str) -> str:
    return version(package)


@functools.cache
def _converters(extensions: tuple[str, ...]) -> str:
    """The versions of every package that converts a page."""
    packages = set(CONVERTERS)
    for name in extensions:
        name = name if isinstance(name, str) else type(name).__module__
        top = name.split(".")[0]
        if "." not in name and find_spec(f"markdown.extensions.{name}"):
            top = "markdown"  # one of its own, by its short name
        if top not in EXTENSION_PACKAGES:
            raise PluginError(
                f"render_cache: add the package of Markdown extension {name!r} to "
                "EXTENSION_PACKAGES, so that pages are converted again when it changes"
            )
        packages.add(EXTENSION_PACKAGES[top])
    return repr([(p, _version(p)) for p in sorted(packages)])


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
    converters = _converters(tuple(config["markdown_extensions"]))
    inclusion = str(self.file.inclusion)
    files_seen = _files_seen_by_links(files)
    log_level = str(logging.getLogger("mkdocs.structure.pages").getEffectiveLevel())
    parts = (self.markdown, self.url, inclusion, repr(settings), converters)
    key = _digest(*parts, files_seen, log_level, _own_code())
    kept = _lookup("rendered", self.file.src_uri, key)
    if kept is not None:
        attributes, records = kept
        _restore(self, attributes, files)
        markers.BuildCache.use_again(records)
        return
    with _records_logged() as logged, markers.BuildCache.recording() as records:
        _render_page(self, config, files)
    if not logged:
        _store("rendered", self.file.src_uri, key, (_kept_form(self), records))


def _add_entries(self: SearchIndex, page: Page) -> None:
    parts = [page.content, page.url, str(page.toc), str(page.title)]
    material = _version("mkdocs-material")
    key = _digest(*parts, repr(page.meta), repr(self.config), material, _own_code())
    entries = _lookup("indexed", page.url, key)
    if entries is None:
        start = len(self.entries)
        _index_page(self, page)
        entries = self.entries[start:]
        _store("indexed", page.url, key, copy.deepcopy(entries))
    else:
        self.entries.extend(copy.deepcopy(entries))


_render.__wrapped__ = _render_page
_add_entries.__wrapped__ = _index_page


def _kept_text(table: str, method, plugin, packages: tuple[str, ...]):
    """`method`, `plugin`'s handler of a pure page event, with its result kept."""
    package = type(plugin).__module__.split(".")[0].replace("_", "-")
    versions = repr([_version(p) for p in (package, *packages)])

    def kept(text: str, *, page: Page, config, **kwargs):
        theme = repr((config.theme.name, config.theme.get("features")))
        plugin_state = repr((type(plugin).__module__, versions, vars(plugin)))
        key = _digest(text, repr(page.meta), plugin_state, theme, _own_code())
        result = _lookup(table, page.url, key)
        if result is None:
            result = method(text, page=page, config=config, **kwargs)
            _store(table, page.url, key, result)
        return result

    return kept


def _stop_keeping() -> None:
    """Back to MkDocs' own: a later build in this process without this hook (a
    test's) must not be given pages kept for another project."""
    Page.render = _render_page
    SearchIndex.add_entry_from_context = _index_page


def on_config(config):
    global _files_digest
    _files_digest = None  # a new build: its files are digested at its first render
    _pages.load(config)
    Page.render = _render
    SearchIndex.add_entry_from_context = _add_entries
    # MkDocs bound each plugin's handlers when it loaded the config.
    for name, (events, packages) in PURE_PAGE_EVENTS.items():
        plugin = config.plugins.get(name)
        for event in events if plugin else ():
            config.plugins.events[event] = [
                _kept_text(f"{name}.{event}", method, plugin, packages)
                if getattr(method, "__self__", None) is plugin
                else method
                for method in config.plugins.events[event]
            ]
    return config


def on_post_build(config) -> None:
    _pages.save()
    _stop_keeping()


def on_build_error(error) -> None:
    _stop_keeping()
