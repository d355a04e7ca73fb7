"""The site's one MkDocs hook: every step of the build, in the order written here.

MkDocs calls the `on_*` functions below; each hands its event to the site's
concerns (one module each: the README's table) in the order it lists them. What
a build computes is kept on one `Build`, made when the build starts. `mkdocs serve`
loads this file once and builds many times: what one process keeps from build to
build is on the `Session` (the caches read from `.cache/`, search's pages), but for
the snippet workers, which snippet_pool.shared_pool() keeps for the process.
MkDocs runs a hook's handlers after its plugins' (search, glightbox) for each
event, so this file sees each page after them.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files

import a11y
import cache
import labs
import markers
import mathml
import minify
import quiz
import search_index
import signatures
import site_url
import snippet_markdown
import snippet_pool
import snippet_runner
import snippets
import stale_pages
import table_code
import template_cache
import values
import versions

log = logging.getLogger("mkdocs.hooks.main")


@dataclass
class Session:
    """What one `mkdocs` process keeps from build to build."""

    command: str = "build"  # build, serve or gh-deploy
    dirty: bool = False  # `serve --dirty`: only changed pages are rendered again
    stores: dict[Path, cache.Store] = field(default_factory=dict)
    search: search_index.SearchText = field(default_factory=search_index.SearchText)
    titles: dict[str, str] = field(default_factory=dict)  # source -> last title

    def store(self, path: Path) -> cache.Store:
        """The cache kept in `path`, loaded for this build."""
        store = self.stores.setdefault(path, cache.Store(path))
        store.load()
        return store


class Build:
    """One build's state, from on_config to on_post_build."""

    def __init__(self, config, session: Session) -> None:
        self.project = Path(config.config_file_path).resolve().parent
        kept = self.project / ".cache"
        self.stores = {
            name: session.store(kept / f"{name}.json")
            for name in ("signatures", "mathml", "quizzes")
        }
        self.signatures = signatures.Signatures(self.stores["signatures"])
        self.formulas = mathml.Formulas(self.stores["mathml"])
        self.quizzes = quiz.Quizzes(self.project / "quiz", self.stores["quizzes"])
        self.labs = labs.Labs(self.project)
        self.snippets = snippets.Snippets(self.project)
        self.search = session.search
        self.minify_assets = session.command != "serve"  # debug what you edit

    def add_snippet_figures(self, files: Files, config) -> None:
        for uri, svg in self.snippets.files.items():
            files.append(File.generated(config, uri, content=svg))

    def render_markers(self, markdown: str, page) -> str:
        """The page's Markdown with its numbers bound and every marker rendered,
        each kind by its one function, in the page's order."""
        found = markers.find_markers(markdown)
        on_page = snippet_markdown.OnPage(self.snippets, found, page.url)
        renderers = {kind: render(self, on_page) for kind, render in MARKERS.items()}
        if page.file.src_uri.endswith(".md"):  # not a lab's Python source
            folder = page.file.src_uri.removesuffix(".md")  # shows snippets/<folder>/
            markdown = values.bind_page(markdown, self.snippets.values_for(folder))
        return markers.replace_markers(markdown, renderers)


Renderer = Callable[[markers.Marker], str]
# Every marker kind a page may use, and what renders it: from the build, and the
# page's own snippet figures and code (snippet_markdown.OnPage).
MARKERS: dict[str, Callable[[Build, snippet_markdown.OnPage], Renderer]] = {
    "figure": lambda build, on_page: on_page.figure,
    "snippet": lambda build, on_page: on_page.snippet,
    "quiz": lambda build, on_page: build.quizzes.slot,
    "signature": lambda build, on_page: build.signatures.render,
    "checked-with": lambda build, on_page: versions.checked_with_box,
}
# The test plugin's kind is left for it: pytest-codeblocks reads it in the source.
if markers.KINDS != {*MARKERS, "pytest-codeblocks"}:
    raise RuntimeError("hooks/markers.py's KINDS and MARKERS here name other kinds")

session = Session()
build: Build | None = None  # the build running now


def _named(page, step, *args):
    """`step(*args)`, an error of the page's content raised with the page's name."""
    try:
        return step(*args)
    except markers.PageError as err:
        raise PluginError(f"{page.file.src_uri}: {err}") from None


# ---------------------------------------------------------------- MkDocs events


def on_startup(command: str, dirty: bool) -> None:
    session.command, session.dirty = command, dirty
    if command == "serve":  # edits will run snippets: have a worker ready
        snippet_pool.shared_pool().start_one_in_background()


def on_config(config):
    global build
    if reason := site_url.refusal(session.command, config.site_url):
        raise PluginError(reason)
    snippet_runner.reload_worker_if_edited()
    build = Build(config, session)
    build.labs.set_up_kernel()
    config.copyright = " ".join(filter(None, [config.copyright, versions.built_with()]))
    return config


def on_files(files: Files, config) -> Files:
    files = build.labs.add_pages(files, config)  # first: they run while snippets do
    pages = {f.src_uri: f.content_string for f in files.documentation_pages()}
    try:
        build.snippets.run(pages, build.project / "quiz")
        unused = build.quizzes.load(pages, build.snippets)
    except (snippets.SnippetsFailed, quiz.QuizError, markers.MarkerError) as err:
        raise PluginError(str(err)) from None
    for warning in build.snippets.unused_warnings() + unused:
        log.warning(warning)
    build.add_snippet_figures(files, config)
    if session.dirty:
        for src in stale_pages.mark(files, build.project, build.snippets.drills):
            log.debug(f"{src}: rendered again, what it shows changed")
    return files


def on_nav(nav, config, files):
    build.quizzes.nav_order = [page.file.src_uri for page in nav.pages]
    if session.dirty:
        stale_pages.keep_titles(nav.pages, session.titles)
    return nav


def on_env(env, config, files):
    return template_cache.use_bytecode_cache(env, build.project)


def on_page_markdown(markdown: str, page, config, files) -> str:
    return _named(page, build.render_markers, markdown, page)


def on_page_content(html: str, page, config, files) -> str:
    html = build.quizzes.fill_slots(html, page, files)
    html = _named(page, build.formulas.convert, html)
    if labs.is_lab(page.file.src_uri):
        html = _named(page, build.labs.page_html, html, page)
    html = minify.fewer_code_elements(html)
    html = table_code.break_identifiers(html)
    return build.search.page_content(html, page)  # last: it sees the whole page


def on_page_context(context, page, config, nav):
    session.titles[page.file.abs_src_path] = page.title
    build.search.page_context(page)  # after search's own (plugins' handlers first)
    return context


def on_post_page(output: str, page, config) -> str:
    return a11y.name_widgets(output)


def on_post_build(config) -> None:
    for store in build.stores.values():
        store.save()
    build.labs.finish(Path(config.site_dir))
    if build.minify_assets:
        minify.minify_assets(config)


def on_build_error(error) -> None:
    if build is not None:
        build.labs.stop()


def on_shutdown() -> None:
    snippet_pool.close_pools()
