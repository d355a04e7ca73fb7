"""MkDocs hook: `<!-- snippet: page/name.py -->` becomes the snippet's code, its
output and its figures, produced by running it at build time (see snippet_runner),
and `{{ name.value }}` in the prose the value that run left (see values).

A page shows the figure first: `<!-- figure: page/name.py -->` puts the snippet's
figures where the page reads them (`<!-- figure: page/name.py 2 -->` only its second;
the first must come before the code), and its `snippet:` marker, further down, then
shows the code, the output and any figure not shown apart. Without a `figure:`
marker the figures come first in the snippet's own block. In the code, a `# %% Title`
line (the cell marker editors know) starts a part that the page folds under that
title: the plotting and the checks. The copy button copies the whole runnable file.

A snippet that a quiz's curve-reading drill names (`"figure": "page/x.py 2"` in
quiz/<page>.json) runs too, though no page shows its code; its figures go to the
quiz hook through values.figures.

In a wrong/right pair (`x_wrong.py` and `x_right.py` shown on one page), the lines
each shows that the other does not have are highlighted, computed from the two files
(difflib), with a caption that says so in words.

Snippets run in `on_files`, before any page is rendered, so their figures can be
added to the site as generated files and a failing snippet stops the build early.
"""

from __future__ import annotations

import ast
import difflib
import html
import json
import logging
import re
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import figure_html
import markers
import snippet_runner
import values
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files

log = logging.getLogger("mkdocs.hooks.snippets")
markers.register("snippet", "figure")

BACKTICKS_RE = re.compile("`+")
FIGURE_DIR = "assets/snippets"  # where figures land in the built site
_results: dict[str, snippet_runner.Result] = {}  # snippet path -> result, per build
_project = Path.cwd()  # the folder of mkdocs.yml, set in on_config


def snippet_paths(markdown: str) -> list[str]:
    """The snippet paths a page names, relative to snippets/, in page order."""
    return [m.arg for m in markers.find_markers(markdown) if m.kind == "snippet"]


def quiz_snippet_paths(quiz_dir: Path) -> dict[str, str]:
    """The snippets whose figures the quizzes' drills show (`"figure": "page/x.py
    2"` in a multiple-choice item), each with the first quiz file naming it. A file
    that is not a quiz, or a path that names no snippet, is left to the quiz hook,
    which reports it with the file and the item."""
    found: dict[str, str] = {}
    for path in sorted(quiz_dir.rglob("*.json")) if quiz_dir.is_dir() else []:
        try:
            items = json.loads(path.read_text(encoding="utf-8")).get("choices", [])
            refs = [item["figure"] for item in items if "figure" in item]
        except (OSError, ValueError, AttributeError, TypeError):
            continue
        for ref in refs:
            rel = ref.partition(" ")[0] if isinstance(ref, str) else ""
            if rel.endswith(".py") and (quiz_dir.parent / "snippets" / rel).is_file():
                found.setdefault(rel, path.relative_to(quiz_dir.parent).as_posix())
    return found


def resolve(rel: str, snippets_dir: Path) -> Path:
    """The snippet file for a marker argument; a clear error if it is not one."""
    path = (snippets_dir / rel).resolve()
    if not rel.endswith(".py") or snippets_dir.resolve() not in path.parents:
        raise markers.MarkerError(f"snippet {rel!r} is not a .py file under snippets/")
    if not path.is_file():
        raise markers.MarkerError(f"snippet {rel!r} does not exist (snippets/{rel})")
    return path


def figure_uris(rel: str, number: int) -> dict[str, str]:
    """Site paths of a snippet's n-th figure: "light", "dark", and the phone's
    variants of both, "phone_light" and "phone_dark"."""
    stem = f"{FIGURE_DIR}/{rel.removesuffix('.py')}-{number}"
    return {
        "light": f"{stem}.svg",
        "dark": f"{stem}-dark.svg",
        "phone_light": f"{stem}-phone.svg",
        "phone_dark": f"{stem}-phone-dark.svg",
    }


def figure_files(figure: snippet_runner.Figure) -> dict[str, str]:
    """A figure's SVG texts by the keys of figure_uris."""
    return {key: getattr(figure, key) for key in figure_html.VARIANTS}


