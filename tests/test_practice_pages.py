"""The practice pages (schedulers, finding-lr, recipes, mistakes) say what their
snippets print: every number quoted in the prose is in the snippet's output, every
"wrong" snippet shows the warning or error the page talks about (or, for the silent
mistakes, none), and every "right" snippet runs clean.

Snippets are run through the build's runner, so results come from the cache when
the build already ran them.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import snippet_worker

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
SNIPPETS = ROOT / "snippets"
MESSAGE = re.compile(r"^(\w+(?:Error|Warning)): ", re.MULTILINE)


def output(rel: str) -> str:
    return snippet_worker.run_snippet(SNIPPETS / rel).output


def sections(page: str) -> dict[str, str]:
    """A page's h2 sections by title, without any `{ #id }` attribute."""
    parts = re.split(r"^## (.+)$", (DOCS / page).read_text(), flags=re.MULTILINE)
    titles = [re.sub(r"\s*\{.*\}\s*$", "", t) for t in parts[1::2]]
    return dict(zip(titles, parts[2::2], strict=True))


def markers(text: str) -> list[str]:
    return re.findall(r"^<!-- snippet: (\S+) -->$", text, flags=re.MULTILINE)


# What the prose quotes from each snippet's output: a string found in both, or a
# pair (as printed, as the page words it).
QUOTED = {
    "schedulers.md": {
        "schedulers/per_epoch_vs_per_batch.py": ["0.000017"],
        "schedulers/steplr_training.py": ["0.0789", "0.0762", "0.1291"],
        "schedulers/plateau_training.py": ["0.155", "0.102", "3.64e-05"],
        "schedulers/resume.py": ["0.025"],
    },
    "finding-lr.md": {
        "finding-lr/range_test.py": [
            ("89 of 100 steps", "89 of its 100 steps"),
            "2.15",
            "0.175",
            "0.614",
            "0.0614",
            "1.329",
            "0.317",
            "0.183",
            "0.820",
            "1.954",
        ],
    },
    "recipes.md": {
        "recipes/compare.py": ["0.553 ± 0.038", "0.488 ± 0.014", "0.506 ± 0.005"],
    },
    "mistakes.md": {
        "mistakes/step_order_wrong.py": ["0.00625"],
        "mistakes/per_batch_wrong.py": [
            ("epoch  3: lr 1.0e-06", "10^{-6}"),
            ("1.0e-149", "10^{-149}"),
        ],
        "mistakes/onecycle_wrong.py": [
            ("expects 45 steps", "45 in all"),
            ("Tried to step 46 times", "46th step"),
        ],
        "mistakes/resume_wrong.py": ["0.0481", "0.0427", "0.0346", "0.0038"],
        "mistakes/cyclic_momentum_wrong.py": [
            "0.800",
            "0.900",
            ("momentum now: 0.9", "now has momentum 0.9"),
        ],
    },
}


@pytest.mark.parametrize(
    ("page", "rel", "quote"),
    [
        (page, rel, quote)
        for page, snippets in QUOTED.items()
        for rel, quotes in snippets.items()
        for quote in quotes
    ],
    ids=str,
)
def test_a_number_the_page_quotes_is_what_its_snippet_prints(page, rel, quote):
    printed, worded = quote if isinstance(quote, tuple) else (quote, quote)
    text = (DOCS / page).read_text()
    assert rel in markers(text), f"{page} does not show snippets/{rel}"
    assert printed in output(rel), f"snippets/{rel} no longer prints {printed!r}"
    prose = " ".join(text.split())  # line breaks in the Markdown do not count
    assert worded in prose, f"{page} does not quote {worded!r} from snippets/{rel}"


def mistakes() -> dict[str, list[str]]:
    return {
        title: markers(body)
        for title, body in sections("mistakes.md").items()
        if markers(body)
    }


def test_every_mistake_has_a_wrong_then_a_right_snippet():
    found = mistakes()
    assert len(found) >= 8
    for title, rels in found.items():
        assert len(rels) == 2, f"{title!r}: one wrong and one right snippet"
        wrong, right = rels
        assert wrong.endswith("_wrong.py") and right.endswith("_right.py"), title
        assert wrong.removesuffix("_wrong.py") == right.removesuffix("_right.py")


# The mistakes that PyTorch reports, and the ones it lets pass without a word.
LOUD = {"step_order", "onecycle", "plateau_metric", "verbose", "linearlr_zero"}
SILENT = {"per_batch", "resume"}


@pytest.mark.parametrize("title", sorted(mistakes()))
def test_wrong_snippet_shows_its_message_and_right_snippet_runs_clean(title):
    wrong, right = mistakes()[title]
    stem = wrong.removeprefix("mistakes/").removesuffix("_wrong.py")
    shown = MESSAGE.findall(output(wrong))
    if stem in LOUD:
        assert shown, f"{wrong} should show PyTorch's warning or error"
    if stem in SILENT:
        assert not shown, f"the page says nothing warns, but {wrong} shows {shown}"
    assert not MESSAGE.findall(output(right)), f"{right} shows a warning or error"
    body = sections("mistakes.md")[title]
    for category in shown:  # the page names every kind of message it shows
        assert f"`{category}`" in body, f"{title!r}: say it is a {category}"


def test_recipes_page_covers_every_recipe_the_issue_lists():
    titles = set(sections("recipes.md"))
    for recipe in (
        "Step decay",
        "Warmup, then cosine decay",
        "One-cycle",
        "Reduce on plateau",
        "Warmup, stable, decay",
        "Scaling the rate with the batch size",
    ):
        assert recipe in titles
    text = (DOCS / "recipes.md").read_text()
    for arxiv in ("1708.07120", "2404.06395", "1706.02677"):
        assert f"arXiv:{arxiv}" in text
