"""The practice pages (schedulers, finding-lr, recipes, mistakes): every
"wrong" snippet shows the warning or error the page talks about (or, for the silent
mistakes, none), and every "right" snippet runs clean.

Numbers quoted in their prose are checked in test_curriculum.py.
"""

from __future__ import annotations

import json
import re

import pytest

from snippets import snippet_paths
from support import ROOT, node

DOCS = ROOT / "docs"
MESSAGE = re.compile(r"^(\w+(?:Error|Warning)): ", re.MULTILINE)


def sections(page: str) -> dict[str, str]:
    """A page's h2 sections by title, without any `{ #id }` attribute."""
    parts = re.split(r"^## (.+)$", (DOCS / page).read_text(), flags=re.MULTILINE)
    titles = [re.sub(r"\s*\{.*\}\s*$", "", t) for t in parts[1::2]]
    return dict(zip(titles, parts[2::2], strict=True))


def mistakes() -> dict[str, list[str]]:
    return {
        title: snippet_paths(body)
        for title, body in sections("mistakes.md").items()
        if snippet_paths(body)
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
# cyclic_momentum is silent with Adam and SGD; its snippet also shows the ValueError
# an optimizer without momentum or betas (Adagrad) raises.
LOUD = {"step_order", "onecycle", "plateau_metric", "verbose", "linearlr_zero"}
LOUD |= {"cyclic_momentum"}
SILENT = {"per_batch", "resume"}


@pytest.mark.parametrize("title", sorted(mistakes()))
def test_wrong_snippet_shows_its_message_and_right_snippet_runs_clean(title, output_of):
    wrong, right = mistakes()[title]
    stem = wrong.removeprefix("mistakes/").removesuffix("_wrong.py")
    assert stem in LOUD | SILENT, f"say whether PyTorch reports {stem!r}"
    shown = MESSAGE.findall(output_of(wrong))
    if stem in LOUD:
        assert shown, f"{wrong} should show PyTorch's warning or error"
    if stem in SILENT:
        assert not shown, f"the page says nothing warns, but {wrong} shows {shown}"
    assert not MESSAGE.findall(output_of(right)), f"{right} shows a warning or error"
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


def test_playground_presets_snippet_runs_what_the_playground_runs():
    """docs/playground.md quotes presets.py's results as what the playground's
    presets show: both must run the same surfaces, starts, rates, tilt and steps."""
    import runpy

    import matplotlib

    matplotlib.use("Agg")
    run = runpy.run_path(str(ROOT / "snippets" / "playground" / "presets.py"))
    script = (
        "const d = require(process.argv[1]);"
        "process.stdout.write(JSON.stringify({"
        "  starts: Object.values(d.SURFACES).map((s) => s.start),"
        "  presets: Object.values(d.SURFACES).map((s) => s.presets),"
        "  tilt: d.TILT, steps: d.STEPS, cutoff: d.CUTOFF }))"
    )
    js = json.loads(
        node("-e", script, str(DOCS / "javascripts" / "lib" / "descent.js"))
    )
    surfaces = list(run["SURFACES"].values())
    assert js["starts"] == [start for _, start, _, _ in surfaces]
    assert js["presets"] == [list(rates) for _, _, _, rates in surfaces]
    assert js["tilt"] == run["TILT"]
    assert js["steps"] == run["STEPS"]
    assert (
        js["cutoff"] == 1e6
        and "p.abs().max() > 1e6"
        in (ROOT / "snippets" / "playground" / "presets.py").read_text()
    )


def comparison_data(path) -> list[str]:
    """The lines that make the comparison problem's data, comments left out."""
    lines = path.read_text().splitlines()

    def first(prefix: str) -> int:
        return next(n for n, line in enumerate(lines) if line.startswith(prefix))

    block = lines[first("torch.manual_seed(0)") : first("y[flip] = ") + 1]
    return [re.sub(r"\s+#.*$", "", line) for line in block]


def test_every_snippet_on_the_comparison_problem_makes_the_same_data():
    """Pages that say "the site's comparison problem" train on the data of the
    Recipes page's comparison; each snippet stands alone, so each has a copy."""
    users = [
        path
        for path in sorted((ROOT / "snippets").rglob("*.py"))
        if "y[flip] = " in (source := path.read_text()) and "teacher" in source
    ]
    assert len(users) >= 6
    original = comparison_data(ROOT / "snippets" / "recipes" / "compare.py")
    for path in users:
        assert comparison_data(path) == original, path.relative_to(ROOT)
