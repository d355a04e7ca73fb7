"""The page anatomy's second part: every Learn, training and reference page opens,
right after its title and its one-sentence goal, with the same "The rule" box, so a
reader who stops there has the answer, and knows where to look on every page."""

from __future__ import annotations

import re

import pytest

from support import ROOT

DOCS = ROOT / "docs"
LEARN = [
    "learning-rate.md",
    "too-high.md",
    "too-low.md",
    "changing-lr.md",
    "schedulers.md",
    "convergence.md",
    "finding-lr.md",
    "recipes.md",
    "starting-points.md",
    "mistakes.md",
]
TRAINING = sorted(
    f"training/{p.name}"
    for p in (DOCS / "training").glob("*.md")
    if p.name != "index.md"
)
TUNING = sorted(f"tuning/{p.name}" for p in (DOCS / "tuning").glob("*.md"))
RESEARCH = sorted(
    f"research/{p.name}"
    for p in (DOCS / "research").glob("*.md")
    if p.name != "index.md"
)
REFERENCE = sorted(f"reference/{p.name}" for p in (DOCS / "reference").glob("*.md"))
PAGES = LEARN + TUNING + TRAINING + RESEARCH + REFERENCE

BOX = '!!! tip "The rule"'
MAX_CODE_LINES = 10
MAX_PROSE_WORDS = 90  # one to three sentences
FENCE = re.compile(r"^```")


def top(markdown: str) -> tuple[str, str, list[str]]:
    """The page's title line, its goal paragraph, and the lines after it up to the
    first one that is neither blank nor indented (the end of a box there)."""
    lines = markdown.splitlines()
    i = 0
    if lines and lines[0] == "---":  # front matter
        i = lines.index("---", 1) + 1
    while i < len(lines) and not lines[i].strip():
        i += 1
    title = lines[i]
    i += 1
    while i < len(lines) and not lines[i].strip():
        i += 1
    goal = []
    while i < len(lines) and lines[i].strip():
        goal.append(lines[i])
        i += 1
    while i < len(lines) and not lines[i].strip():
        i += 1
    rest = [lines[i]] if i < len(lines) else []
    for line in lines[i + 1 :]:
        if line.strip() and not line.startswith("    "):
            break
        rest.append(line)
    return title, " ".join(goal), rest


def box_parts(body: list[str]) -> tuple[str, list[list[str]]]:
    """The box's prose and its code fences (each as its lines of code)."""
    prose, fences, fence = [], [], None
    for line in (line.removeprefix("    ") for line in body):
        if FENCE.match(line):
            if fence is None:
                fence = []
            else:
                fences.append(fence)
                fence = None
        elif fence is not None:
            fence.append(line)
        else:
            prose.append(line)
    assert fence is None, "a fence in the box is not closed"
    return " ".join(prose).strip(), fences


def test_the_pages_are_the_ones_the_anatomy_names():
    assert len(TRAINING) >= 10 and len(REFERENCE) >= 18 and RESEARCH
    assert len(TUNING) >= 2
    for page in PAGES:
        assert (DOCS / page).is_file(), page


@pytest.mark.parametrize("page", PAGES)
def test_the_page_opens_with_its_rule_after_the_goal(page):
    title, goal, rest = top((DOCS / page).read_text())
    assert title.startswith("# "), f"{page}: no title first"
    assert goal, f"{page}: no goal paragraph after the title"
    assert rest and rest[0] == BOX, (
        f"{page}: the first thing after the goal paragraph must be `{BOX}`, "
        f"found {rest[:1]}"
    )
    prose, fences = box_parts(rest[1:])
    assert prose, f"{page}: the rule box states no rule"
    words = len(prose.split())
    assert words <= MAX_PROSE_WORDS, f"{page}: the rule is {words} words; keep it short"
    assert len(fences) <= 1, f"{page}: one code block in the rule box at most"
    for code in fences:
        # Blank lines do not count: ruff's formatting asks for them after imports.
        lines = [line for line in code if line.strip()]
        assert 3 <= len(lines) <= MAX_CODE_LINES, (
            f"{page}: the rule's code is {len(lines)} lines; 3 to {MAX_CODE_LINES}"
        )


@pytest.mark.parametrize("page", PAGES)
def test_the_page_has_one_rule_box(page):
    assert (DOCS / page).read_text().count(BOX) == 1


def test_the_parser_finds_a_box_after_front_matter_and_rejects_a_late_one():
    page = '---\nsearch:\n  boost: 2\n---\n\n# T\n\nGoal.\n\n!!! tip "The rule"\n\n'
    page += "    Do it.\n\n    ```python\n    x = 1\n    y = 2\n    z = 3\n"
    page += "    ```\n\n## A"
    title, goal, rest = top(page)
    assert (title, goal, rest[0]) == ("# T", "Goal.", BOX)
    assert box_parts(rest[1:]) == ("Do it.", [["x = 1", "y = 2", "z = 3"]])
    late = "# T\n\nGoal.\n\n<!-- signature: x -->\n\n" + BOX + "\n\n    Do it.\n"
    assert top(late)[2][0] != BOX
