"""The labs (docs/labs/*.py): every one executes at build and shows its outputs in
the site's style (figures in light and dark, labelled outputs, no notebook
stylesheet), each page offers a real notebook and the script, and a failing cell
fails the build.

The labs run once per test session, in the `built_site` build (hooks/labs.py runs
each through mkdocs-jupyter's converter); these tests read what that build made
instead of running them again. Lab 3 asserts in its own cells that a resumed run
continues exactly.
"""

from __future__ import annotations

import base64
import json
import os
import re
import subprocess
import sys
from importlib.metadata import version
from pathlib import Path
from urllib.parse import unquote, urlsplit

import jupytext
import nbformat
import pytest

import cache
import lab_html
import lab_run
import labs
import markers
from support import ROOT, mkdocs_build, write_config

LABS = sorted((ROOT / "docs" / "labs").glob("*.py"))
EXPECTED_LABS = {"find-lr", "schedules-compared", "plateaus-and-resuming"}
FIGURE = re.compile(
    r'<img alt="([^"]*)" loading="lazy" width="\d+" height="\d+" '
    r'src="([^"#]+)#only-(light|dark)"(?: class="off-glb")?>'
)
TEXT_OUTPUT = re.compile(
    r'data-mime-type="text/plain"><div [^>]*class="highlight">(.*?)</div>', re.S
)
OUTPUT_TITLE = f'<span class="filename">Output with torch {version("torch")}</span>'
TEXT_FILL = re.compile(r"<text [^>]*fill: (#[0-9a-f]{6})")
INK, BLUE = "#24292f", "#0072b2"  # figure.mplstyle's text colour, first line colour
PAGE_BUDGET = 500_000  # bytes, before compression: the page and all it loads


def page(site: Path, lab: Path) -> str:
    return (site / "labs" / lab.stem / "index.html").read_text()


def test_the_three_labs_exist_and_are_in_the_nav():
    assert {lab.stem for lab in LABS} == EXPECTED_LABS
    config = (ROOT / "mkdocs.yml").read_text()
    for lab in LABS:
        assert f"labs/{lab.name}" in config, f"{lab.name} is missing from the nav"


@pytest.mark.parametrize("lab", LABS, ids=lambda p: p.stem)
def test_every_lab_page_shows_its_outputs_and_every_figure(built_site, lab):
    html = page(built_site, lab)
    source = lab.read_text()
    # Executed: every print and every figure of the source has its output.
    assert "jp-OutputArea-output" in html
    light = [alt for alt, _, variant in FIGURE.findall(html) if variant == "light"]
    assert len(light) == source.count("plt.show()") > 0
    for alt in light:
        assert alt.startswith("Figure. ") and " against " in alt, alt
    assert "data:image/" not in html, "a figure left inline (not the site's style)"
    # No cell is a tab stop: a code block is where it scrolls (Material's script
    # decides), a figure's link is.
    assert "jp-Cell-inputWrapper" in html
    assert not re.search(r'<div class="jp-[^>]*\btabindex=', html)
    # No error, no warning, nothing on stderr.
    assert "application/vnd.jupyter.stderr" not in html
    assert "Traceback" not in html


@pytest.mark.parametrize("lab", LABS, ids=lambda p: p.stem)
def test_every_lab_figure_has_a_dark_variant_in_the_site_style(built_site, lab):
    html = page(built_site, lab)
    figures = FIGURE.findall(html)
    pairs = list(zip(figures[::2], figures[1::2], strict=True))
    assert pairs
    for (alt, light, first), (dark_alt, dark, second) in pairs:
        assert (first, second) == ("light", "dark") and alt == dark_alt
        assert dark == light.removesuffix(".svg") + "-dark.svg"
        light_svg = (built_site / "labs" / lab.stem / light).read_text()
        dark_svg = (built_site / "labs" / lab.stem / dark).read_text()
        for svg in (light_svg, dark_svg):
            assert svg.startswith("<?xml") and "<svg" in svg
        # figure.mplstyle: its fonts, its ink for text and the first colour of its
        # palette; the dark variant draws the text lighter and keeps the blue,
        # which shows on slate (3:1) as it is (figure_dark.dark).
        assert "'DejaVu Sans', 'Helvetica', 'Arial'" in light_svg
        assert set(TEXT_FILL.findall(light_svg)) == {INK}
        assert INK not in TEXT_FILL.findall(dark_svg)
        assert f"stroke: {BLUE}" in light_svg and f"stroke: {BLUE}" in dark_svg
    # Material shows one of each pair: the dark variant only in dark mode.
    css = next((built_site / "assets" / "stylesheets").glob("main.*.min.css"))
    assert 'img[src$="#only-dark"]' in css.read_text()