def _fence(text: str, info: str) -> str:
    longest = max(map(len, BACKTICKS_RE.findall(text)), default=0)
    ticks = "`" * max(3, longest + 1)
    return f"{ticks}{info}\n{text.rstrip()}\n{ticks}"


def _alt(text: str) -> str:
    return text.replace("\\", "\\\\").replace("[", "\\[").replace("]", "\\]")


FOLD_RE = re.compile(r"^# %%(?![^ \n])(.*)\n?", re.M)  # `# %%`, alone or + title


def split_folds(rel: str, code: str) -> tuple[str, list[tuple[str, str]]]:
    """The lines a page shows, then each folded part as (title, lines)."""
    pieces = FOLD_RE.split(code)
    shown, folds = pieces[0], list(zip(pieces[1::2], pieces[2::2], strict=True))
    for title, _ in folds:
        if not title.strip():
            raise markers.MarkerError(f"snippets/{rel}: a `# %%` line needs a title")
    return shown, [(title.strip(), body) for title, body in folds]


def render_figures(
    rel: str, result: snippet_runner.Result, page_url: str, numbers: list[int]
) -> str:
    """HTML for some of a snippet's figures (1-based), each a light and a dark
    picture with a phone's variant in it (figure_html), its files' addresses
    relative to the page's URL (`page_url`, as "reference/steplr/"): MkDocs does
    not rewrite the links of raw HTML as it does a Markdown image's."""
    from mkdocs.utils import get_relative_url

    pictures = []
    for number in numbers:
        figure = result.figures[number - 1]
        urls = {
            key: get_relative_url(uri, page_url)
            for key, uri in figure_uris(rel, number).items()
        }
        size = snippet_runner.svg_size(figure.light)
        phone_size = snippet_runner.svg_size(figure.phone_light)
        pictures.append(figure_html.picture(urls, figure.alt, size, phone_size))
    return (
        '<div class="snippet-figures" markdown>\n\n'
        + "\n\n".join(f"<p>{picture}</p>" for picture in pictures)
        + "\n\n</div>"
    )


PAIR = {"_wrong.py": ("_right.py", "right"), "_right.py": ("_wrong.py", "wrong")}
MOSTLY_DIFFERENT = 3 / 4  # above this share of a pair's lines changed, mark none


def partner(rel: str) -> tuple[str, str] | None:
    """The other snippet of a wrong/right pair, and what it is ("right" or
    "wrong"); None for a snippet not named as one of a pair."""
    for suffix, (other, kind) in PAIR.items():
        if rel.endswith(suffix):
            return rel.removesuffix(suffix) + other, kind
    return None


def _teaching_lines(code: str) -> list[tuple[int, str]]:
    """(line number, line) of the shown part after the module docstring."""
    shown, _ = split_folds("", code)
    tree = ast.parse(code)
    first = tree.body[0] if tree.body else None
    start = 0
    if (
        isinstance(first, ast.Expr)
        and isinstance(first.value, ast.Constant)
        and isinstance(first.value.value, str)
    ):
        start = first.end_lineno or 0
    lines = shown.splitlines()
    return [(n, lines[n - 1].rstrip()) for n in range(start + 1, len(lines) + 1)]


def changed_lines(code: str, other: str) -> tuple[list[int], list[int]]:
    """The numbers of the shown, non-blank lines of `code` and of `other` that the
    other one does not have at that place (difflib), docstrings left out. A line
    that differs only in its comment counts as changed."""
    mine, theirs = _teaching_lines(code), _teaching_lines(other)
    matcher = difflib.SequenceMatcher(
        None, [line for _, line in mine], [line for _, line in theirs], autojunk=False
    )
    a: list[int] = []
    b: list[int] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag != "equal":
            a += [n for n, line in mine[i1:i2] if line.strip()]
            b += [n for n, line in theirs[j1:j2] if line.strip()]
    return a, b


