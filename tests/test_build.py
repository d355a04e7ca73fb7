"""The site builds with --strict, every figure it links exists, and bad input stops
the build with a message that names the file."""

import platform
import re
from importlib.metadata import version
from pathlib import Path

from mkdocs.commands.build import build as build_site
from mkdocs.config import load_config

import cache
import mathml
import site_url
import snippet_runner
from snippets import snippet_paths
from support import ROOT, dirty_build, mkdocs_build, site_config

IMG_SRC = re.compile(r'<img[^>]*\bsrc="([^"]+)"[^>]*>')


def pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def test_every_image_on_every_page_exists_and_has_alt_text(built_site):
    problems = []
    for page in pages(built_site):
        for tag in re.findall(r"<img[^>]*>", page.read_text()):
            src = re.search(r'\bsrc="([^"]+)"', tag).group(1).split("#")[0]
            if src.startswith(("http:", "https:", "data:")):
                continue
            if not (page.parent / src).resolve().is_file():
                problems.append(f"{page.relative_to(built_site)}: missing {src}")
            if not re.search(r'\balt="[^"]+"', tag):
                problems.append(f"{page.relative_to(built_site)}: no alt text on {src}")
        # A <picture>'s phone variant, sized as its <img> is, so nothing moves.
        for tag in re.findall(r"<source[^>]*>", page.read_text()):
            src = re.search(r'\bsrcset="([^"]+)"', tag).group(1)
            if not (page.parent / src).resolve().is_file():
                problems.append(f"{page.relative_to(built_site)}: missing {src}")
            if not re.search(r'\bwidth="\d+" height="\d+"', tag):
                problems.append(f"{page.relative_to(built_site)}: unsized {src}")
    assert problems == []


def test_every_snippet_shows_its_code_and_all_its_figures(built_site):
    for source in sorted((ROOT / "docs").rglob("*.md")):
        rels = snippet_paths(source.read_text())
        if not rels:
            continue
        page_uri = source.relative_to(ROOT / "docs").with_suffix("")
        html_file = built_site / page_uri / "index.html"
        if page_uri.name == "index":
            html_file = built_site / page_uri.parent / "index.html"
        html = html_file.read_text()
        assert "&lt;!-- snippet:" not in html and "<!-- snippet:" not in html
        for rel in rels:
            assert f"snippets/{rel}" in html, f"{html_file}: code of {rel} missing"
            stem = rel.removesuffix(".py")
            figure = rf"assets/snippets/{re.escape(stem)}-\d+(?:-phone)?(?:-dark)?\.svg"
            shown = {s[s.index("assets/") :] for s in re.findall(figure, html)}
            made = {
                str(p.relative_to(built_site))
                for p in (built_site / "assets" / "snippets").glob(f"{stem}-*.svg")
            }
            assert shown == made  # each shown: light, dark and the phone's both
            wide = {s for s in made if not s.endswith(("-dark.svg", "-phone.svg"))}
            assert len(made) == 4 * len(wide)
            drawn = snippet_runner.cached_result(ROOT / "snippets" / rel, ROOT).figures
            assert len(wide) == len(drawn), f"{rel}: {len(drawn)} figures drawn"


def test_a_second_build_gives_byte_identical_files(built_site, tmp_path):
    """Together with test_snippets.py (a second, portable-kernel run of every snippet
    gives the same bytes wherever the kernels do not change its digits), this is the
    reproducibility gate. MkDocs stamps the build date into the sitemap;
    that, and only that, may differ (on another day). The labs' pages come from
    the build's cache here, so their fresh runs are not compared: running them
    again would cost half a minute (test_labs.py checks their cell ids)."""
    again = mkdocs_build(ROOT / "mkdocs.yml", tmp_path / "site")
    assert again.returncode == 0, again.stderr[-4000:]
    stamped = {"sitemap.xml", "sitemap.xml.gz"}
    first, second = files(built_site), files(tmp_path / "site")
    assert sorted(first) == sorted(second)
    differ = [
        rel
        for rel, path in first.items()
        if rel not in stamped and path.read_bytes() != second[rel].read_bytes()
    ]
    assert differ == []


