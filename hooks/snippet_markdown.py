"""What a page's `figure:` and `snippet:` markers become: Markdown with the
snippet's figures, its code and its printed output.

A page shows the figure first: `<!-- figure: page/name.py -->` puts the snippet's
figures where the page reads them (`<!-- figure: page/name.py 2 -->` only its
second; the first must come before the code), and its `snippet:` marker, further
down, then shows the code, the output and any figure not shown apart. Without a
`figure:` marker the figures come first in the snippet's own block. In the code,
a `# %% Title` line (the cell marker editors know) starts a part that the page
folds under that title: the plotting and the checks. The copy button copies the
whole runnable file. In a wrong/right pair (`x_wrong.py` and `x_right.py` shown on
one page), the lines each shows that the other does not have are highlighted,
computed from the two files (difflib), with a caption that says so in words.
"""

from __future__ import annotations

import ast
import difflib
import html
import re

import figure_html
import markers
import snippet_runner
import snippets

BACKTICKS_RE = re.compile("`+")


def _fence(text: str, info: str) -> str:
    longest = max(map(len, BACKTICKS_RE.findall(text)), default=0)
    ticks = "`" * max(3, longest + 1)
    return f"{ticks}{info}\n{text.rstrip()}\n{ticks}"


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
    pictures = []
    for number in numbers:
        figure = result.figures[number - 1]
        urls = figure_html.relative_to_page(snippets.figure_uris(rel, number), page_url)
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


class OnPage:
    """Renders one page's `figure:` and `snippet:` markers. A snippet's block
    leaves out the figures the page's `figure:` markers show apart, before or
    after it."""

    def __init__(self, ran: snippets.Snippets, page_markers, page_url: str) -> None:
        self.ran, self.page_url = ran, page_url
        self.snippets = [m for m in page_markers if m.kind == "snippet"]
        self.shown_apart: dict[str, set[int]] = {}  # snippet -> figures shown apart
        for marker in page_markers:
            if marker.kind == "figure":
                rel, numbers = self.figure_numbers(marker)
                self.shown_apart.setdefault(rel, set()).update(numbers)

    def figure_numbers(self, marker: markers.Marker) -> tuple[str, list[int]]:
        """The snippet a `figure:` marker names and the figures it shows."""
        rel, _, which = marker.arg.partition(" ")  # `page/x.py`, or `page/x.py 2`
        later = {m.arg for m in self.snippets if m.line > marker.line}
        if which in ("", "1") and rel not in later:
            raise markers.MarkerError(
                f"line {marker.line}: the figure of {rel} comes before its "
                "code, so a `snippet:` marker for it must follow on this page"
            )
        result = self.ran.results.get(rel)
        count = len(result.figures) if result else 0
        numbers = [int(which)] if which.isdigit() else list(range(1, count + 1))
        wrong = (which and not which.isdigit()) or not numbers
        if wrong or not 0 < numbers[0] <= count:
            raise markers.MarkerError(
                f"line {marker.line}: {marker.arg}: {rel} draws {count} figure(s)"
            )
        return rel, numbers

    def figure(self, marker: markers.Marker) -> str:
        rel, numbers = self.figure_numbers(marker)
        return render_figures(rel, self.ran.results[rel], self.page_url, numbers)

    def snippet(self, marker: markers.Marker) -> str:
        code = snippets.resolve(marker.arg, self.ran.folder).read_text()
        result = self.ran.results[marker.arg]
        apart = self.shown_apart.get(marker.arg, set())
        figures = [n for n in range(1, len(result.figures) + 1) if n not in apart]
        pair, other = partner(marker.arg), None
        if pair and pair[0] in {m.arg for m in self.snippets}:
            other = snippets.resolve(pair[0], self.ran.folder).read_text()
        return render(marker.arg, code, result, self.page_url, figures, other)