@pytest.mark.parametrize("lab", LABS, ids=lambda p: p.stem)
def test_every_lab_output_is_labelled_like_a_snippet_output(built_site, lab):
    html = page(built_site, lab)
    outputs = TEXT_OUTPUT.findall(html)
    assert outputs and html.count('data-mime-type="text/plain"') == len(outputs)
    for block in outputs:
        assert block.startswith(OUTPUT_TITLE), block[:200]
    code = r'<pre(?: data-widget="highlight")?><code>'  # hooks/minify.py
    assert "<pre>" not in re.sub(code, "", html), (
        "a bare <pre> (an unlabelled output or an unstyled code cell)"
    )


def local_assets(page_file: Path, site: Path) -> dict[Path, int]:
    """Bytes of every file of `site` that the page loads: its stylesheets, icons,
    scripts, images (of a light/dark pair the heavier: the browser loads one), and
    what the stylesheets load in turn."""
    html = page_file.read_text()
    wanted: list[Path] = []

    def add(base: Path, ref: str) -> None:
        parts = urlsplit(ref)
        if not (parts.scheme or parts.netloc) and parts.path:
            wanted.append((base.parent / unquote(parts.path)).resolve())

    for tag in re.findall(r"<(?:link|script|img)\b[^>]*>", html):
        if tag.startswith("<link") and not re.search(r'rel="(stylesheet|icon)"', tag):
            continue  # canonical, prev, next: addresses, not downloads
        if ref := re.search(r'\b(?:src|href)="([^"]+)"', tag):
            if not ref.group(1).endswith("-dark.svg#only-dark"):
                add(page_file, ref.group(1))
    sizes: dict[Path, int] = {}
    while wanted:
        path = wanted.pop()
        if path in sizes or not path.is_file():
            continue
        assert site.resolve() in path.parents, path
        sizes[path] = path.stat().st_size
        for other in ("-dark", "-phone", "-phone-dark"):  # one of the four loads
            variant = path.with_name(path.stem + other + ".svg")
            if path.suffix == ".svg" and variant.is_file():
                sizes[path] = max(sizes[path], variant.stat().st_size)
        if path.suffix == ".css":
            for ref in re.findall(r"url\(['\"]?([^'\")]+)", path.read_text()):
                add(path, ref)
    return sizes


def test_every_lab_page_with_all_it_loads_stays_under_500_kb(built_site):
    weights = {}
    for lab in LABS:
        page_file = built_site / "labs" / lab.stem / "index.html"
        assets = local_assets(page_file, built_site)
        assert any(p.name.startswith("main.") for p in assets)  # Material's CSS
        assert any(p.name.startswith("bundle.") for p in assets)  # and its JS
        assert sum(p.suffix == ".svg" for p in assets) == lab.read_text().count(
            "plt.show()"
        )
        weights[lab.stem] = page_file.stat().st_size + sum(assets.values())
    assert max(weights.values()) < PAGE_BUDGET, weights


def test_lab_three_shows_that_the_resumed_run_continues_exactly(built_site):
    html = page(built_site, ROOT / "docs" / "labs" / "plateaus-and-resuming.py")
    assert re.search(r"the resumed run equals the uninterrupted one in all \d+", html)


