"""The concept pages (learning-rate, too-high, too-low, changing-lr, convergence) say
what their snippets print, and quote PyTorch's source as it is.

Each snippet asserts its own claims when it runs (test_snippets.py runs them all);
these tests check the other half: that the numbers in the prose are the numbers the
snippets print now, so a changed snippet cannot leave a stale sentence behind.
Snippets are run through the build's runner, from the cache when the build ran them.
"""

from __future__ import annotations

import inspect
import re
from pathlib import Path

import pytest
from torch.optim.lr_scheduler import ReduceLROnPlateau

from snippets import snippet_paths

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"


# Pages on which every snippet must have its quoted numbers listed below.
CONCEPT_PAGES = ("learning-rate.md", "too-high.md", "too-low.md", "changing-lr.md")
CONCEPT_PAGES += ("convergence.md",)

# What the prose quotes from each snippet's output: a string found in both, or a
# pair (as printed, as the page words it).
QUOTED = {
    "learning-rate.md": {
        "learning-rate/sgd_vs_adam.py": ["1.88e-05", "0.188", "7.9e-07"],
    },
    "too-high.md": {
        "too-high/stability_limit.py": [
            ("w2 x-0.80", "factor is −0.80"),
            ("w2 x-1.00", "factor is −1.00"),
            ("w2 x-1.20", "factor is −1.20"),
            ("loss 6.5 -> 4.79e-06", "from 6.5 to 4.79e-06"),
            ("loss 6.5 -> 2\n", "stays at 2"),
            "7.83e+04",
        ],
        "too-high/mlp_diverges.py": [
            "1.866",
            "37.45",
            "131",
            "8011",
            "1.232e+09",
            "3.106",
            "73.3",
            "6014",
            ("step 6  loss 1.059e+30  grad norm inf", "at step 6 the gradient norm"),
            ("step 7  loss nan", "from step 7 the loss is `nan`"),
            ("lr = 0.3 (lower rate)          loss after 100 steps: 0.34", "at 0.34"),
            "0.594",
            "11.1",
            "0 of 64 units",
        ],
    },
    "too-low.md": {
        "too-low/small_rates.py": [
            (" 22\n", "needs 22"),
            (" 66\n", "needs 66"),
            (" 195\n", "needs 195"),
            ("not in 250", "in 250 steps at all"),
            "0.840",
            "0.363",
            "0.226",
            "0.209",
        ],
        "too-low/plateau.py": [
            (" 24\n", "at step 24"),
            (" 73\n", "at step 73"),
            (" 212\n", "at step 212"),
            "0.9900",
        ],
    },
    "changing-lr.md": {
        "changing-lr/noise_floor.py": [
            "0.0344",
            "0.0080",
            ("15.0470", "15.0"),
            "0.0429",
            "0.0251",
            "0.0014",
        ],
        "changing-lr/adam_early_steps.py": [
            ("   1              1.00", "1.00 lr"),
            ("  10              0.27", "0.27 lr"),
            (" 200              0.19", "0.19 lr"),
            "4.47 lr",
            "0.34 lr",
            "14.3",
            "1.8",
            "1.1",
        ],
        "changing-lr/shapes.py": [
            "1.00e-04",
            "4.90e-03",
            "2.47e-05",
            "0.0010",
            "0.0040",
            "4.00e-07",
        ],
    },
    "convergence.md": {
        "convergence/plateau.py": [
            ("lr halved after epochs: [64, 136]", "after epochs 64 and 136"),
            ("hand-written rule predicts: [64, 136]", "predicts the two reductions"),
            "0.7468",
            "2.0371",
            ("0.089 at epoch 114", "0.089 at epoch 114"),
            ("1.075 at epoch 136", "1.075 at epoch 136"),
            "0.0635",
            "0.0564",
        ],
        "convergence/overfit.py": [
            ("   18          0.336            0.386", "lowest at epoch 18 (0.386)"),
            "0.336",
            "0.025",
            "1.650",
            ("83.0%", "83.0 %"),
            ("80.0%", "80.0 %"),
        ],
    },
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
def test_a_number_the_page_quotes_is_what_its_snippet_prints(
    page, rel, quote, output_of
):
    printed, worded = quote if isinstance(quote, tuple) else (quote, quote)
    text = (DOCS / page).read_text()
    assert rel in snippet_paths(text), f"{page} does not show snippets/{rel}"
    assert printed in output_of(rel), f"snippets/{rel} no longer prints {printed!r}"
    prose = " ".join(text.split())  # line breaks in the Markdown do not count
    assert worded in prose, f"{page} does not quote {worded!r} from snippets/{rel}"


def test_every_concept_snippet_has_its_quotes_checked():
    """A snippet added to a concept page must say which of its numbers the page uses."""
    for page in CONCEPT_PAGES:
        snippets = QUOTED[page]
        shown = set(snippet_paths((DOCS / page).read_text()))
        shown.discard("learning-rate/three_rates.py")  # the foundation's first page
        assert shown == set(snippets), f"{page}: snippets and QUOTED disagree"


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
