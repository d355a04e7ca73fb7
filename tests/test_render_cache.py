"""A build converts, search reads and the lightbox plugin rewrites only the pages
that changed since an earlier build, in this process (a `mkdocs serve` rebuild) or
another (a warm `mkdocs build`), and it gives the site and search index a fresh
build gives; links are still checked against the pages as they are now, a page
whose conversion logged logs again on every build, and the highlighted code stays
in its cache."""

import json
import logging
import pickle
from pathlib import Path
from types import SimpleNamespace

import markers
import pytest
from material.plugins.search.plugin import SearchIndex
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort
from mkdocs.structure.files import get_files
from mkdocs.structure.pages import Page
from mkdocs_glightbox.plugin import LightboxPlugin
from pymdownx.highlight import Highlight
from support import ROOT, mkdocs_build, write_config

HOOKS = [
    str(ROOT / "hooks" / name) for name in ("render_cache.py", "highlight_cache.py")
]
PAGES = {
    "index.md": "# Home\n\nSee [the detail](other.md#detail).\n",
    "other.md": "# Other\n\n## Detail\n\n```python\nx = 1\n```\n",
}
INDEX = "search/search_index.json"


def serve_config(project: Path, site: str = "site"):
    """The config a `mkdocs serve` rebuild loads, its hooks told they serve."""
    config = load_config(str(project / "mkdocs.yml"), site_dir=str(project / site))
    config.plugins.on_startup(command="serve", dirty=False)
    return config


@pytest.fixture
def done(tmp_path, monkeypatch, caplog) -> SimpleNamespace:
    """A project of two pages with the hook, in a new process, and what the
    builds did: the source of each page converted (`converted`), the address of
    each page search read (`indexed`); `hook` is the hook's module. MkDocs logs
    at info level, as its command line sets it."""
    caplog.set_level(logging.INFO, logger="mkdocs")
    (tmp_path / "docs").mkdir()
    for name, text in PAGES.items():
        (tmp_path / "docs" / name).write_text(text)
    write_config(tmp_path, hooks=HOOKS)
    monkeypatch.chdir(tmp_path)
    hook = serve_config(tmp_path)["hooks"][HOOKS[0]]  # MkDocs loads it once
    monkeypatch.setattr(Page, "render", Page.render)  # undone after the test
    monkeypatch.setattr(SearchIndex, "add_entry_from_context", hook._index_page)
    monkeypatch.setattr(hook, "_pages", markers.BuildCache("pages.pickle"))
    done = SimpleNamespace(converted=[], indexed=[], hook=hook)
    render, index = hook._render_page, hook._index_page

    def converted(page, config, files):
        done.converted.append(page.file.src_uri)
        render(page, config, files)

    def indexed(search_index, page):
        done.indexed.append(page.url)
        index(search_index, page)

    monkeypatch.setattr(hook, "_render_page", converted)
    monkeypatch.setattr(hook, "_index_page", indexed)
    return done


def serve_build(project: Path, site: str = "site") -> dict[str, str]:
    """One in-process build, as a `mkdocs serve` rebuild runs: every page's HTML
    and the search index."""
    config = serve_config(project, site)
    build(config, serve_url=config.site_url)
    return {
        page.relative_to(project / site).as_posix(): page.read_text()
        for page in [*(project / site).rglob("*.html"), project / site / INDEX]
    }


def new_process(done, monkeypatch) -> None:
    """What the hook knows in a new process: only what the cache file holds."""
    monkeypatch.setattr(done.hook, "_pages", markers.BuildCache("pages.pickle"))


def fresh_build(project: Path, done, monkeypatch) -> dict[str, str]:
    """What a build with no cache gives."""
    (project / ".cache" / "pages.pickle").unlink()
    new_process(done, monkeypatch)
    return serve_build(project, "fresh")


def test_a_rebuild_converts_only_the_edited_page_and_builds_the_same_site(
    tmp_path, done, monkeypatch
):
    first = serve_build(tmp_path)
    assert sorted(done.converted) == ["index.md", "other.md"]
    assert 'href="other/#detail"' in first["index.html"]
    assert '"location":"other/#detail","title":"Detail"' in first[INDEX]
    assert serve_build(tmp_path) == first
    assert len(done.converted) == 2, "an unchanged page was converted again"
    assert len(done.indexed) == 2, "search read an unchanged page again"

    other = tmp_path / "docs" / "other.md"
    other.write_text(other.read_text() + "\nAn edit.\n")
    edited = serve_build(tmp_path)
    assert done.converted[2:] == ["other.md"]
    assert done.indexed[2:] == ["other/"]
    assert "An edit." in edited["other/index.html"] and "An edit." in edited[INDEX]
    assert fresh_build(tmp_path, done, monkeypatch) == edited


