"""The "Checked with" box names the installed versions, so it never drifts from
what the tests ran, and a malformed marker or a missing package stops the build."""

from importlib.metadata import version

import markers
import pytest
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
    out = markers.replace_markers(
        page, "checked-with", lambda m: versions.checked_with(m.arg)
    )
    assert "<!--" not in out and f"PyTorch {version('torch')}: the CPU build." in out


# Pages that teach no library behaviour of their own: the home page, the path
# through a section, the review deck, the playground (JavaScript, tested apart).
NO_LIBRARY_CLAIMS = {"index.md", "review.md", "playground.md", "training/index.md"}


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
