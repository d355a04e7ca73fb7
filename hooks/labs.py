"""MkDocs hook for the labs: `docs/labs/<name>.py`, jupytext percent-format files
that the mkdocs-jupyter plugin executes and renders as pages.

- `on_files` adds a notebook generated from each lab, `<name>.ipynb` (nbformat 4, no
  outputs), next to the copy of `<name>.py` that mkdocs-jupyter's `include_source`
  puts beside the page. Nothing generated is committed.
- `on_page_content` adds the two download links under the lab's title, and removes
  the scripts nbconvert's template adds to load MathJax and Mermaid from a CDN: the
  site makes no request to another host. Any other script that names another host
  fails the build.
- Figures get alt text from the titles and axis labels their cell sets, instead of
  nbconvert's "No description has been provided for this image".
- mkdocs-jupyter caches executed notebooks keyed by their source only, under a
  folder relative to the working directory. `on_config` moves its cache to
  `.cache/mkdocs-jupyter/<versions>/` beside mkdocs.yml, named after the versions of
  the packages that shape a lab's output, so upgrading torch re-runs the labs.
- The notebook styles (about 590 kB that nbconvert inlines into every lab page) move
  to one shared file, `assets/labs/notebook-<hash>.css`, written after the build and
  linked from each lab page, so a reader downloads them once. The file ends with
  `SITE_CSS`: code in a lab takes the colours of the site's other code blocks
  (Material's variables, which follow the light/dark toggle and pass the contrast
  checks), instead of JupyterLab's.
"""

from __future__ import annotations

import fnmatch
import hashlib
import html
import itertools
import posixpath
import re
from importlib.metadata import version
from pathlib import Path

import jupytext
import nbformat
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files

LAB_PATTERN = "labs/*.py"  # as mkdocs-jupyter's `include` in mkdocs.yml
KERNELSPEC = {"display_name": "Python 3", "language": "python", "name": "python3"}

# nbconvert's templates mark these blocks with comments; each loads a CDN script.
REMOTE_BLOCKS = [
    re.compile(r"<!-- Load mathjax -->.*?<!-- End of mathjax configuration -->", re.S),
    re.compile(
        r'<script type="module">(?:(?!</script>).)*?mermaid.*?'
        r"<!-- End of mermaid configuration -->",
        re.S,
    ),
]
# Packages whose version changes what a lab prints or draws.
OUTPUT_PACKAGES = ("torch", "scikit-learn", "matplotlib", "numpy", "nbconvert")
SOURCE_RE = re.compile(r'<div [^>]*class="clipboard-copy-txt"[^>]*>(.*?)</div>', re.S)
NO_ALT = 'alt="No description has been provided for this image"'
LABEL_RE = re.compile(
    r"\b(set_title|suptitle|set_xlabel|set_ylabel)\(\s*(['\"])(.+?)\2\s*[,)]"
)
# Material's syntax colours (its .highlight rules) for nbconvert's .highlight-ipynb.
TOKEN_COLOURS = {
    "operator": "o ow",
    "punctuation": "p",
    "string": "cpf l s s1 s2 sb sc si ss",
    "special": "cp se sh sr sx",
    "number": "il m mb mf mh mi mo",
    "keyword": "k kd kn kp kr kt nd ni nl nt",  # codespell:ignore nd
    "name": "kc n",
    "constant": "bp nb no",
    "function": "nc ne nf nn",
    "comment": "c c1 ch cm cs sd",
    "variable": "na nv vc vg vi",
    "generic": "ge gh go gp gr gs gt gu",
}
CODE = ".jupyter-wrapper .highlight-ipynb"
SITE_CSS = "\n".join(
    [
        f"{CODE}, {CODE} pre {{ background-color: var(--md-code-bg-color);"
        " color: var(--md-code-fg-color); }",
        *(
            ", ".join(f"{CODE} .{token}" for token in tokens.split())
            + f" {{ color: var(--md-code-hl-{kind}-color); font-style: normal; }}"
            for kind, tokens in TOKEN_COLOURS.items()
        ),
    ]
)
STYLE_RE = re.compile(r'<style type="text/css">(.*?)</style>', re.S)
CSS_DIR = "assets/labs"
_stylesheets: dict[str, str] = {}  # site path -> CSS, for the current build
SCRIPT_RE = re.compile(r"<script\b[^>]*>.*?</script>", re.S | re.I)
REMOTE_RE = re.compile(r"(?:https?:)?//[\w.-]+\.[a-z]{2,}", re.I)


def is_lab(src_uri: str) -> bool:
    return fnmatch.fnmatchcase(src_uri, LAB_PATTERN) and "/" not in src_uri[5:]


