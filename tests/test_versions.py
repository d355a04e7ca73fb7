"""The "Checked with" box names the installed versions, so it never drifts from
what the tests ran, and a malformed marker or a missing package stops the build."""

import re
from importlib.metadata import version

import pytest

import markers
import versions
from support import ROOT


def test_checked_with_names_each_package_at_its_installed_version():
    box = versions.checked_with("torch, lightning; fused and foreach AdamW.")
    assert box.startswith('!!! info "Checked with"\n')
    expected = f"PyTorch {version('torch')} and Lightning {version('lightning')}"
    assert f"    {expected}: fused and foreach AdamW.\n" in box


def test_checked_with_lists_three_packages_in_prose():
    box = versions.checked_with("torch, transformers, timm; the default optimizer")
    hf, timm = version("transformers"), version("timm")
    said = f"PyTorch {version('torch')}, transformers {hf} and timm {timm}: the default"
    assert said in box


@pytest.mark.parametrize("arg", ["torch", "; only configurations", "torch;  "])
def test_a_marker_without_packages_or_configurations_is_an_error(arg):
    with pytest.raises(markers.MarkerError, match="should be 'package"):
        versions.checked_with(arg)


def test_a_package_that_is_not_installed_is_an_error():
    with pytest.raises(markers.MarkerError, match="'no-such-package' is not installed"):
        versions.checked_with("no-such-package; anything")


def test_the_marker_is_replaced_on_a_page():
    page = "# Page\n\n<!-- checked-with: torch; the CPU build -->\n\nText.\n"
    out = markers.replace_markers(page, {"checked-with": versions.checked_with_box})
    assert "<!--" not in out and f"PyTorch {version('torch')}: the CPU build." in out


# Pages that teach no library behaviour of their own: the home page, the path
# through a section, the review deck, the playground (JavaScript, tested apart).
NO_LIBRARY_CLAIMS = {"index.md", "review.md", "playground.md", "training/index.md"}
NO_LIBRARY_CLAIMS |= {"research/index.md"}


def test_every_page_that_makes_library_claims_says_what_they_were_checked_with():
    docs = ROOT / "docs"
    missing = [
        path.relative_to(docs).as_posix()
        for path in sorted(docs.rglob("*.md"))
        if path.relative_to(docs).as_posix() not in NO_LIBRARY_CLAIMS
        and not any(
            m.kind == "checked-with" for m in markers.find_markers(path.read_text())
        )
    ]
    assert missing == []


# A version typed in prose goes stale when a package is upgraded: "in torch 2.13"
# must then be read again. Every typed version is the installed one, or a past
# release the sentence is about ("since torch 2.10", "before torch 2.7"), listed
# here: after an upgrade, a sentence naming the old version fails until someone
# has checked it and listed that version as history.
PACKAGES = {"torch": "torch", "pytorch": "torch", "transformers": "transformers"}
PACKAGES |= {"lightning": "lightning", "timm": "timm", "accelerate": "accelerate"}
HISTORY = {
    "torch": {"1.1", "2.2", "2.5", "2.6", "2.7", "2.10"},
    "accelerate": {"0.22"},
}
VERSION_RE = re.compile(
    r"\b(torch|PyTorch|transformers|Transformers|Lightning|timm|Accelerate)"
    r" (\d+\.\d+(?:\.\d+)?)\b"
)


def test_every_version_typed_in_prose_is_installed_or_listed_as_history():
    stale = []
    pages = [*ROOT.glob("docs/**/*.md"), *ROOT.glob("docs/labs/*.py")]
    for path in sorted([*pages, *ROOT.glob("quiz/**/*.json")]):
        for name, typed in VERSION_RE.findall(path.read_text()):
            package = PACKAGES[name.lower()]
            installed = version(package).split("+")[0].split(".")
            if typed.split(".") != installed[: typed.count(".") + 1] and (
                typed not in HISTORY.get(package, set())
            ):
                stale.append(f"{path.relative_to(ROOT)}: {name} {typed}")
    assert stale == [], "installed: " + ", ".join(
        f"{p} {version(p)}" for p in sorted(set(PACKAGES.values()))
    )
