"""MkDocs hook for the labs: `docs/labs/<name>.py`, jupytext percent-format files
that mkdocs-jupyter's converter executes and renders as pages, in the site's style.

- Each lab is a page of its own, rendered by mkdocs-jupyter's converter
  (`mkdocs_jupyter.convert.nb2html`), which executes it. The converter is not
  loaded as a plugin: importing it (nbconvert) costs a fifth of a warm build, so
  only the process that runs a lab imports it. `on_files` starts one such process
  (`python hooks/labs.py`) for each lab whose page is not cached, before the
  snippets run, so labs and snippets share the cores; the page waits for it.
- The kernel is `lr-site-labs` (a kernelspec written under `.cache/jupyter/`), which
  runs `lab_kernel.py` before a lab's first cell: figures in the site's figure
  style, each as a light and a dark SVG. The lab files stay plain notebooks: a
  downloaded one draws with matplotlib's defaults.
- Each executed page is cached in `.cache/labs/`, keyed on the lab's source, the
  converter's settings, the versions of Python and of the packages that shape a
  lab's output and the files that draw its figures, so upgrading torch or
  changing the figure style runs the labs again. Entries no lab uses are deleted.
- `on_files` adds a notebook generated from each lab, `<name>.ipynb` (nbformat 4, no
  outputs), and a copy of `<name>.py`, beside the page. Nothing generated is
  committed.
- `on_page_content` keeps the notebook itself and drops nbconvert's page header:
  its 590 kB of JupyterLab styles, its copy-button script and the scripts that load
  MathJax and Mermaid from a CDN (the site makes no request to another host; any
  other script that names another host fails the build). Code cells become the
  site's code blocks (Material's colours and copy button), text outputs the site's
  output blocks ("Output with torch <version>"), and each figure two files beside
  the page, `<name>-<n>.svg` and `<name>-<n>-dark.svg`, shown as the snippets' are
  (`#only-light` / `#only-dark`). Material's styles are all a lab page needs.
"""

from __future__ import annotations

import base64
import fnmatch
import functools
import hashlib
import itertools
import json
import logging
import os
import posixpath
import re
import subprocess
import sys
import tempfile
import threading
import time
from importlib.metadata import version
from pathlib import Path

import figures
import markers
import snippet_runner
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File, Files
from mkdocs.structure.toc import get_toc

log = logging.getLogger("mkdocs.hooks.labs")

HOOKS = Path(__file__).resolve().parent
LAB_PATTERN = "labs/*.py"  # the labs, under docs/
KERNELSPEC = {"display_name": "Python 3", "language": "python", "name": "python3"}
KERNEL = "lr-site-labs"  # the build's kernel: a lab's figures in the site's style
KERNEL_SETUP = HOOKS / "lab_kernel.py"
# Run in a namespace of its own, so a lab that forgets an import fails here too.
KERNEL_SETUP_LINE = f"import runpy; runpy.run_path({str(KERNEL_SETUP)!r}); del runpy"
# How mkdocs-jupyter's converter renders a lab: executed in the build's kernel, a
# failing cell fails the build, no In/Out prompts (code cells look like the site's).
CONVERT = {
    "execute": True,
    "kernel_name": KERNEL,
    "allow_errors": False,
    "no_prompt": True,
}
# Packages whose version changes what a lab prints or draws, and the files that
# draw its figures.
OUTPUT_PACKAGES = snippet_runner.RESULT_PACKAGES
# The converter: the notebook made from the script, the kernel, its HTML.
OUTPUT_PACKAGES += ("jupytext", "nbformat", "nbclient", "ipykernel")
OUTPUT_PACKAGES += ("nbconvert", "mkdocs-jupyter", "pygments", "ipython")
OUTPUT_PACKAGES += ("mistune", "bleach", "beautifulsoup4")  # nbconvert's HTML
FIGURE_FILES = (
    KERNEL_SETUP,
    *figures.FIGURE_CODE,  # the figures' style, drawing and contract
    HOOKS / "figure_html.py",
)
CACHE_DIR = Path(".cache") / "labs"  # under the project folder
HEADING_RE = re.compile(r'<h([1-6]) id="([^"]+)"[^>]*>(.*?)</h\1>', re.S)
HEADING_LINK_RE = re.compile(r'<a class="anchor-link"[^>]*>.*?</a>|<[^>]+>', re.S)
WRAPPER = '<div class="jupyter-wrapper">'  # nbconvert's notebook starts here
PAGE_END_RE = re.compile(r"</body>\s*</html>\s*\Z", re.I)  # and its page ends
# nbconvert makes each cell's input and output a tab stop.
NOTEBOOK_TAB_STOP_RE = re.compile(r'(<div class="jp-[^"]*"[^>]*?) tabindex="0"')
SCRIPT_RE = re.compile(r"<script\b[^>]*>.*?</script>", re.S | re.I)
REMOTE_RE = re.compile(r"(?:https?:)?//[\w.-]+\.[a-z]{2,}", re.I)
CODE_RE = re.compile(
    r'<div class="highlight-ipynb hl-python"><pre>(.*?)</pre></div>', re.S
)
COPY_RE = re.compile(
    r'<div class="zeroclipboard-container">.*?</clipboard-copy>\s*</div>'
    r'|<div [^>]*class="clipboard-copy-txt"[^>]*>.*?</div>',
    re.S,
)
TEXT_OUTPUT_RE = re.compile(
    r'(<div class="jp-RenderedText jp-OutputArea-output" data-mime-type="text/plain")'
    r"[^>]*>\s*<pre>(.*?)</pre>",
    re.S,
)
FIGURE_RE = re.compile(  # attributes in alphabetical order, as the converter writes
    r'<img alt="([^"]*)"( class="off-glb")? '
    r'src="data:image/svg\+xml;base64,([A-Za-z0-9+/=]+)#only-(light|dark)"\s*/?>'
)
PHONE_RE = re.compile(  # a figure's phone variant, in its <picture>
    r'<source media="([^"]*)" srcset="data:image/svg\+xml;base64,([A-Za-z0-9+/=]+)'
    r'#phone-(light|dark)"\s*/?>'
)
_figures: dict[str, str] = {}  # site path -> SVG text, for the current build