@pytest.mark.parametrize("lab", LABS, ids=lambda p: p.stem)
def test_every_lab_offers_a_notebook_without_outputs_and_its_script(built_site, lab):
    folder = built_site / "labs" / lab.stem
    html = page(built_site, lab)
    for name in (f"{lab.stem}.ipynb", f"{lab.stem}.py"):
        assert f'href="{name}" download' in html, f"no download link to {name}"
        assert (folder / name).is_file()
    assert (folder / f"{lab.stem}.py").read_bytes() == lab.read_bytes()

    text = (folder / f"{lab.stem}.ipynb").read_text()
    notebook = nbformat.reads(text, as_version=nbformat.NO_CONVERT)
    nbformat.validate(notebook)
    assert notebook.nbformat == 4
    assert notebook.metadata.kernelspec.language == "python"
    for cell in notebook.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None
    source = jupytext.read(lab)
    assert [(c.cell_type, c.source) for c in notebook.cells] == [
        (c.cell_type, c.source) for c in source.cells
    ]
    # The page tells the reader how to open it locally.
    assert f"jupyter lab {lab.stem}.ipynb" in html
    assert f"python {lab.stem}.py" in html


@pytest.mark.browser
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_a_reader_sees_the_figures_of_their_colour_scheme(browser_page, scheme):
    browser_page.emulate_media(color_scheme=scheme)
    browser_page.goto("labs/schedules-compared/", wait_until="load")
    shown = browser_page.eval_on_selector_all(
        ".jupyter-wrapper img",
        "imgs => imgs.filter(i => i.checkVisibility()).map(i => i.getAttribute('src'))",
    )
    suffix = "-dark.svg#only-dark" if scheme == "dark" else "-[12].svg#only-light"
    assert len(shown) == 2 and all(re.search(f"{suffix}$", src) for src in shown)
    # Each shown figure's link (a tab stop, with its focus ring) is its size.
    sizes = browser_page.eval_on_selector_all(
        ".jupyter-wrapper a > picture > img",
        "imgs => imgs.filter(i => i.checkVisibility()).map(i => "
        "[i.closest('a').getBoundingClientRect().height, i.height])",
    )
    assert len(sizes) == 2 and all(link >= img > 100 for link, img in sizes), sizes
    # The other palette's link is no tab stop: a link with nothing in it.
    links = browser_page.eval_on_selector_all(
        ".jupyter-wrapper a:has(> picture)",
        "links => links.map(a => a.checkVisibility())",
    )
    assert sorted(links) == [False, False, True, True], links


def test_lab_pages_load_nothing_from_another_host(built_site):
    for lab in LABS:
        html = page(built_site, lab)
        for tag in re.findall(r"<(?:script|link|img|iframe)\b[^>]*>", html):
            assert not re.search(r'(?:src|href)="(?:https?:)?//', tag) or (
                'rel="canonical"' in tag
            ), f"{lab.stem}: {tag}"
        for cdn in ("cdnjs", "jsdelivr", "unpkg", "mathjax", "mermaid", "require.js"):
            assert cdn not in html.lower(), f"{lab.stem} mentions {cdn}"


def test_lab_pages_carry_no_notebook_stylesheet_or_script(built_site):
    for lab in LABS:
        html = page(built_site, lab)
        assert "<style" not in html and "jp-RenderedHTMLCommon{" not in html
        assert not re.search(r'<link rel="stylesheet" href="[^"]*(notebook|labs)', html)
        assert "clipboard-copy" not in html and "ClipboardCopyElement" not in html
        # Code cells are the site's code blocks, so Material gives them its copy
        # button and colours.
        assert re.search(
            r'class="language-python highlight"><pre(?: data-widget="highlight")?>'
            r"<code>",
            html,
        )
        assert "highlight-ipynb" not in html


