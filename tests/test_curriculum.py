"""The pages say what their snippets printed, and quote PyTorch's source as it is.

Each snippet asserts its own claims when it runs (test_snippets.py runs them all),
and the build writes every number from a run into the prose ({{ snippet.value }},
see hooks/values.py). These tests catch a number typed by hand instead, which
would go stale on a CPU that prints other digits.
"""

from __future__ import annotations

import inspect
import posixpath
import re
import tokenize
from pathlib import Path

import pytest
from torch.optim.lr_scheduler import ReduceLROnPlateau

import values
from markers import lines_outside_fences
from snippets import quiz_snippet_paths, snippet_paths
from support import ROOT, site_config, snippet_pages

DOCS, QUIZ, SNIPPETS = ROOT / "docs", ROOT / "quiz", ROOT / "snippets"


# A number as prose writes it: 22, 0.594, 1.232e+09, 83.0 (not part of a word).
NUMBER_RE = re.compile(r"(?<![\w.])\d+(?:\.\d+)?(?:e[-+]?\d+)?(?![\w])")


def result_like(number: str) -> bool:
    """Two significant digits or more, or an exponent: 0.34, 22, 4.79e-06 (a lone
    digit such as 2 or 0.5 is as often a setting as a result)."""
    digits = re.sub(r"e.*", "", number).replace(".", "").lstrip("0")
    return len(digits) >= 2 or "e" in number


def numbers(text: str) -> set[str]:
    return {n for n in NUMBER_RE.findall(text) if result_like(n)}


def prose(markdown: str) -> str:
    """The page outside its front matter and fenced code, without markers and
    value references."""
    markdown = re.sub(r"\A---\n.*?^---\n", "", markdown, flags=re.M | re.S)
    lines = (line for _, line in lines_outside_fences(markdown))
    return values.REFERENCE_RE.sub("", "\n".join(lines))


def code(path: Path) -> str:
    """The snippet without its comments: a number in a comment is no setting."""
    with path.open("rb") as source:
        tokens = tokenize.tokenize(source.readline)
        return " ".join(t.string for t in tokens if t.type != tokenize.COMMENT)


def hand_quoted(text: str, rels: list[str], output_of) -> set[str]:
    """Numbers in `text` that a snippet printed but its code does not contain:
    results of a run, typed by hand instead of bound with {{ snippet.value }}."""
    printed = set().union(*(numbers(output_of(rel)) for rel in rels))
    written = set().union(*(numbers(code(SNIPPETS / rel)) for rel in rels))
    return (numbers(text) & printed) - written


PAGES = snippet_pages()


@pytest.mark.parametrize("page", PAGES)
def test_no_page_or_quiz_types_a_number_its_run_printed(page, output_of):
    markdown = (DOCS / page).read_text()
    rels = snippet_paths(markdown)
    quiz = QUIZ / f"{page.removesuffix('.md')}.json"
    drills = quiz_snippet_paths(QUIZ)  # the snippets its quiz's drills show
    name = quiz.relative_to(ROOT).as_posix()
    rels += [rel for rel, where in drills.items() if where == name]
    texts = {page: prose(markdown)}
    if quiz.exists():
        texts[f"quiz/{quiz.name}"] = values.REFERENCE_RE.sub("", quiz.read_text())
    for where, text in texts.items():
        typed = hand_quoted(text, rels, output_of)
        assert not typed, f"{where}: bind these with {{{{ snippet.value }}}}: {typed}"


def test_the_plateau_rule_quoted_on_the_convergence_page_is_torchs_source():
    """convergence.md quotes ReduceLROnPlateau's code; a new torch must not make the
    quote (and the rule the page teaches) silently wrong."""
    text = (DOCS / "convergence.md").read_text()
    quote = re.search(r"^```text\n(.*?)^```$", text, flags=re.MULTILINE | re.DOTALL)
    assert quote, "convergence.md no longer quotes the source in a text fence"
    source = {line.strip() for line in inspect.getsource(ReduceLROnPlateau).split("\n")}
    lines = [line.strip() for line in quote.group(1).splitlines()]
    missing = [line for line in lines if line != "..." and line not in source]
    assert not missing, f"not in torch's ReduceLROnPlateau any more: {missing}"
    assert "return a < best * rel_epsilon" in lines


def learn_path() -> list[str]:
    """The Learn pages in the nav's order; a section among them (Tuning the rate)
    stands on the path as its first page, its index."""
    nav = site_config()["nav"]
    learn = next(section["Learn"] for section in nav if "Learn" in section)
    return [
        next(iter(item.values()))[0] if isinstance(item, dict) else item
        for item in learn
    ]


def test_the_home_page_lists_the_learn_path_in_the_navs_order():
    home = (DOCS / "index.md").read_text()
    path = home.split("## The path", 1)[1].split("\n## ", 1)[0]
    listed = re.findall(r"^\d+\. \[[^]]+\]\(([^)#]+)\)", path, flags=re.M)
    assert listed[: len(learn_path())] == learn_path()


@pytest.mark.parametrize("page", learn_path()[:-1])
def test_each_learn_page_links_onward_to_the_next_one_on_the_path(page):
    """Its Next (or Where next) list names the next page on the path."""
    path = learn_path()
    text = (DOCS / page).read_text()
    onward = re.split(r"^## (?:Where next|Next)\n", text, flags=re.M)[1]
    links = re.findall(r"\]\(([^)#]+)", onward.split("\n## ", 1)[0])
    here = posixpath.dirname(page)  # a link from tuning/index.md is relative to it
    links = [posixpath.normpath(posixpath.join(here, link)) for link in links]
    assert path[path.index(page) + 1] in links