def is_lab(src_uri: str) -> bool:
    return fnmatch.fnmatchcase(src_uri, LAB_PATTERN) and "/" not in src_uri[5:]


def download_dir(src_uri: str) -> str:
    """Where the page's downloads and figures live: the folder of its index.html
    (use_directory_urls, which on_files requires)."""
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


@functools.cache  # once a build: reading package metadata takes milliseconds
def _renderer_digest() -> bytes:
    digest = hashlib.sha256(json.dumps(CONVERT, sort_keys=True).encode())
    digest.update(sys.version.encode())
    for name in OUTPUT_PACKAGES:
        digest.update(f"{name}{version(name)}\n".encode())
    for path in FIGURE_FILES:
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.digest()


def lab_key(source: bytes) -> str:
    """What can change a lab's page: its source, the converter and its settings,
    the versions of Python and of OUTPUT_PACKAGES, and the FIGURE_FILES."""
    return hashlib.sha256(_renderer_digest() + source).hexdigest()


def write_kernelspec(folder: Path) -> Path:
    """The build's kernel, `folder/kernels/lr-site-labs/kernel.json`: ipykernel that
    runs KERNEL_SETUP first. Returns `folder`, for JUPYTER_PATH."""
    spec = {
        "argv": [
            "python",  # jupyter_client runs it with the build's own Python
            *("-m", "ipykernel_launcher", "-f", "{connection_file}"),
            f"--IPKernelApp.exec_lines={KERNEL_SETUP_LINE}",
            # Its own log only warns that a local kernel talks over TCP; a failing
            # cell still fails the build (allow_errors: false).
            "--IPKernelApp.log_level=ERROR",
        ],
        "display_name": "Python 3 (the site's figure style)",
        "language": "python",
    }
    path = folder / "kernels" / KERNEL / "kernel.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(spec, indent=1) + "\n"
    if not path.is_file() or path.read_text() != text:
        path.write_text(text)
    return folder


def notebook_body(page_html: str) -> str:
    """The notebook without nbconvert's page header (its styles, its copy-button
    script, MathJax and Mermaid from a CDN) and without its page's end; an error for
    any script left in the notebook that names another host."""
    start = page_html.find(WRAPPER)
    body = page_html if start == -1 else page_html[start:]
    # Inside Material's page, nbconvert's own </body></html> would close it early.
    body = PAGE_END_RE.sub("", body)
    for script in SCRIPT_RE.findall(body):
        if REMOTE_RE.search(script):
            raise ValueError(f"a script loads from another host: {script[:200]!r}")
    return body