def files(folder: Path) -> dict[str, Path]:
    return {str(p.relative_to(folder)): p for p in folder.rglob("*") if p.is_file()}


def write_page(project: Path, body: str) -> None:
    (project / "docs" / "index.md").write_text(f"# Test page\n\n{body}\n")


def build_fails(project: Path, *, stops_early: bool = True) -> str:
    """The build's error output; with `stops_early`, it must have written no page.
    (Strict mode's warnings abort only at the end: `make build` builds into a
    temporary folder and replaces site/ only on success, so nothing half-built is
    published either way.)"""
    build = mkdocs_build(project / "mkdocs.yml", project / "site")
    assert build.returncode != 0, "the build should have stopped"
    if stops_early:
        assert not (project / "site" / "index.html").exists(), "a page was written"
    return build.stderr


def test_every_failing_snippet_stops_the_build_with_its_path_and_traceback(
    tmp_project,
):
    snippets = tmp_project / "snippets"
    (snippets / "broken.py").write_text("import math\nmath.sqrt(-1)\n")
    (snippets / "fine.py").write_text("print('fine')\n")
    (snippets / "worse.py").write_text("x = 1\nraise KeyError('lost')\n")
    markers = "\n\n".join(
        f"<!-- snippet: {n}.py -->" for n in ("broken", "fine", "worse")
    )
    write_page(tmp_project, markers)
    stderr = build_fails(tmp_project)
    assert "2 of 3 snippets failed" in stderr
    assert "snippets/broken.py failed" in stderr
    assert 'broken.py", line 2, in <module>' in stderr
    assert "ValueError: math domain error" in stderr
    assert "snippets/worse.py failed" in stderr
    assert "KeyError: 'lost'" in stderr
    assert "fine.py failed" not in stderr


def test_a_missing_snippet_stops_the_build(tmp_project):
    write_page(tmp_project, "<!-- snippet: nowhere/missing.py -->")
    assert "snippet 'nowhere/missing.py' does not exist" in build_fails(tmp_project)


def test_an_unknown_marker_stops_the_build_naming_the_page(tmp_project):
    write_page(tmp_project, "<!-- snipet: typo.py -->")
    assert "index.md: line 3: unknown marker 'snipet'" in build_fails(tmp_project)


def test_an_unused_snippet_fails_the_strict_build(tmp_project):
    (tmp_project / "snippets" / "orphan.py").write_text("print(1)\n")
    stderr = build_fails(tmp_project, stops_early=False)
    assert "snippets/orphan.py is used by no page" in stderr


def test_a_formula_latex2mathml_cannot_read_stops_the_build(tmp_project):
    write_page(tmp_project, r"Before \(\frac{1}{\) after.")
    stderr = build_fails(tmp_project)
    assert "index.md: cannot convert a formula" in stderr


def test_a_formula_is_converted_once_and_then_comes_from_the_cache(
    tmp_path, monkeypatch
):
    converted = []
    original = mathml.convert
    monkeypatch.setattr(
        mathml, "convert", lambda *a, **k: converted.append(a) or original(*a, **k)
    )
    page = r'<span class="arithmatex">\(\eta_t\)</span>'
    made = []
    for _ in range(2):  # two builds, two processes: the second reads the first's file
        store = cache.Store(tmp_path / "mathml.json")
        store.load()
        made.append(mathml.Formulas(store).convert(page))
        store.save()
    assert made[0] == made[1] and "<math" in made[0]
    assert len(converted) == 1


def test_the_prose_says_what_the_run_left_and_follows_a_changed_snippet(tmp_project):
    snippet = tmp_project / "snippets" / "index" / "train.py"
    snippet.parent.mkdir()
    write_page(
        tmp_project,
        "Final loss {{ train.loss:.3f }}.\n\n<!-- snippet: index/train.py -->",
    )
    for loss in (0.25, 0.5):
        snippet.write_text(f"loss = {loss}\nprint(f'final loss {{loss:.3f}}')\n")
        build = mkdocs_build(tmp_project / "mkdocs.yml", tmp_project / "site")
        assert build.returncode == 0, build.stderr
        html = (tmp_project / "site" / "index.html").read_text()
        assert f"<p>Final loss {loss:.3f}.</p>" in html
        assert f"final loss {loss:.3f}" in html  # the output block beside it agrees


