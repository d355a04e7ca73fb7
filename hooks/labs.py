"""The labs: `docs/labs/<name>.py`, jupytext percent-format files
that mkdocs-jupyter's converter executes and renders as pages, in the site's style.

- Each lab is a page of its own, rendered by mkdocs-jupyter's converter
  (`mkdocs_jupyter.convert.nb2html`), which executes it. The converter is not
  loaded as a plugin: importing it (nbconvert) costs a fifth of a warm build, so
  only the process that runs a lab imports it. `Labs.add_pages` starts one such process
  (`python hooks/lab_run.py`) for each lab whose page is not cached, before the
  snippets run, so labs and snippets share the cores; the page waits for it.
- The kernel is `lr-site-labs` (a kernelspec written under `.cache/jupyter/`), which
  runs `lab_kernel.py` before a lab's first cell: figures in the site's figure
  style, each as a light and a dark SVG. The lab files stay plain notebooks: a
  downloaded one draws with matplotlib's defaults.
- Each executed page is cached in `.cache/labs/`, keyed on the lab's source, the
  converter's settings, the versions of Python and of the packages that shape a
  lab's output and the files that draw its figures, so upgrading torch or
  changing the figure style runs the labs again. Entries no lab uses are deleted.
- `add_pages` adds a notebook generated from each lab, `<name>.ipynb` (nbformat 4, no
  outputs), and a copy of `<name>.py`, beside the page. Nothing generated is
  committed.
- `page_html` keeps the notebook itself and drops nbconvert's page header:
  its 590 kB of JupyterLab styles, its copy-button script and the scripts that load
  MathJax and Mermaid from a CDN (the site makes no request to another host; any
  other script that names another host fails the build). Code cells become the
  site's code blocks (Material's colours and copy button), text outputs the site's
  output blocks ("Output with torch <version>"), and each figure four files beside
  the page, `<name>-<n>.svg`, `<name>-<n>-dark.svg` and their phone variants, shown
  as the snippets' are (figure_html.py). Material's styles are all a lab page needs.
"""

from __future__ import annotations

import fnmatch
import json
import os
import posixpath
import sys
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import get_toc

import cache
import figures
import lab_html
import lab_run
import snippet_runner

HOOKS = Path(__file__).resolve().parent
LAB_PATTERN = "labs/*.py"  # the labs, under docs/
KERNELSPEC = {"display_name": "Python 3", "language": "python", "name": "python3"}
# Packages whose version changes what a lab prints or draws, and the files that
# draw its figures.
OUTPUT_PACKAGES = snippet_runner.RESULT_PACKAGES
# The converter: the notebook made from the script, the kernel, its HTML.
OUTPUT_PACKAGES += ("jupytext", "nbformat", "nbclient", "ipykernel")
OUTPUT_PACKAGES += ("nbconvert", "mkdocs-jupyter", "pygments", "ipython")
OUTPUT_PACKAGES += ("mistune", "bleach", "beautifulsoup4")  # nbconvert's HTML
FIGURE_FILES = (
    lab_run.KERNEL_SETUP,
    *figures.FIGURE_CODE,  # the figures' style, drawing and contract
    HOOKS / "figure_html.py",
)
CACHE_DIR = Path(".cache") / "labs"  # under the project folder


def is_lab(src_uri: str) -> bool:
    return fnmatch.fnmatchcase(src_uri, LAB_PATTERN) and "/" not in src_uri[5:]


def download_dir(src_uri: str) -> str:
    """Where the page's downloads and figures live: the folder of its index.html
    (use_directory_urls, which add_pages requires)."""
    return src_uri.removesuffix(".py")


def to_notebook(source: str) -> str:
    """A lab's percent-format source as .ipynb text: nbformat 4, no outputs, stable
    cell ids (so two builds give the same bytes)."""
    import jupytext  # a tenth of a second: only when a lab changed
    import nbformat

    notebook = jupytext.reads(source, fmt="py:percent")
    notebook.metadata = nbformat.NotebookNode(
        kernelspec=KERNELSPEC, language_info={"name": "python"}
    )
    for number, cell in enumerate(notebook.cells, 1):
        cell.id = f"cell-{number}"
        cell.metadata = nbformat.NotebookNode()
    nbformat.validate(notebook)
    return nbformat.writes(notebook, version=4) + "\n"


def lab_key(source: bytes) -> str:
    """What can change a lab's page: its source, the converter and its settings,
    the versions of Python and of OUTPUT_PACKAGES, and the FIGURE_FILES."""
    settings = json.dumps(lab_run.CONVERT, sort_keys=True)
    return cache.key(
        settings, sys.version, *FIGURE_FILES, source, packages=OUTPUT_PACKAGES
    )


class LabPage(File):
    """A lab's source file, built as a page (MkDocs builds only Markdown ones)."""

    def is_documentation_page(self) -> bool:
        return True