# A code cell tagged `checks` (`# %% tags=["checks"]` in the lab's source) asserts
# what the text says of the run: it is folded, as a snippet's checks are, so the
# learner's cells hold the lesson. A cell runs from its div to the next cell's, or
# to the end of the notebook; a code cell's div holds another right away.
CELL_START_RE = re.compile(r'<div class="jp-Cell jp-[^"]*"[^>]*>')
NOTEBOOK_END = "</div> <!-- jp-Notebook -->"
TAG_TOOLBAR_RE = re.compile(
    r'<div class="celltoolbar">\s*<div class="button_container tags_button_container">'
    r".*?</div>\s*</div>\s*",
    re.S,
)
CHECKS_SUMMARY = (
    "Checks: what the text says of this run, asserted when the site is built"
)


def fold_check_cells(page_html: str) -> str:
    """Each cell tagged `checks` inside a fold, without the tag's toolbar."""
    starts, inner_at = [], -1
    for match in CELL_START_RE.finditer(page_html):
        if page_html[inner_at : match.start()].strip() or inner_at < 0:
            starts.append(match.start())  # not the div right inside the one before
        inner_at = match.end()
    if starts and NOTEBOOK_END not in page_html:  # nbconvert changed its page
        raise ValueError(f"no {NOTEBOOK_END!r} after the notebook's cells")
    ends = [*starts[1:], page_html.find(NOTEBOOK_END)]
    for start, end in reversed(list(zip(starts, ends, strict=True))):
        cell = page_html[start:end]
        if "celltag_checks" not in cell[: cell.find(">")]:
            continue
        cell = TAG_TOOLBAR_RE.sub("", cell)
        folded = (
            f'<details class="fold"><summary>{CHECKS_SUMMARY}</summary>{cell}</details>'
        )
        page_html = page_html[:start] + folded + page_html[end:]
    return page_html


def site_code_blocks(page_html: str) -> str:
    """Code cells as the site's code blocks: Material colours them and adds its copy
    button, so nbconvert's copy button and the hidden copy of the source go."""
    page_html = COPY_RE.sub("", page_html)
    return CODE_RE.sub(
        lambda m: (
            '<div class="language-python highlight"><pre><span></span><code>'
            + m.group(1).removeprefix("<span></span>")
            + "</code></pre></div>"
        ),
        page_html,
    )


def label_outputs(page_html: str, title: str) -> str:
    """Each text output as the site's output block, titled like the snippets'."""
    return TEXT_OUTPUT_RE.sub(
        lambda m: (
            f'{m.group(1)}><div class="highlight"><span class="filename">'
            f"{title}</span><pre><span></span><code>{m.group(2)}</code></pre></div>"
        ),
        page_html,
    )


def extract_figures(
    page_html: str, stem: str, page_dir: str
) -> tuple[str, dict[str, str]]:
    """The page with each figure's data URI replaced by a file, `<stem>-<n>.svg` and
    `<stem>-<n>-dark.svg` (numbered in page order), their phone variants (in a
    `<picture>`'s `<source>`) `<stem>-<n>-phone.svg` and `-phone-dark.svg`, and
    those files' site paths and SVG text; `page_dir` is the folder of the page's
    HTML. The link around each picture opens the light file, also from the dark
    one: opened alone, a dark figure's light text stands on the browser's white."""
    files: dict[str, str] = {}
    links: dict[str, str] = {}  # data URI -> the URL its link opens
    numbers = {"": 0, "phone-": 0}

    def to_file(match: re.Match, phone: str) -> str:
        if phone:
            attribute, data, variant = match.groups()
        else:
            attribute, off, data, variant = match.groups()
        numbers[phone] += variant == "light"  # each light one starts a figure
        number = numbers[phone]
        dark = "-dark" if variant == "dark" else ""
        uri = f"{stem}-{number}" + ("-phone" if phone else "") + f"{dark}.svg"
        files[uri] = svg = base64.b64decode(data).decode()
        url = posixpath.relpath(uri, page_dir or ".")
        width, height = snippet_runner.svg_size(svg)
        size = f'width="{width}" height="{height}"'
        if phone:
            return f'<source media="{attribute}" srcset="{url}" {size}>'
        light = posixpath.relpath(f"{stem}-{number}.svg", page_dir or ".")
        links[f"data:image/svg+xml;base64,{data}#only-{variant}"] = light
        off = off or ""
        return (
            f'<img alt="{attribute}" loading="lazy" {size} src="{url}#only-{variant}"'
            f"{off}>"
        )

    page_html = FIGURE_RE.sub(lambda m: to_file(m, ""), page_html)
    page_html = PHONE_RE.sub(lambda m: to_file(m, "phone-"), page_html)
    for data_uri, url in links.items():  # what is left of it: the link's address
        page_html = page_html.replace(data_uri, url)
    return page_html, files