def download_dir(src_uri: str, use_directory_urls: bool) -> str:
    """Where the page's downloads live: the folder of its index.html."""
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
    """mkdocs-jupyter's cache folder for the installed versions of OUTPUT_PACKAGES."""
    versions = "-".join(f"{name}{version(name)}" for name in OUTPUT_PACKAGES)
    digest = hashlib.sha256(versions.encode()).hexdigest()[:12]
    return str(Path(config_dir) / ".cache" / "mkdocs-jupyter" / digest)


def figure_alt(source: str) -> str:
    """Alt text for the figures a cell draws: its titles, then its axis labels."""
    found: dict[str, list[str]] = {}
    for call, _, text in LABEL_RE.findall(source):
        kind = "title" if call in ("set_title", "suptitle") else call[4]
        found.setdefault(kind, []).append(text)
    parts = ["; ".join(found.get("title", ["Figure"]))]
    for axis in ("x", "y"):
        if axis in found:
            labels = ", ".join(dict.fromkeys(found[axis]))
            parts.append(f"{axis} axis: {labels}")
    return ". ".join(parts)


def add_alt_text(page_html: str) -> str:
    """Each figure's generic alt text replaced by one made from its cell's code."""
    sources = [
        (m.end(), html.unescape(m.group(1))) for m in SOURCE_RE.finditer(page_html)
    ]
    pieces, last = [], 0
    for match in re.finditer(re.escape(NO_ALT), page_html):
        source = next(
            (text for end, text in reversed(sources) if end < match.start()), ""
        )
        alt = html.escape(figure_alt(source), quote=True)
        pieces += [page_html[last : match.start()], f'alt="{alt}"']
        last = match.end()
    return "".join(pieces) + page_html[last:]


def strip_remote_scripts(page_html: str) -> str:
    """The page without the CDN-loading blocks; an error for any other script that
    names another host."""
    for block in REMOTE_BLOCKS:
        page_html = block.sub("", page_html)
    for script in SCRIPT_RE.findall(page_html):
        if REMOTE_RE.search(script):
            raise ValueError(f"a script loads from another host: {script[:200]!r}")
    return page_html


def extract_styles(page_html: str) -> tuple[str, str]:
    """The page without its notebook <style> blocks (before the notebook itself),
    and their CSS joined."""
    head_end = page_html.find('<div class="jupyter-wrapper">')
    head_end = len(page_html) if head_end == -1 else head_end
    head, body = page_html[:head_end], page_html[head_end:]
    css = "\n".join(block.strip() for block in STYLE_RE.findall(head))
    return STYLE_RE.sub("", head) + body, css and f"{css}\n{SITE_CSS}\n"


def stylesheet_uri(css: str) -> str:
    digest = hashlib.sha256(css.encode()).hexdigest()[:10]
    return f"{CSS_DIR}/notebook-{digest}.css"


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


# ---------------------------------------------------------------- MkDocs events


def on_config(config):
    jupyter = config.plugins.get("mkdocs-jupyter")
    if jupyter is not None and jupyter.config["cache"]:
        jupyter.config["cache_dir"] = cache_dir(Path(config.config_file_path).parent)
    return config


def on_pre_build(config) -> None:
    _stylesheets.clear()


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


CELL_ID_RE = re.compile(r'id="cell-id=[0-9a-f-]+"')


def number_cells(page_html: str) -> str:
    """jupytext gives cells random ids on every read, and nbconvert writes them into
    the page; number them instead, so two builds give the same bytes."""
    numbers = itertools.count(1)
    return CELL_ID_RE.sub(lambda _: f'id="cell-{next(numbers)}"', page_html)


def on_page_content(html_text: str, page, config, files) -> str:
    if not is_lab(page.file.src_uri):
        return html_text
    name = posixpath.basename(page.file.src_uri).removesuffix(".py")
    try:
        html_text = strip_remote_scripts(html_text)
    except ValueError as err:
        raise PluginError(f"{page.file.src_uri}: {err}") from None
    html_text = number_cells(add_alt_text(html_text))
    html_text, css = extract_styles(html_text)
    if css:
        uri = stylesheet_uri(css)
        _stylesheets[uri] = css
        href = posixpath.relpath(uri, posixpath.dirname(page.file.dest_uri))
        html_text = f'<link rel="stylesheet" href="{href}">\n' + html_text
    return add_downloads(html_text, name)


def on_post_build(config) -> None:
    for uri, css in _stylesheets.items():
        path = Path(config.site_dir) / uri
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(css, encoding="utf-8")
