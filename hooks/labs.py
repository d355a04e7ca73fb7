"""MkDocs hook for the labs: `docs/labs/<name>.py`, jupytext percent-format files
that the mkdocs-jupyter plugin executes and renders as pages, in the site's style.

- `on_config` gives mkdocs-jupyter a kernel of its own, `lr-site-labs` (a kernelspec
  written under `.cache/jupyter/`), that runs `lab_kernel.py` before a lab's first
  cell: figures in the site's figure style, each as a light and a dark SVG. The lab
  files stay plain notebooks: a downloaded one draws with matplotlib's defaults.
- mkdocs-jupyter caches executed notebooks keyed by their source only, under a
  folder relative to the working directory. `on_config` moves its cache to
  `.cache/mkdocs-jupyter/<digest>/` beside mkdocs.yml, named after the versions of
  the packages that shape a lab's output and the files that draw its figures, so
  upgrading torch or changing the figure style re-runs the labs.
- `on_files` adds a notebook generated from each lab, `<name>.ipynb` (nbformat 4, no
  outputs), next to the copy of `<name>.py` that mkdocs-jupyter's `include_source`
  puts beside the page. Nothing generated is committed.
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
import hashlib
import itertools
import json
import os
import posixpath
import re
from importlib.metadata import version
from pathlib import Path

import jupytext
import markers
import nbformat
import snippet_runner
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files

HOOKS = Path(__file__).resolve().parent
LAB_PATTERN = "labs/*.py"  # as mkdocs-jupyter's `include` in mkdocs.yml
KERNELSPEC = {"display_name": "Python 3", "language": "python", "name": "python3"}
KERNEL = "lr-site-labs"  # the build's kernel: a lab's figures in the site's style
KERNEL_SETUP = HOOKS / "lab_kernel.py"
# Run in a namespace of its own, so a lab that forgets an import fails here too.
KERNEL_SETUP_LINE = f"import runpy; runpy.run_path({str(KERNEL_SETUP)!r}); del runpy"
# Packages whose version changes what a lab prints or draws, and the files that
# draw its figures.
OUTPUT_PACKAGES = ("torch", "scikit-learn", "matplotlib", "numpy", "nbconvert")
FIGURE_FILES = (KERNEL_SETUP, HOOKS / "snippet_worker.py", HOOKS / "figure.mplstyle")
WRAPPER = '<div class="jupyter-wrapper">'  # nbconvert's notebook starts here
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
FIGURE_RE = re.compile(
    r'<img alt="([^"]*)" src="data:image/svg\+xml;base64,([A-Za-z0-9+/=]+)'
    r'#only-(light|dark)"\s*/?>'
)
_figures: dict[str, str] = {}  # site path -> SVG text, for the current build


def is_lab(src_uri: str) -> bool:
    return fnmatch.fnmatchcase(src_uri, LAB_PATTERN) and "/" not in src_uri[5:]


def download_dir(src_uri: str, use_directory_urls: bool) -> str:
    """Where the page's downloads and figures live: the folder of its index.html."""
    stem = src_uri.removesuffix(".py")
    return stem if use_directory_urls else posixpath.dirname(stem)


def to_notebook(source: str) -> str:
    """A lab's percent-format source as .ipynb text: nbformat 4, no outputs, stable
    cell ids (so two builds give the same bytes)."""
    notebook = jupytext.reads(source, fmt="py:percent")
    notebook.metadata = nbformat.NotebookNode(
        kernelspec=KERNELSPEC, language_info={"name": "python"}
    )
    for number, cell in enumerate(notebook.cells, 1):
        cell.id = f"cell-{number}"
        cell.metadata = nbformat.NotebookNode()
    nbformat.validate(notebook)
    return nbformat.writes(notebook, version=4) + "\n"


