"""The HTML of a converted lab, rewritten into the site's style: plain functions from
str to str (no MkDocs), which hooks/labs.py calls on each lab's page.

nbconvert's page header goes (its styles, its copy-button script, MathJax and
Mermaid from a CDN; a script left that names another host is an error), cells
tagged `checks` are folded, code cells become the site's code blocks, text
outputs the site's output blocks, each figure files beside the page, and the
download links follow the first heading. `page_toc` reads the headings as MkDocs'
table-of-contents tokens.
"""

from __future__ import annotations

import base64
import itertools
import posixpath
import re

import snippet_runner
from markers import PageError

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
            raise PageError(f"a script loads from another host: {script[:200]!r}")
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
        raise PageError(f"no {NOTEBOOK_END!r} after the notebook's cells")
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
