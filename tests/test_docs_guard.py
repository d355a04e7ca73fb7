"""Nothing in the docs escapes the tests: every Python fence is run by
pytest-codeblocks, every snippet is used by a page, every marker resolves."""

import re
from pathlib import Path

import pytest
from pytest_codeblocks import extract_from_file

from snippets import quiz_snippet_paths, snippet_paths
from support import ROOT

PAGES = sorted((ROOT / "docs").rglob("*.md")) + [ROOT / "README.md"]
SNIPPETS = sorted((ROOT / "snippets").rglob("*.py"))
PYTHON_NAMES = {"py", "python", "python3", "py3", "pycon", "ipython"}
TILDE_FENCE = re.compile(r"^\s*~{3,}\s*\{?\.?(\w+)")


def fence_problems(path: Path) -> list[str]:
    """Fences pytest-codeblocks would skip silently although they hold Python, and
    shell fences it would run although readers' commands must not run in tests."""
    problems = []
    name = path.relative_to(ROOT) if path.is_relative_to(ROOT) else path.name
    for block in extract_from_file(path):
        info = (block.syntax or "").strip()
        language = info.split()[0].strip("{.") if info else ""
        where = f"{name}:{block.lineno}"
        if language in PYTHON_NAMES and info != "python":
            problems.append(f"{where}: ```{info} is skipped; write exactly ```python")
        if language in {"sh", "bash"}:
            problems.append(f"{where}: ```{info} runs in the tests; use ```console")
    for number, line in enumerate(path.read_text().splitlines(), 1):
        match = TILDE_FENCE.match(line)
        if match and match.group(1) in PYTHON_NAMES:
            problems.append(f"{name}:{number}: ~~~ fences are skipped; use ```python")
    return problems


@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_python_fence_escapes_the_codeblock_tests(page):
    assert fence_problems(page) == []


def test_the_guard_catches_fences_that_would_be_skipped(tmp_path):
    page = tmp_path / "page.md"
    fences = ['python title="x.py"', "py", 'python hl_lines="2"', "python", "bash"]
    page.write_text("".join(f"```{f}\nprint(1)\n```\n\n" for f in fences))
    page.write_text(page.read_text() + "~~~python\nprint(1)\n~~~\n")
    problems = fence_problems(page)
    assert len(problems) == 5
    assert all("skipped" in p or "runs in the tests" in p for p in problems)


def snippet_markers() -> dict[str, list[str]]:
    """Snippet path -> pages that name it."""
    used: dict[str, list[str]] = {}
    for page in PAGES:
        for rel in snippet_paths(page.read_text()):
            used.setdefault(rel, []).append(str(page.relative_to(ROOT)))
    return used


def test_every_snippet_is_shown_on_a_page():
    """By a page's marker, or as a drill's figure in a quiz."""
    used = snippet_markers() | quiz_snippet_paths(ROOT / "quiz")
    unused = [
        str(path.relative_to(ROOT))
        for path in SNIPPETS
        if path.relative_to(ROOT / "snippets").as_posix() not in used
    ]
    assert unused == [], "snippets no page shows: add a marker or delete them"


def test_every_snippet_marker_names_an_existing_file():
    missing = {
        rel: pages
        for rel, pages in snippet_markers().items()
        if not (ROOT / "snippets" / rel).is_file()
    }
    assert missing == {}