def test_the_labs_depend_on_nothing_of_the_site():
    """The build's kernel styles the figures; a downloaded lab runs on its own."""
    for lab in LABS:
        source = lab.read_text()
        for name in ("snippet_worker", "lab_kernel", "hooks", "figure.mplstyle"):
            assert name not in source, f"{lab.name} uses the site's {name}"


# ------------------------------------------------------------------ the hook


def test_the_notebook_is_the_same_bytes_every_time():
    source = LABS[0].read_text()
    assert labs.to_notebook(source) == labs.to_notebook(source)
    cells = json.loads(labs.to_notebook(source))["cells"]
    assert [c["id"] for c in cells] == [f"cell-{n}" for n in range(1, len(cells) + 1)]


def test_cell_ids_in_the_page_do_not_change_from_build_to_build():
    page = '<div id="cell-id=8e47b45f">a</div><div id="cell-id=39804e81">b</div>'
    assert (
        lab_html.number_cells(page)
        == '<div id="cell-1">a</div><div id="cell-2">b</div>'
    )


def test_a_script_from_another_host_fails_instead_of_reaching_the_reader():
    cdn = '<script src="https://cdn.example.org/x.js"></script>'
    with pytest.raises(markers.PageError, match="another host"):
        lab_html.notebook_body(f"{lab_html.WRAPPER}<p>text</p>{cdn}")
    header = "<style>.jp-Cell{}</style><!-- Load mathjax --><script src='//x.org/m.js'>"
    header += "</script>"
    assert lab_html.notebook_body(f"{header}{lab_html.WRAPPER}<p>a</p>") == (
        f"{lab_html.WRAPPER}<p>a</p>"
    )


def test_a_cell_tagged_checks_is_folded_without_its_tag_toolbar():
    toolbar = (
        '<div class="celltoolbar">\n'
        '<div class="button_container tags_button_container">\n'
        '<span class="tag-container">\n<span class="cell-tag">checks</span>\n</span>'
        "\n</div>\n</div>\n"
    )
    # A code cell's div holds another at once; a Markdown cell has one div.
    lesson = (
        '<div class="jp-Cell jp-CodeCell">\n'
        '<div class="jp-Cell jp-CodeCell" id="a">1</div></div>'
    )
    checks = (
        '<div class="jp-Cell jp-CodeCell celltag_checks">\n'
        '<div class="jp-Cell jp-CodeCell celltag_checks" id="b">'
        f"{toolbar}assert</div></div>"
    )
    prose = '<div class="jp-Cell jp-MarkdownCell" id="c"><h2>Take away</h2></div>'
    page = f"{lesson}{checks}{prose}{lab_html.NOTEBOOK_END}"
    folded = checks.replace(toolbar, "")
    assert lab_html.fold_check_cells(page) == (
        f'{lesson}<details class="fold"><summary>{lab_html.CHECKS_SUMMARY}</summary>'
        f"{folded}</details>{prose}{lab_html.NOTEBOOK_END}"
    )


def test_a_notebook_whose_end_is_not_found_is_an_error_not_a_check_left_open():
    with pytest.raises(markers.PageError, match="jp-Notebook"):
        lab_html.fold_check_cells(
            '<div class="jp-Cell jp-CodeCell celltag_checks">x</div>'
        )


def test_the_notebooks_own_page_end_does_not_close_the_sites_page():
    notebook = (
        f"{lab_html.WRAPPER}<p>a</p></div> <!-- jupyter-wrapper -->\n</body></html>\n\n"
    )
    assert (
        lab_html.notebook_body(notebook)
        == f"{lab_html.WRAPPER}<p>a</p></div> <!-- jupyter-wrapper -->\n"
    )


def test_a_text_output_gets_the_title_of_a_snippet_output():
    output = (
        '<div class="jp-RenderedText jp-OutputArea-output" '
        'data-mime-type="text/plain" tabindex="0">\n<pre>loss 0.5\n</pre>\n</div>'
    )
    assert lab_html.label_outputs(output, "Output with torch 9") == (
        '<div class="jp-RenderedText jp-OutputArea-output" data-mime-type="text/plain">'
        '<div class="highlight"><span class="filename">Output with torch 9</span>'
        "<pre><span></span><code>loss 0.5\n</code></pre></div>\n</div>"
    )