def downloads_html(name: str) -> str:
    links = [
        f'<a class="md-button" href="{name}.ipynb" download>'
        f"Download {name}.ipynb (notebook)</a>",
        f'<a class="md-button" href="{name}.py" download>'
        f"Download {name}.py (script)</a>",
    ]
    return '<p class="lab-downloads">' + " ".join(links) + "</p>"


def add_downloads(page_html: str, name: str) -> str:
    """The download links right after the first heading (or first, without one)."""
    end = page_html.find("</h1>")
    if end == -1:
        return downloads_html(name) + page_html
    end += len("</h1>")
    return page_html[:end] + downloads_html(name) + page_html[end:]


CELL_ID_RE = re.compile(r'id="cell-id=[0-9a-f-]+"')


def number_cells(page_html: str) -> str:
    """jupytext gives cells random ids on every read, and nbconvert writes them into
    the page; number them instead, so two builds give the same bytes."""
    numbers = itertools.count(1)
    return CELL_ID_RE.sub(lambda _: f'id="cell-{next(numbers)}"', page_html)


def page_toc(page_html: str) -> list[dict]:
    """The headings of a converted lab as MkDocs' table-of-contents tokens, each
    nested under the last heading of a higher level before it."""
    tokens: list[dict] = []
    parents: list[dict] = []  # the headings a new one may nest under
    for level, anchor, inner in HEADING_RE.findall(page_html):
        name = HEADING_LINK_RE.sub("", inner).strip()
        token = {"level": int(level), "id": anchor, "name": name, "children": []}
        while parents and parents[-1]["level"] >= token["level"]:
            parents.pop()
        (parents[-1]["children"] if parents else tokens).append(token)
        parents.append(token)
    return tokens


class LabPage(File):
    """A lab's source file, built as a page (MkDocs builds only Markdown ones)."""

    def is_documentation_page(self) -> bool:
        return True


class LabRun:
    """A lab executed and converted in a process of its own (this file run as a
    script), which writes the page's HTML to `entry` in the cache. The process
    ends when its standard input does: at `end_input`, or when this build ends
    however it ends."""

    def __init__(self, source: Path, entry: Path) -> None:
        self.entry = entry
        self.errors = tempfile.TemporaryFile()  # a file: a pipe could fill and block
        self.start = time.perf_counter()
        self.process = subprocess.Popen(
            [sys.executable, __file__, str(source), str(entry)],
            stdin=subprocess.PIPE,
            stdout=self.errors,
            stderr=self.errors,
        )

    def html(self, name: str) -> str:
        """The page, once the process ends; PluginError with its error if it failed."""
        status = self.process.wait()
        self.errors.seek(0)
        errors = self.errors.read().decode(errors="replace")[-6000:]
        self.stop()
        if status != 0:
            raise PluginError(f"{name} failed to run (exit status {status}):\n{errors}")
        log.info(f"Ran {name} in {time.perf_counter() - self.start:.1f} s")
        return self.entry.read_text(encoding="utf-8")

    def end_input(self) -> None:
        """Tell the run to end: it exits when its standard input closes."""
        if not self.process.stdin.closed:
            self.process.stdin.close()

    def stop(self) -> None:
        """End the run if it still runs (its kernel ends with it)."""
        self.end_input()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.errors.close()


_runs: dict[str, LabRun | Path] = {}  # lab -> its run, or its cached page


def convert_lab(source: str, entry: str) -> None:
    """In the lab's own process: execute and convert it, then write the HTML."""
    from mkdocs_jupyter.convert import nb2html

    markers.write_atomically(Path(entry), nb2html(source, **CONVERT))


# ---------------------------------------------------------------- MkDocs events


def on_config(config):
    _renderer_digest.cache_clear()  # `serve` loads hooks once: see edited files
    project = markers.project_root(config)
    kernels = write_kernelspec(project / ".cache" / "jupyter")
    paths = [str(kernels), *os.environ.get("JUPYTER_PATH", "").split(os.pathsep)]
    os.environ["JUPYTER_PATH"] = os.pathsep.join(dict.fromkeys(filter(None, paths)))
    return config


def on_pre_build(config) -> None:
    _figures.clear()