def diff_marks(code: str, other: str, kind: str) -> tuple[list[int], str]:
    """The lines of `code` to highlight against the other snippet of its pair
    (`kind`: "right" or "wrong"), and the caption that says it in words. When
    most of the pair's lines differ, marking them all would show nothing: none
    is marked, and the caption says why."""
    mine, theirs = changed_lines(code, other)
    own = sum(1 for _, line in _teaching_lines(code) if line.strip())
    counted = own + sum(1 for _, line in _teaching_lines(other) if line.strip())
    if not mine:
        return [], f"No line differs from the {kind} version."
    if (len(mine) + len(theirs)) > MOSTLY_DIFFERENT * counted:
        return [], (
            f"No line marked: {len(mine)} of its {own} lines differ from the {kind} "
            "version, so the two are best read whole."
        )
    lines = "line that differs" if len(mine) == 1 else f"{len(mine)} lines that differ"
    return (
        mine,
        f"Highlighted, with a bar on the left: the {lines} from the {kind} version.",
    )


def render_code(rel: str, code: str, other: str | None = None) -> str:
    """The shown lines, then each fold collapsed; copying either gives the file.
    `other`: the code of the other snippet of its wrong/right pair on the page,
    whose differing lines are then highlighted and named in a caption."""
    shown, folds = split_folds(rel, code)
    info = f'python title="snippets/{rel}"'
    caption = ""
    if other is not None and (pair := partner(rel)):
        marked, words = diff_marks(code, other, pair[1])
        if marked:
            info += f' hl_lines="{" ".join(map(str, marked))}"'
        caption = f'<p class="snippet-diff" markdown>{html.escape(words)}</p>\n\n'
    parts = [caption + _fence(shown, info)]
    for title, body in folds:
        lines = len(body.strip().splitlines())
        parts.append(
            f'??? fold "{html.escape(title)} ({lines} lines)"\n\n'
            + "\n".join("    " + line for line in _fence(body, "python").splitlines())
        )
    whole = html.escape(code, quote=True)
    body = "\n\n".join(parts)
    return (
        f'<div class="snippet-code" data-copy="{whole}" markdown>\n\n{body}\n\n</div>'
    )


def render(
    rel: str,
    code: str,
    result: snippet_runner.Result,
    page_url: str,
    figures=None,
    other: str | None = None,
) -> str:
    """Markdown for one snippet: its figures (those the page does not show apart),
    its code (with the lines that differ from `other`, the code of its pair's
    other snippet, highlighted), then its output."""
    if figures is None:
        figures = list(range(1, len(result.figures) + 1))
    parts = [render_figures(rel, result, page_url, figures)] if figures else []
    parts.append(render_code(rel, code, other))
    if result.output.strip():
        title = snippet_runner.output_title()
        parts.append(_fence(result.output, f'text title="{title}"'))
    body = "\n\n".join(parts)
    return f'<div class="snippet" markdown>\n\n{body}\n\n</div>'


def run_all(rels: list[str], project: Path) -> dict[str, snippet_runner.Result]:
    """Every snippet's result; those not cached run in parallel worker processes,
    each logged with its run time. Every failure is reported, not just the first."""

    def run(rel: str) -> snippet_runner.Result:
        path = resolve(rel, project / "snippets")
        cached = snippet_runner.cached_result(path, project)
        result = cached or snippet_runner.run_snippet(path, project)
        if cached is None:
            log.info(f"Ran snippets/{rel} in {result.seconds:.1f} s")
        return result

    pool_size = len(snippet_runner.shared_pool().workers)
    with ThreadPoolExecutor(pool_size) as threads:
        futures = {rel: threads.submit(run, rel) for rel in rels}
    results, failures = {}, []
    for rel, future in futures.items():
        try:
            results[rel] = future.result()
        except (snippet_runner.SnippetError, markers.MarkerError, OSError) as err:
            failures.append(f"snippet {rel}: {err}")
    if failures:
        count = f"{len(failures)} of {len(rels)} snippets failed"
        raise PluginError(f"{count}:\n\n" + "\n\n".join(failures))
    return results


# ---------------------------------------------------------------- MkDocs events


def on_startup(command: str, dirty: bool) -> None:
    if command == "serve":  # edits will run snippets: have a worker ready
        snippet_runner.shared_pool().start_one_in_background()


def on_config(config):
    global _project
    _project = markers.project_root(config)
    snippet_runner.reload_worker_if_edited()
    return config