def cache_dir(config_dir: str | Path) -> str:
    """mkdocs-jupyter's cache folder for the installed versions of OUTPUT_PACKAGES
    and the current FIGURE_FILES."""
    digest = hashlib.sha256()
    for name in OUTPUT_PACKAGES:
        digest.update(f"{name}{version(name)}\n".encode())
    for path in FIGURE_FILES:
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return str(Path(config_dir) / ".cache" / "mkdocs-jupyter" / digest.hexdigest()[:12])


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
    script, MathJax and Mermaid from a CDN); an error for any script left in the
    notebook that names another host."""
    start = page_html.find(WRAPPER)
    body = page_html if start == -1 else page_html[start:]
    for script in SCRIPT_RE.findall(body):
        if REMOTE_RE.search(script):
            raise ValueError(f"a script loads from another host: {script[:200]!r}")
    return body


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
    `<stem>-<n>-dark.svg` (numbered in page order), and those files' site paths and
    SVG text; `page_dir` is the folder of the page's HTML. The URI is replaced
    wherever the page has it: in the `<img>` and in the lightbox link around it."""
    files: dict[str, str] = {}
    urls: dict[str, str] = {}  # data URI -> the file's URL
    number = 0

    def to_file(match: re.Match) -> str:
        nonlocal number
        alt, data, variant = match.groups()
        number += variant == "light"  # each light one starts a figure
        uri = f"{stem}-{number}" + ("-dark" if variant == "dark" else "") + ".svg"
        files[uri] = base64.b64decode(data).decode()
        url = posixpath.relpath(uri, page_dir or ".") + f"#only-{variant}"
        urls[f"data:image/svg+xml;base64,{data}#only-{variant}"] = url
        return f'<img alt="{alt}" loading="lazy" src="{url}">'

    page_html = FIGURE_RE.sub(to_file, page_html)
    for data_uri, url in urls.items():  # the lightbox's link to the same figure
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


# ---------------------------------------------------------------- MkDocs events


def on_config(config):
    jupyter = config.plugins.get("mkdocs-jupyter")
    if jupyter is None:
        return config
    project = markers.project_root(config)
    kernels = write_kernelspec(project / ".cache" / "jupyter")
    paths = [str(kernels), *os.environ.get("JUPYTER_PATH", "").split(os.pathsep)]
    os.environ["JUPYTER_PATH"] = os.pathsep.join(dict.fromkeys(filter(None, paths)))
    jupyter.config["kernel_name"] = KERNEL
    if jupyter.config["cache"]:
        jupyter.config["cache_dir"] = cache_dir(project)
    return config


def on_pre_build(config) -> None:
    _figures.clear()


def on_files(files: Files, config) -> Files:
    for file in list(files):
        if file.abs_src_path is None or not is_lab(file.src_uri):
            continue
        name = posixpath.basename(file.src_uri).removesuffix(".py")
        folder = download_dir(file.src_uri, config.use_directory_urls)
        try:
            content = to_notebook(Path(file.abs_src_path).read_text(encoding="utf-8"))
        except Exception as err:
            raise PluginError(f"{file.src_uri}: cannot make a notebook: {err}") from err
        files.append(File.generated(config, f"{folder}/{name}.ipynb", content=content))
    return files


def on_page_content(html_text: str, page, config, files) -> str:
    if not is_lab(page.file.src_uri):
        return html_text
    name = posixpath.basename(page.file.src_uri).removesuffix(".py")
    try:
        html_text = notebook_body(html_text)
    except ValueError as err:
        raise PluginError(f"{page.file.src_uri}: {err}") from None
    html_text = site_code_blocks(number_cells(html_text))
    html_text = html_text.replace('class="anchor-link"', 'class="headerlink"')
    html_text = label_outputs(html_text, snippet_runner.output_title())
    page_dir = posixpath.dirname(page.file.dest_uri)
    stem = download_dir(page.file.src_uri, config.use_directory_urls) + f"/{name}"
    html_text, figures = extract_figures(html_text, stem, page_dir)
    _figures.update(figures)
    # No lightbox script here (70 KB): it would take the page over its 500 KB
    # budget. A click on a figure still opens it, as the SVG file itself.
    page.meta["glightbox"] = False
    return add_downloads(html_text, name)


def on_post_build(config) -> None:
    for uri, svg in _figures.items():
        path = Path(config.site_dir) / uri
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(svg, encoding="utf-8")