def test_figures_move_to_numbered_files_beside_the_page():
    def data(svg: str) -> str:
        return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()

    def picture(n: int, variant: str) -> str:
        """The figure as lab_kernel.py writes it: a picture in a link to itself."""
        uri = f"{data(svgs[n])}#only-{variant}"
        phone = f"{data(phone_svgs[n])}#phone-{variant}"
        return (
            f'<a href="{uri}"><picture><source media="(max-width: 40em)" '
            f'srcset="{phone}"><img alt="A" class="off-glb" src="{uri}"></picture></a>'
        )

    svgs = {n: f'<svg width="{n * 72}pt" height="36pt">{n}</svg>' for n in (1, 2)}
    phone_svgs = {
        n: f'<svg width="270pt" height="{n * 72}pt">{n}</svg>' for n in (1, 2)
    }
    page_html = "".join(picture(n, v) for n in (1, 2) for v in ("light", "dark"))
    html, files = lab_html.extract_figures(page_html, "labs/x/x", "labs/x")
    assert files == {
        "labs/x/x-1.svg": svgs[1],
        "labs/x/x-1-dark.svg": svgs[1],
        "labs/x/x-2.svg": svgs[2],
        "labs/x/x-2-dark.svg": svgs[2],
        "labs/x/x-1-phone.svg": phone_svgs[1],
        "labs/x/x-1-phone-dark.svg": phone_svgs[1],
        "labs/x/x-2-phone.svg": phone_svgs[2],
        "labs/x/x-2-phone-dark.svg": phone_svgs[2],
    }
    # Sized in CSS pixels (96 to the inch, the SVG's 72 pt), so it keeps its room.
    sized = '<img alt="A" loading="lazy" width="{}" height="48" src="x-'
    assert html.count(sized.format(96)) == html.count(sized.format(192)) == 2
    assert 'src="x-2-dark.svg#only-dark" class="off-glb">' in html
    assert 'srcset="x-2-phone-dark.svg" width="360" height="192">' in html
    assert "data:" not in html
    # Either figure's link opens the light one, readable on the browser's white.
    assert re.findall(r'href="([^"]*)"', html) == ["x-1.svg"] * 2 + ["x-2.svg"] * 2


def test_the_build_kernel_runs_the_figure_setup_first(tmp_path):
    folder = lab_run.write_kernelspec(tmp_path)
    spec = json.loads((folder / "kernels" / lab_run.KERNEL / "kernel.json").read_text())
    assert f"--IPKernelApp.exec_lines={lab_run.KERNEL_SETUP_LINE}" in spec["argv"]
    assert lab_run.KERNEL_SETUP.is_file()


def test_the_figure_setup_leaves_no_name_for_a_lab_to_lean_on():
    """A lab that uses `plt` without importing it must fail in the build too, as it
    would for a reader running the downloaded notebook."""
    check = "print(sorted(n for n in globals() if not n.startswith('__')))"
    run = subprocess.run(
        [sys.executable, "-c", f"{lab_run.KERNEL_SETUP_LINE}\n{check}"],
        capture_output=True,
        text=True,
        env={**os.environ, "MPLBACKEND": "Agg"},
    )
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == "[]"


def test_downloads_sit_beside_the_page():
    assert labs.download_dir("labs/find-lr.py") == "labs/find-lr"


def test_only_top_level_python_files_in_docs_labs_are_labs():
    assert labs.is_lab("labs/find-lr.py")
    assert not labs.is_lab("labs/data/helper.py")
    assert not labs.is_lab("labs/find-lr.ipynb")
    assert not labs.is_lab("learning-rate.md")