def test_a_build_in_a_new_process_converts_only_what_changed_since(
    tmp_path, done, monkeypatch
):
    first = serve_build(tmp_path)
    new_process(done, monkeypatch)
    assert serve_build(tmp_path) == first
    assert len(done.converted) == len(done.indexed) == 2, "converted again"
    (tmp_path / "docs" / "index.md").write_text("# Home\n\nNo link now.\n")
    new_process(done, monkeypatch)
    edited = serve_build(tmp_path)
    assert done.converted[2:] == ["index.md"] and done.indexed[2:] == [""]
    assert fresh_build(tmp_path, done, monkeypatch) == edited
    assert sorted(done.converted[3:]) == ["index.md", "other.md"]


def test_a_new_version_of_a_converting_package_converts_every_page_again(
    tmp_path, done, monkeypatch
):
    serve_build(tmp_path)
    new_process(done, monkeypatch)
    versions = done.hook._version
    monkeypatch.setattr(
        done.hook, "_version", lambda p: "99" if p == "pygments" else versions(p)
    )
    done.hook._converters.cache_clear()
    try:
        serve_build(tmp_path)
    finally:
        done.hook._converters.cache_clear()  # forget the version made up here
    assert sorted(done.converted[2:]) == ["index.md", "other.md"]
    assert len(done.indexed) == 2  # the same HTML: search need not read it


