"""Which versions the site's claims hold for, read from the installed
packages, never typed.

- The footer says which versions built the site: what the pages teach is torch's
  behaviour in that version.
- `<!-- checked-with: torch, transformers; fused and foreach AdamW -->` becomes a
  "Checked with" box: each package named before the `;` with its installed version,
  then the configurations the page's claims were run under. A page that makes
  claims about libraries says so where a reader can see it, and an upgrade rewrites
  the versions by itself.
"""

from __future__ import annotations

import platform
from importlib.metadata import PackageNotFoundError, version

import cache
import markers

# How a package is named in prose; others are named as they are installed.
DISPLAY_NAMES = {"torch": "PyTorch", "lightning": "Lightning"}


def built_with() -> str:
    return (
        f"Built with PyTorch {version('torch')}, Material for MkDocs "
        f"{version('mkdocs-material')} and Python {platform.python_version()}."
    )


def installed_version(package: str) -> str:
    try:
        return cache.package_version(package)
    except PackageNotFoundError:
        raise markers.MarkerError(
            f"checked-with: {package!r} is not installed, so the page cannot say "
            "which version its claims were checked with (make installs it)"
        ) from None


def and_list(items: list[str]) -> str:
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"


def checked_with(arg: str) -> str:
    """The Markdown of a "Checked with" box for `packages; configurations`."""
    packages, _, configurations = arg.partition(";")
    names = [name.strip() for name in packages.split(",") if name.strip()]
    if not names or not configurations.strip():
        raise markers.MarkerError(
            f"checked-with: {arg!r} should be 'package, package; configurations'"
        )
    named = [
        f"{DISPLAY_NAMES.get(name, name)} {installed_version(name)}" for name in names
    ]
    return (
        '!!! info "Checked with"\n'
        f"    {and_list(named)}: {configurations.strip().rstrip('.')}.\n"
    )


def checked_with_box(marker: markers.Marker) -> str:
    return checked_with(marker.arg)