def test_a_value_the_run_did_not_leave_stops_the_build_naming_page_and_line(
    tmp_project,
):
    snippet = tmp_project / "snippets" / "index" / "train.py"
    snippet.parent.mkdir()
    snippet.write_text("loss = 0.25\n")
    write_page(
        tmp_project, "<!-- snippet: index/train.py -->\n\nIt ends at {{ train.los }}."
    )
    stderr = build_fails(tmp_project)
    assert "index.md: line 5: train.py left no value 'los' (it has: loss)" in stderr


def test_every_page_says_which_versions_built_it(built_site):
    torch, material = version("torch"), version("mkdocs-material")
    said = f"Built with PyTorch {torch}, Material for MkDocs {material} and Python "
    said += platform.python_version()
    for page in pages(built_site):
        if "md-footer" in (html := page.read_text()):  # not the 404 fragment
            assert said in html, f"{page.relative_to(built_site)}: no versions"


def test_the_site_address_is_the_deployers_and_a_deploy_refuses_the_local_one(
    monkeypatch,
):
    """mkdocs.yml's site_url (canonical links, sitemap.xml) is SITE_URL when the
    deployer sets it; without it the local address, which gh-deploy refuses."""
    monkeypatch.setenv("SITE_URL", "https://owner.github.io/repo/")
    assert site_config()["site_url"] == "https://owner.github.io/repo/"
    assert site_url.refusal("gh-deploy", "https://owner.github.io/repo/") is None
    monkeypatch.delenv("SITE_URL")
    local = site_config()["site_url"]
    assert local.startswith("http://127.0.0.1:8000/")
    assert site_url.refusal("build", local) is None
    assert site_url.refusal("serve", local) is None
    assert "SITE_URL" in site_url.refusal("gh-deploy", local)
    assert site_url.refusal("gh-deploy", None)


def test_a_dirty_build_renders_again_the_pages_whose_snippets_changed(tmp_project):
    """`make serve` runs `mkdocs serve --dirty`: MkDocs renders again only a page
    whose source is newer than its HTML, so the build marks (hooks/stale_pages.py)
    a page whose snippet changed; a page whose inputs did not stays as written."""
    snippet = tmp_project / "snippets" / "index" / "train.py"
    snippet.parent.mkdir()
    snippet.write_text("loss = 0.5\nprint('first run')\n")
    write_page(
        tmp_project, "Loss {{ train.loss:.1f }}.\n\n<!-- snippet: index/train.py -->"
    )
    (tmp_project / "docs" / "other.md").write_text("# Other\n\nNo snippet.\n")
    config, site = tmp_project / "mkdocs.yml", tmp_project / "site"
    dirty_build(config, site)
    other = site / "other" / "index.html"
    written = other.stat().st_mtime_ns
    snippet.write_text("loss = 0.25\nprint('second run')\n")
    dirty_build(config, site)
    page = (site / "index.html").read_text()
    assert "second run" in page and "Loss 0.2." in page
    assert other.stat().st_mtime_ns == written  # not rendered again


def test_a_dirty_rebuild_names_the_pages_it_does_not_render_again(tmp_project):
    """In `mkdocs serve --dirty` a page not rendered again has no title, so the
    menus of the pages that are would read "None" (mkdocs/mkdocs issue 4047): it
    keeps the title of its last render. Two builds in one process, as `serve`."""
    docs, site = tmp_project / "docs", tmp_project / "site"
    (docs / "alpha.md").write_text("# Alpha page\n\nText.\n")
    (docs / "beta.md").write_text("# Beta page\n\nText.\n")
    for edit in ("Text.", "Edited."):
        (docs / "alpha.md").write_text(f"# Alpha page\n\n{edit}\n")
        config = load_config(str(tmp_project / "mkdocs.yml"), site_dir=str(site))
        config.plugins.on_startup(command="build", dirty=True)
        build_site(config, dirty=True)
    menu = (site / "alpha" / "index.html").read_text()
    assert "Edited." in menu and "Beta page" in menu and ">None<" not in menu
