"""A `mkdocs serve` rebuild converts, and search reads, only the pages that
changed, and it gives the site and search index a fresh build gives; links are
still checked against the pages as they are now, and a page whose conversion
warned warns again on every build."""

import logging
from pathlib import Path
from types import SimpleNamespace

import pytest
import render_cache
from material.plugins.search.plugin import SearchIndex
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.structure.files import get_files
from mkdocs.structure.pages import Page
from support import write_config

PAGES = {
    "index.md": "# Home\n\nSee [the detail](other.md#detail).\n",
    "other.md": "# Other\n\n## Detail\n\nText.\n",
}
INDEX = "search/search_index.json"


@pytest.fixture
def done(tmp_path, monkeypatch) -> SimpleNamespace:
    """A project of two pages, the hook installed as a serve process has it, and
    what the builds did: the source of each page converted (`converted`) and the
    address of each page search read (`indexed`)."""
    for name, text in PAGES.items():
        (tmp_path / "docs" / name).parent.mkdir(exist_ok=True)
        (tmp_path / "docs" / name).write_text(text)
    write_config(tmp_path, hooks=[])
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(Page, "render", Page.render)  # undone after the test
    monkeypatch.setattr(SearchIndex, "add_entry_from_context", render_cache._index)
    monkeypatch.setattr(render_cache, "_kept", {})  # a new serve process
    monkeypatch.setattr(render_cache, "_indexed", {})
    done = SimpleNamespace(converted=[], indexed=[])
    render, index = render_cache._original, render_cache._index

    def converted(page, config, files):
        done.converted.append(page.file.src_uri)
        render(page, config, files)

    def indexed(search_index, page):
        done.indexed.append(page.url)
        index(search_index, page)

    monkeypatch.setattr(render_cache, "_original", converted)
    monkeypatch.setattr(render_cache, "_index", indexed)
    return done


def serve_build(project: Path, site: str = "site") -> dict[str, str]:
    """One in-process build, as a `mkdocs serve` rebuild runs: every page's HTML
    and the search index."""
    config = load_config(str(project / "mkdocs.yml"), site_dir=str(project / site))
    render_cache.on_config(config)
    build(config)
    return {
        page.relative_to(project / site).as_posix(): page.read_text()
        for page in [*(project / site).rglob("*.html"), project / site / INDEX]
    }


def test_a_rebuild_converts_only_the_edited_page_and_builds_the_same_site(
    tmp_path, done
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
    render_cache._kept.clear()  # what a fresh build gives
    assert serve_build(tmp_path, "fresh") == edited


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


def test_a_page_whose_conversion_warned_warns_on_every_build(
    tmp_path, done, monkeypatch
):
    """As under MkDocs' command line, whose `mkdocs` logger does not propagate."""
    monkeypatch.setattr(logging.getLogger("mkdocs"), "propagate", False)
    (tmp_path / "docs" / "index.md").write_text("# Home\n\n[Gone](missing.md)\n")
    for _ in range(2):
        warned = Recorded()
        logging.getLogger("mkdocs").addHandler(warned)
        try:
            serve_build(tmp_path)
        finally:
            logging.getLogger("mkdocs").removeHandler(warned)
        missing = "'missing.md', but the target is not found"
        assert any(missing in message for message in warned.messages)
    assert done.converted.count("index.md") == 2


class Recorded(logging.Handler):
    def __init__(self) -> None:
        super().__init__()
        self.messages: list[str] = []

    def emit(self, record) -> None:
        self.messages.append(record.getMessage())


def test_the_cache_keeps_everything_a_conversion_sets_on_the_page(tmp_path, done):
    """If MkDocs' render sets anything more, a page from the cache would lack it."""
    serve_build(tmp_path)
    config = load_config(str(tmp_path / "mkdocs.yml"))
    files = get_files(config)
    page = Page(None, files.get_file_from_path("index.md"), config)
    page.read_source(config)
    before = dict(vars(page))
    render_cache._original(page, config, files)
    changed = {
        name for name, value in vars(page).items() if before.get(name) is not value
    }
    assert changed <= {*render_cache.RENDERED, "links_to_anchors"}
    assert changed >= set(render_cache.RENDERED)