class NotebookPage(Page):
    """A lab's page: its executed notebook (its run waited for), not Markdown."""

    def __init__(self, run: lab_run.LabRun | Path, file: File, config) -> None:
        self.run = run  # the lab's run, or its page cached
        super().__init__(None, file, config)

    def render(self, config, files) -> None:
        if isinstance(self.run, lab_run.LabRun):
            page_html = self.run.html(self.file.src_uri)
        else:
            page_html = self.run.read_text(encoding="utf-8")
        tokens = lab_html.page_toc(page_html)
        self.content, self.toc = page_html, get_toc(tokens)
        if tokens and tokens[0]["level"] == 1:
            self.title = tokens[0]["name"]


class Labs:
    """A build's labs: each started when the build has its files, waited for when
    its page renders, stopped when the build ends however it ends."""

    def __init__(self, project: Path) -> None:
        self.project = project
        self.runs: list[lab_run.LabRun] = []
        self.figures: dict[str, str] = {}  # site path -> SVG text

    def set_up_kernel(self) -> None:
        """The build's kernel, found by Jupyter through JUPYTER_PATH."""
        kernels = lab_run.write_kernelspec(self.project / ".cache" / "jupyter")
        paths = [str(kernels), *os.environ.get("JUPYTER_PATH", "").split(os.pathsep)]
        os.environ["JUPYTER_PATH"] = os.pathsep.join(dict.fromkeys(filter(None, paths)))

    def add_pages(self, files: Files, config) -> Files:
        """Each lab becomes a page, started now if it is not cached, with its
        notebook and its script beside it; cache entries no lab uses are deleted."""
        cached = self.project / CACHE_DIR
        cached.mkdir(parents=True, exist_ok=True)
        pages, downloads, used = [], [], set()
        for file in files:
            excluded = not file.inclusion.is_in_serve()  # in exclude_docs: not shown
            if file.abs_src_path is None or not is_lab(file.src_uri) or excluded:
                pages.append(file)
                continue
            if not config.use_directory_urls:  # the page and its .py: one path
                raise PluginError(
                    "the labs need use_directory_urls: true in mkdocs.yml"
                )
            lab_path = Path(file.abs_src_path)
            source = lab_path.read_bytes()
            key = lab_key(source)
            used.add(key)
            entry = cached / f"{key}.html"
            run = entry if entry.is_file() else lab_run.LabRun(lab_path, entry)
            if isinstance(run, lab_run.LabRun):
                self.runs.append(run)
            notebook = cached / f"{key}.ipynb"
            if not notebook.is_file():
                try:
                    cache.write_atomically(notebook, to_notebook(source.decode()))
                except Exception as err:
                    raise PluginError(
                        f"{file.src_uri}: cannot make a notebook: {err}"
                    ) from err
            page = LabPage(
                file.src_path, file.src_dir, file.dest_dir, file.use_directory_urls
            )
            page.inclusion = file.inclusion
            NotebookPage(run, page, config)  # the file's page: not Markdown
            pages.append(page)
            name = posixpath.basename(file.src_uri).removesuffix(".py")
            folder = download_dir(file.src_uri)
            notebook_text = notebook.read_text(encoding="utf-8")
            for suffix, content in ((".ipynb", notebook_text), (".py", source)):
                uri = f"{folder}/{name}{suffix}"
                downloads.append(File.generated(config, uri, content=content))
        for stale in cached.iterdir():  # pages and notebooks: a run's own files stay
            if stale.suffix in (".html", ".ipynb") and stale.stem not in used:
                stale.unlink(missing_ok=True)
        return Files(pages + downloads)  # the pages in their order: nav, sitemap

    def page_html(self, html_text: str, page) -> str:
        """A lab page's converted notebook in the site's style; its figures kept
        to be written beside it. PageError if the notebook is not as expected."""
        name = posixpath.basename(page.file.src_uri).removesuffix(".py")
        html_text = lab_html.fold_check_cells(lab_html.notebook_body(html_text))
        html_text = lab_html.site_code_blocks(lab_html.number_cells(html_text))
        # Not every cell a tab stop: Material makes a code block one where it
        # scrolls, as on the other pages, and a figure's link is one.
        html_text = lab_html.NOTEBOOK_TAB_STOP_RE.sub(r"\1", html_text)
        # A heading's link as Material writes the others.
        heading_link = 'class="headerlink" title="Permanent link"'
        html_text = html_text.replace('class="anchor-link"', heading_link)
        html_text = lab_html.label_outputs(html_text, snippet_runner.output_title())
        page_dir = posixpath.dirname(page.file.dest_uri)
        stem = download_dir(page.file.src_uri) + f"/{name}"
        html_text, figures = lab_html.extract_figures(html_text, stem, page_dir)
        self.figures.update(figures)
        # No lightbox script here (70 KB): it would take the page over its 500 KB
        # budget. A click on a figure still opens it, as the SVG file itself.
        page.meta["glightbox"] = False
        return lab_html.add_downloads(html_text, name)

    def stop(self) -> None:
        """Every run this build started and no page waited for, stopped: all told
        first, so they end together."""
        for run in self.runs:
            run.end_input()
        for run in self.runs:
            run.stop()

    def finish(self, site_dir: Path) -> None:
        """The build's end: no run goes on (a lab no page showed, excluded, say),
        and the figures are written beside their pages."""
        self.stop()
        for uri, svg in self.figures.items():
            path = site_dir / uri
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(svg, encoding="utf-8")