@pytest.mark.parametrize("package", ["torch", "jupytext", "ipykernel", "pygments"])
def test_a_lab_runs_again_when_a_package_that_shapes_its_page_changes(
    monkeypatch, package
):
    before = labs.lab_key(b"print(1)\n")
    real = cache.package_version
    monkeypatch.setattr(
        cache, "package_version", lambda p: "99" if p == package else real(p)
    )
    assert labs.lab_key(b"print(1)\n") != before


def test_a_labs_headings_are_its_table_of_contents_nested_by_level():
    page_html = (
        '<h1 id="lab">Lab<a class="anchor-link" href="#lab">¶</a></h1>'
        '<h2 id="a">A <code>x</code></h2><h3 id="a1">A.1</h3><h2 id="b">B</h2>'
    )
    toc = lab_html.page_toc(page_html)
    assert [(t["id"], t["name"]) for t in toc] == [("lab", "Lab")]
    assert [(t["id"], t["name"]) for t in toc[0]["children"]] == [
        ("a", "A x"),
        ("b", "B"),
    ]
    assert [t["id"] for t in toc[0]["children"][0]["children"]] == ["a1"]


def lab_project(folder: Path, lab: str) -> Path:
    """A tiny project with the site's lab hook and one lab, `labs/lab.py`; the path
    of its mkdocs.yml."""
    (folder / "docs" / "labs").mkdir(parents=True)
    (folder / "docs" / "index.md").write_text("# Home\n")
    (folder / "docs" / "labs" / "lab.py").write_text(lab)
    return write_config(
        folder,
        nav=[{"Home": "index.md"}, {"Lab": "labs/lab.py"}],
    )


def test_a_lab_runs_once_then_its_page_comes_from_the_cache(tmp_path):
    """Its page, table of contents and downloads; the second build takes the page
    from the cache; cache entries no lab uses are deleted."""
    config = lab_project(
        tmp_path, "# %% [markdown]\n# # A lab\n# ## Part one\n\n# %%\nprint(6 * 7)\n"
    )
    stale = tmp_path / ".cache" / "labs" / "0f0f.html"
    stale.parent.mkdir(parents=True)
    stale.write_text("a page no lab has any more")
    built = []
    for run in ("first", "second"):
        build = mkdocs_build(config, tmp_path / run)
        assert build.returncode == 0, build.stderr
        built.append(build.stderr.count("Ran labs/lab.py in "))
        folder = tmp_path / run / "labs" / "lab"
        page_html = (folder / "index.html").read_text()
        assert "<pre><code>42" in page_html  # its output, as the site serves it
        assert page_html.count('href="#part-one"') >= 2, "heading and contents"
        heading_link = 'class="headerlink" title="Permanent link" href="#part-one"'
        assert heading_link in page_html, "the heading links as Material's do"
        assert (folder / "lab.ipynb").is_file() and (folder / "lab.py").is_file()
    assert built == [1, 0]
    assert not stale.exists()
    assert sorted(p.suffix for p in stale.parent.iterdir()) == [".html", ".ipynb"]


# ------------------------------------------------------- a failing lab stops CI


@pytest.mark.parametrize(
    ("cell", "error"),
    [
        ('raise RuntimeError("this cell fails")', "this cell fails"),
        ("import time\ntime.sleep(60)", "this cell ran over 2 s"),
    ],
    ids=["raises", "hangs"],
)
def test_a_lab_with_a_failing_cell_fails_the_build(tmp_path, monkeypatch, cell, error):
    """A lab whose second cell raises, or runs past the build's limit for a cell:
    the build must fail and name the error."""
    monkeypatch.setenv("LR_SITE_LAB_CELL_TIMEOUT_S", "2")
    assert lab_run.CONVERT["allow_errors"] is False
    lab = f'# %% [markdown]\n# # Broken\n\n# %%\nprint("ok")\n\n# %%\n{cell}\n'
    build = mkdocs_build(lab_project(tmp_path, lab), tmp_path / "site")
    assert build.returncode != 0, "a failing cell must fail the build"
    assert error in build.stderr
    assert not (tmp_path / "site" / "labs" / "lab" / "index.html").exists()
