"""The labs (docs/labs/*.py): every one executes at build and shows its outputs, each
page offers a real notebook and the script, and a failing cell fails the build.

The labs run once per test session, in the `built_site` build (mkdocs-jupyter's
`execute: true`); these tests read what that build made instead of running them
again. Lab 3 asserts in its own cells that a resumed run continues exactly.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import jupytext
import labs
import nbformat
import pytest
import yaml
from conftest import ROOT, mkdocs_build

LABS = sorted((ROOT / "docs" / "labs").glob("*.py"))
EXPECTED_LABS = {"find-lr", "schedules-compared", "plateaus-and-resuming"}
FIGURE = re.compile(r'<img alt="([^"]*)"[^>]*src="data:image/png;base64,')


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
    figures = FIGURE.findall(html)
    assert len(figures) == source.count("plt.show()") > 0
    for alt in figures:
        assert "No description" not in alt and " axis: " in alt
    # No error, no warning, nothing on stderr.
    assert "application/vnd.jupyter.stderr" not in html
    assert "Traceback" not in html


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


def test_lab_pages_load_nothing_from_another_host(built_site):
    for lab in LABS:
        html = page(built_site, lab)
        for tag in re.findall(r"<(?:script|link|img|iframe)\b[^>]*>", html):
            assert not re.search(r'(?:src|href)="(?:https?:)?//', tag) or (
                'rel="canonical"' in tag
            ), f"{lab.stem}: {tag}"
        for cdn in ("cdnjs", "jsdelivr", "unpkg", "mathjax", "mermaid", "require.js"):
            assert cdn not in html.lower(), f"{lab.stem} mentions {cdn}"


def test_notebook_styles_are_one_shared_file_not_inlined(built_site):
    links = {
        re.search(
            r'<link rel="stylesheet" href="([^"]*notebook-[^"]+\.css)"',
            page(built_site, lab),
        ).group(1)
        for lab in LABS
    }
    assert len(links) == 1
    css = built_site / "labs" / "find-lr" / links.pop()
    assert css.resolve().is_file() and css.stat().st_size > 100_000
    for lab in LABS:
        assert len(page(built_site, lab)) < 400_000, f"{lab.stem} page too heavy"


# ------------------------------------------------------------------ the hook


def test_the_notebook_is_the_same_bytes_every_time():
    source = LABS[0].read_text()
    assert labs.to_notebook(source) == labs.to_notebook(source)
    cells = json.loads(labs.to_notebook(source))["cells"]
    assert [c["id"] for c in cells] == [f"cell-{n}" for n in range(1, len(cells) + 1)]


def test_cell_ids_in_the_page_do_not_change_from_build_to_build():
    page = '<div id="cell-id=8e47b45f">a</div><div id="cell-id=39804e81">b</div>'
    assert labs.number_cells(page) == '<div id="cell-1">a</div><div id="cell-2">b</div>'


def test_a_script_from_another_host_fails_instead_of_reaching_the_reader():
    cdn = '<script src="https://cdn.example.org/x.js"></script>'
    with pytest.raises(ValueError, match="another host"):
        labs.strip_remote_scripts(f"<p>text</p>{cdn}")
    mathjax = "<!-- Load mathjax -->\n<script src='//x.org/m.js'></script>\n"
    mathjax += "<!-- End of mathjax configuration -->"
    assert labs.strip_remote_scripts(f"<p>a</p>{mathjax}") == "<p>a</p>"


def test_figure_alt_text_comes_from_titles_and_axis_labels():
    code = 'ax.set_title("Loss")\nax.set_xlabel("epoch")\nax.set_ylabel("loss")\n'
    assert labs.figure_alt(code) == "Loss. x axis: epoch. y axis: loss"
    assert labs.figure_alt("plt.plot(x)") == "Figure"


def test_downloads_sit_beside_the_page_with_or_without_directory_urls():
    assert labs.download_dir("labs/find-lr.py", True) == "labs/find-lr"
    assert labs.download_dir("labs/find-lr.py", False) == "labs"


def test_only_top_level_python_files_in_docs_labs_are_labs():
    assert labs.is_lab("labs/find-lr.py")
    assert not labs.is_lab("labs/data/helper.py")
    assert not labs.is_lab("labs/find-lr.ipynb")
    assert not labs.is_lab("learning-rate.md")


# ------------------------------------------------------- a failing lab stops CI


def test_a_lab_with_a_failing_cell_fails_the_build(tmp_path):
    """A tiny project with the site's own mkdocs-jupyter settings and a lab whose
    second cell raises: the build must fail and name the error."""
    site_config = yaml.safe_load((ROOT / "mkdocs.yml").read_text())
    jupyter = next(
        p
        for p in site_config["plugins"]
        if isinstance(p, dict) and "mkdocs-jupyter" in p
    )
    assert jupyter["mkdocs-jupyter"]["allow_errors"] is False
    config = {
        "site_name": "failing lab",
        "theme": {"name": "mkdocs"},
        "plugins": [jupyter],
        "hooks": [str(ROOT / "hooks" / "labs.py")],
        "nav": [{"Home": "index.md"}, {"Lab": "labs/broken.py"}],
    }
    (tmp_path / "mkdocs.yml").write_text(yaml.safe_dump(config))
    (tmp_path / "docs" / "labs").mkdir(parents=True)
    (tmp_path / "docs" / "index.md").write_text("# Home\n")
    (tmp_path / "docs" / "labs" / "broken.py").write_text(
        '# %% [markdown]\n# # Broken\n\n# %%\nprint("ok")\n\n'
        '# %%\nraise RuntimeError("this cell fails")\n'
    )
    build = mkdocs_build(tmp_path / "mkdocs.yml", tmp_path / "site")
    assert build.returncode != 0, "a failing cell must fail the build"
    assert "this cell fails" in build.stderr
    assert not (tmp_path / "site" / "labs" / "broken" / "index.html").exists()