def on_files(files: Files, config) -> Files:
    used: dict[str, str] = {}  # snippet -> first page naming it
    for file in files.documentation_pages():
        try:
            for rel in snippet_paths(file.content_string):
                used.setdefault(rel, file.src_uri)
        except markers.MarkerError as err:
            raise PluginError(f"{file.src_uri}: {err}") from None
    for rel, quiz_file in quiz_snippet_paths(_project / "quiz").items():
        used.setdefault(rel, quiz_file)  # a drill's figure: run, never shown as code
    _results.clear()
    _results.update(run_all(sorted(used), _project))
    values.runs.clear()
    values.runs.update({rel: result.values for rel, result in _results.items()})
    values.figures.clear()
    for rel, result in _results.items():
        values.figures[rel] = []
        for number, figure in enumerate(result.figures, 1):
            uris = figure_uris(rel, number)
            for key, svg in figure_files(figure).items():
                files.append(File.generated(config, uris[key], content=svg))
            width, height = snippet_runner.svg_size(figure.light)
            phone_width, phone_height = snippet_runner.svg_size(figure.phone_light)
            values.figures[rel].append(
                uris
                | {"alt": figure.alt, "width": width, "height": height}
                | {"phone_width": phone_width, "phone_height": phone_height}
            )
    snippets_dir = _project / "snippets"
    used_paths = [resolve(rel, snippets_dir) for rel in used]
    if pruned := snippet_runner.prune_cache(used_paths, _project):
        log.info(f"Deleted {pruned} cached snippet result(s) no page uses")
    for path in sorted(snippets_dir.rglob("*.py")):
        rel = path.relative_to(snippets_dir).as_posix()
        if rel not in used:
            log.warning(f"snippets/{rel} is used by no page: add a marker or delete it")
    return files


def on_page_markdown(markdown: str, page, config, files) -> str:
    snippets_dir = _project / "snippets"
    shown_apart: dict[str, set[int]] = {}  # snippet -> figures `figure:` markers show

    def render_figure_marker(marker: markers.Marker) -> str:
        rel, _, which = marker.arg.partition(" ")  # `page/x.py`, or `page/x.py 2`
        later = {
            m.arg for m in page_markers if m.kind == "snippet" and m.line > marker.line
        }
        if which in ("", "1") and rel not in later:
            raise markers.MarkerError(
                f"line {marker.line}: the figure of {rel} comes before its "
                "code, so a `snippet:` marker for it must follow on this page"
            )
        count = len(_results[rel].figures) if rel in _results else 0
        numbers = [int(which)] if which.isdigit() else list(range(1, count + 1))
        if (
            (which and not which.isdigit())
            or not numbers
            or not 0 < numbers[0] <= count
        ):
            raise markers.MarkerError(
                f"line {marker.line}: {marker.arg}: {rel} draws {count} figure(s)"
            )
        shown_apart.setdefault(rel, set()).update(numbers)
        return render_figures(rel, _results[rel], page.url, numbers)

    def render_marker(marker: markers.Marker) -> str:
        code = resolve(marker.arg, snippets_dir).read_text()
        result = _results[marker.arg]
        apart = shown_apart.get(marker.arg, set())
        figures = [n for n in range(1, len(result.figures) + 1) if n not in apart]
        pair = partner(marker.arg)
        other = None
        if pair and pair[0] in {m.arg for m in page_markers if m.kind == "snippet"}:
            other = resolve(pair[0], snippets_dir).read_text()
        return render(marker.arg, code, result, page.url, figures, other)

    folder = page.file.src_uri.removesuffix(".md")  # docs/x.md shows snippets/x/
    try:
        page_markers = markers.find_markers(markdown)
        if page.file.src_uri.endswith(".md"):  # not a lab's Python source
            markdown = values.bind_page(markdown, values.values_for(folder))
    except (markers.MarkerError, values.BindError) as err:
        raise PluginError(f"{page.file.src_uri}: {err}") from None
    markdown = markers.replace_on_page(markdown, page, "figure", render_figure_marker)
    return markers.replace_on_page(markdown, page, "snippet", render_marker)


def on_shutdown() -> None:
    snippet_runner.close_pools()