def test_an_extension_of_an_unknown_package_is_a_clear_error(
    tmp_path, done, monkeypatch, caplog
):
    (tmp_path / "my_extension.py").write_text(
        "from markdown.extensions import Extension\n"
        "class Nothing(Extension):\n    def extendMarkdown(self, md): pass\n"
        "def makeExtension(**kwargs):\n    return Nothing(**kwargs)\n"
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    with (tmp_path / "mkdocs.yml").open("a") as config:
        config.write("markdown_extensions: [my_extension]\n")
    with pytest.raises(Abort):
        serve_build(tmp_path)
    assert "extension 'my_extension' to EXTENSION_PACKAGES" in caplog.text
    assert_mkdocs_own_code_is_back(done)


def test_a_kept_page_s_links_are_checked_against_the_pages_as_they_are(
    tmp_path, done, caplog
):
    serve_build(tmp_path)
    other = tmp_path / "docs" / "other.md"
    other.write_text(other.read_text().replace("## Detail", "## Renamed"))
    with caplog.at_level(logging.INFO):
        serve_build(tmp_path)
    assert done.converted[2:] == ["other.md"]  # index.md came from the cache
    assert "does not contain an anchor '#detail'" in caplog.text


def test_a_page_turned_draft_is_converted_again(tmp_path, done):
    serve_build(tmp_path)
    with (tmp_path / "mkdocs.yml").open("a") as config:
        config.write("draft_docs: index.md\n")
    serve_build(tmp_path)
    # Its own links now log at info level; the other page's links see it too.
    assert sorted(done.converted[2:]) == ["index.md", "other.md"]


@pytest.mark.parametrize(
    "level, link, logged",
    [
        ("ERROR", "gone.md", "'gone.md', but the target is not found"),
        ("DEBUG", "other.md#gone", "does not contain an anchor '#gone'"),
    ],
)
def test_a_page_converted_under_mkdocs_q_or_v_is_checked_again_in_a_build_without(
    tmp_path, done, caplog, level, link, logged
):
    """Under `-q` MkDocs makes no record of a bad link (so none is seen logged);
    under `-v` it does not note the links to anchors that it checks later."""
    (tmp_path / "docs" / "index.md").write_text(f"# Home\n\n[Gone]({link})\n")
    with caplog.at_level(level, logger="mkdocs"):
        serve_build(tmp_path)
    caplog.clear()
    with caplog.at_level(logging.INFO):
        serve_build(tmp_path)
    assert logged in caplog.text


def test_what_a_conversion_logs_is_printed_on_every_build(
    tmp_path, done, monkeypatch, capsys
):
    """A logger with no handler of its own prints through Python's last resort,
    as under MkDocs' command line: nothing the hook does may silence it. What
    was kept of the page before its edit made it log is dropped."""
    monkeypatch.setattr(logging.getLogger(), "handlers", [])
    monkeypatch.setattr(logging.getLogger("mkdocs"), "propagate", False)
    serve_build(tmp_path)
    render = done.hook._render_page

    def warns(page, config, files):
        logging.getLogger("an.extension").warning(f"odd markup in {page.file.src_uri}")
        render(page, config, files)

    monkeypatch.setattr(done.hook, "_render_page", warns)
    (tmp_path / "docs" / "index.md").write_text("# Home, edited\n")
    for _ in range(2):
        serve_build(tmp_path)
        assert "odd markup in index.md" in capsys.readouterr().err
    assert done.converted == ["index.md", "other.md", "index.md", "index.md"]
    kept = ["indexed ", "indexed other/", "rendered other.md"]
    assert kept_tables(tmp_path, with_page=True) == kept


def test_highlighted_code_stays_in_its_cache_when_its_page_was_not_converted(
    tmp_path, done, monkeypatch
):
    cache = tmp_path / ".cache" / "highlight.json"
    serve_build(tmp_path)
    highlighted = json.loads(cache.read_text())
    assert len(highlighted) == 1  # other.md's one block
    serve_build(tmp_path)
    new_process(done, monkeypatch)
    serve_build(tmp_path)
    assert len(done.converted) == 2
    assert json.loads(cache.read_text()) == highlighted


def counting(event: str, calls: list):
    """The lightbox plugin's handler of `event`, noting each page it handles."""
    method = getattr(LightboxPlugin, event)

    def counted(plugin, text, *args, **kwargs):
        calls.append((event, kwargs["page"].url))
        return method(plugin, text, *args, **kwargs)

    return counted


def test_the_lightbox_plugin_writes_again_only_the_edited_page(
    tmp_path, done, monkeypatch
):
    calls = []
    for event in ("on_page_content", "on_post_page"):  # before a config binds them
        monkeypatch.setattr(LightboxPlugin, event, counting(event, calls))
    write_config(tmp_path, hooks=HOOKS, plugins=["search", "glightbox"])
    (tmp_path / "docs" / "dot.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg"/>'
    )
    other = tmp_path / "docs" / "other.md"
    other.write_text(other.read_text() + "\n![A dot](dot.svg)\n")
    first = serve_build(tmp_path)
    assert '<a class="glightbox"' in first["other/index.html"]
    assert "GLightbox(" in first["index.html"]
    assert len(calls) == 4  # two events, two pages
    assert serve_build(tmp_path) == first
    assert len(calls) == 4, "the plugin wrote an unchanged page again"
    other.write_text(other.read_text() + "\nAn edit.\n")
    edited = serve_build(tmp_path)
    assert calls[4:] == [("on_page_content", "other/"), ("on_post_page", "other/")]
    assert "An edit." in edited["other/index.html"]
    assert fresh_build(tmp_path, done, monkeypatch) == edited


def test_the_cache_keeps_everything_a_conversion_sets_on_the_page(tmp_path, done):
    """If MkDocs' render sets anything more, a page from the cache would lack it."""
    config = load_config(str(tmp_path / "mkdocs.yml"))
    files = get_files(config)
    page = Page(None, files.get_file_from_path("index.md"), config)
    page.read_source(config)
    before = dict(vars(page))
    done.hook._render_page(page, config, files)
    changed = {
        name for name, value in vars(page).items() if before.get(name) is not value
    }
    assert changed <= {*done.hook.RENDERED, "links_to_anchors"}
    assert changed >= set(done.hook.RENDERED)


def test_after_a_build_pages_are_converted_and_read_by_mkdocs_own_code(tmp_path, done):
    """A later build in this process without the hook (a test's, of another
    project) must not be given pages kept for this one."""
    serve_build(tmp_path)
    assert_mkdocs_own_code_is_back(done)


def assert_mkdocs_own_code_is_back(done) -> None:
    """What the hooks patched is as before (the fixture's counting stand-ins)."""
    assert Page.render is done.hook._render_page
    assert SearchIndex.add_entry_from_context is done.hook._index_page
    assert not hasattr(Highlight.highlight, "__wrapped__")  # pymdownx's own


def test_a_broken_cache_file_is_built_anew(tmp_path, done, monkeypatch):
    first = serve_build(tmp_path)
    (tmp_path / ".cache" / "pages.pickle").write_bytes(b"not a pickle")
    new_process(done, monkeypatch)
    assert serve_build(tmp_path) == first
    assert sorted(done.converted[2:]) == ["index.md", "other.md"]


def test_the_cache_keeps_only_the_pages_of_the_last_build(tmp_path, done):
    serve_build(tmp_path)
    (tmp_path / "docs" / "other.md").unlink()
    (tmp_path / "docs" / "index.md").write_text("# Home\n")
    serve_build(tmp_path)
    assert kept_tables(tmp_path, with_page=True) == ["indexed ", "rendered index.md"]


def kept_tables(project: Path, with_page: bool = False) -> list[str]:
    """The table (and page) of each entry the cache file holds, sorted."""
    kept = pickle.loads((project / ".cache" / "pages.pickle").read_bytes())
    return sorted(name.rsplit(" ", 1 if with_page else 2)[0] for name in kept)


def test_a_build_in_a_new_process_keys_every_page_as_the_last_one_did(tmp_path):
    """Nothing in a key may differ from process to process (an object's address
    in a repr): a second `mkdocs build` finds every page and writes nothing."""
    for name, text in PAGES.items():
        (tmp_path / "docs" / name).parent.mkdir(exist_ok=True)
        (tmp_path / "docs" / name).write_text(text)
    config = write_config(tmp_path, hooks=HOOKS, plugins=["search", "glightbox"])
    kept = tmp_path / ".cache" / "pages.pickle"
    assert mkdocs_build(config, tmp_path / "site").returncode == 0
    written = kept.stat().st_mtime_ns
    assert mkdocs_build(config, tmp_path / "again").returncode == 0
    assert kept.stat().st_mtime_ns == written