@event_priority(50)  # before the snippets' on_files, which waits for them all
def on_files(files: Files, config) -> Files:
    """Each lab becomes a page, started now if it is not cached, with its notebook
    and its script beside it; cache entries no lab uses are deleted."""
    _runs.clear()
    cache = markers.project_root(config) / CACHE_DIR
    cache.mkdir(parents=True, exist_ok=True)
    pages, downloads, used = [], [], set()
    for file in files:
        excluded = not file.inclusion.is_in_serve()  # in exclude_docs: never shown
        if file.abs_src_path is None or not is_lab(file.src_uri) or excluded:
            pages.append(file)
            continue
        if not config.use_directory_urls:  # the page and its .py would share a path
            raise PluginError("the labs need use_directory_urls: true in mkdocs.yml")
        source = Path(file.abs_src_path).read_bytes()
        key = lab_key(source)
        used.add(key)
        entry = cache / f"{key}.html"
        lab_path = Path(file.abs_src_path)
        _runs[file.src_uri] = entry if entry.is_file() else LabRun(lab_path, entry)
        notebook = cache / f"{key}.ipynb"
        if not notebook.is_file():
            try:
                markers.write_atomically(notebook, to_notebook(source.decode()))
            except Exception as err:
                raise PluginError(
                    f"{file.src_uri}: cannot make a notebook: {err}"
                ) from err
        page = LabPage(
            file.src_path, file.src_dir, file.dest_dir, file.use_directory_urls
        )
        page.inclusion = file.inclusion
        pages.append(page)
        name = posixpath.basename(file.src_uri).removesuffix(".py")
        folder = download_dir(file.src_uri)
        notebook_text = notebook.read_text(encoding="utf-8")
        for suffix, content in ((".ipynb", notebook_text), (".py", source)):
            uri = f"{folder}/{name}{suffix}"
            downloads.append(File.generated(config, uri, content=content))
    for stale in cache.iterdir():  # pages and notebooks: a run's own files stay
        if stale.suffix in (".html", ".ipynb") and stale.stem not in used:
            stale.unlink(missing_ok=True)
    return Files(pages + downloads)  # the pages in their order: nav, sitemap


def on_pre_page(page, config, files):
    if page.file.src_uri in _runs:
        page.render = functools.partial(render_lab, page)  # not as Markdown
    return page


def render_lab(page, config, files) -> None:
    """The lab's executed page (its run waited for), table of contents and title."""
    run = _runs[page.file.src_uri]
    if isinstance(run, LabRun):
        page_html = run.html(page.file.src_uri)
    else:
        page_html = run.read_text(encoding="utf-8")
    tokens = page_toc(page_html)
    page.content, page.toc = page_html, get_toc(tokens)
    if tokens and tokens[0]["level"] == 1:
        page.title = tokens[0]["name"]


def on_build_error(error) -> None:
    _stop_runs()


def _stop_runs() -> None:
    """Every run this build started and no page waited for, stopped: all told
    first, so they end together."""
    runs = [run for run in _runs.values() if isinstance(run, LabRun)]
    for run in runs:
        run.end_input()
    for run in runs:
        run.stop()


def on_page_content(html_text: str, page, config, files) -> str:
    if not is_lab(page.file.src_uri):
        return html_text
    name = posixpath.basename(page.file.src_uri).removesuffix(".py")
    try:
        html_text = fold_check_cells(notebook_body(html_text))
    except ValueError as err:
        raise PluginError(f"{page.file.src_uri}: {err}") from None
    html_text = site_code_blocks(number_cells(html_text))
    # Not every cell a tab stop: Material makes a code block one where it
    # scrolls, as on the other pages, and a figure's link is one.
    html_text = NOTEBOOK_TAB_STOP_RE.sub(r"\1", html_text)
    # A heading's link as Material writes the others.
    heading_link = 'class="headerlink" title="Permanent link"'
    html_text = html_text.replace('class="anchor-link"', heading_link)
    html_text = label_outputs(html_text, snippet_runner.output_title())
    page_dir = posixpath.dirname(page.file.dest_uri)
    stem = download_dir(page.file.src_uri) + f"/{name}"
    html_text, figures = extract_figures(html_text, stem, page_dir)
    _figures.update(figures)
    # No lightbox script here (70 KB): it would take the page over its 500 KB
    # budget. A click on a figure still opens it, as the SVG file itself.
    page.meta["glightbox"] = False
    return add_downloads(html_text, name)


def on_post_build(config) -> None:
    _stop_runs()  # a lab no page showed (excluded, say) must not run on
    for uri, svg in _figures.items():
        path = Path(config.site_dir) / uri
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(svg, encoding="utf-8")


if __name__ == "__main__":
    # The build holds this pipe open: once it closes, stopped or ended, so does
    # this run, instead of running on alone (the kernel sees its parent go).
    def end_with_the_build() -> None:
        sys.stdin.read()
        os._exit(1)

    threading.Thread(target=end_with_the_build, daemon=True).start()
    convert_lab(*sys.argv[1:])
