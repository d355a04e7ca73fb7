"""What the tests share that is not a fixture: where the project is, how to build
it, where Chromium and Node are, and how a test skips locally but fails under CI."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def page_paths() -> list[str]:
    """Every page's URL path, from its source in docs/ (Markdown pages and labs)."""
    docs = ROOT / "docs"
    paths = []
    for source in sorted(docs.rglob("*.md")) + sorted((docs / "labs").glob("*.py")):
        rel = source.relative_to(docs).with_suffix("").as_posix().removesuffix("index")
        paths.append(rel if rel == "" or rel.endswith("/") else f"{rel}/")
    return paths


def snippet_pages() -> list[str]:
    """The Markdown pages (relative to docs/) that show at least one snippet."""
    from snippets import snippet_paths

    docs = ROOT / "docs"
    return sorted(
        page.relative_to(docs).as_posix()
        for page in docs.rglob("*.md")
        if snippet_paths(page.read_text())
    )


def mkdocs_build(config: Path, site_dir: Path) -> subprocess.CompletedProcess:
    """`mkdocs build --strict` of `config` into `site_dir`, output captured."""
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict"]
        + ["--config-file", str(config), "--site-dir", str(site_dir)],
        capture_output=True,
        text=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        stdin=subprocess.DEVNULL,
    )


SITE_URL = re.search(r"^site_url:\s*(\S+)", (ROOT / "mkdocs.yml").read_text(), re.M)


def skip_or_fail(reason: str) -> None:
    """Skip a test whose tool is missing on a contributor's machine; under CI,
    where everything must run, fail instead of passing silently."""
    if os.environ.get("CI"):
        pytest.fail(reason)
    pytest.skip(reason)


def node(*args: str, stdin: str | None = None, timeout: float = 60) -> str:
    """Run Node.js with `args` (script first) and return what it printed."""
    path = shutil.which("node")
    if path is None:
        skip_or_fail("node is missing: the site's JavaScript cannot be checked")
    done = subprocess.run(
        [path, *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=True,
    )
    return done.stdout


# Sideways page scroll, and the elements whose right edge is past the viewport
# unless a scrolling box that fits holds them (a wide table scrolls inside its
# wrapper, a wide formula in its own box).
OVERFLOWING = """() => {
  const width = document.documentElement.clientWidth;
  const fits = (el) => el.getBoundingClientRect().right <= width + 0.5;
  const held = (el) => {
    for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
      if (getComputedStyle(a).overflowX !== "visible" && fits(a)) return true;
    }
    return false;
  };
  const out = [...document.querySelectorAll("body *")]
    .filter((el) => el.getClientRects().length && !fits(el) && !held(el))
    .map((el) => `${el.tagName} ${el.className}`);
  const page = document.documentElement.scrollWidth - width;
  const sideways = page > 0 ? [`page scrolls ${page} px sideways`] : [];
  return [...sideways, ...out.slice(0, 5)];
}"""


def overflowing(page) -> list[str]:
    """What runs off the side of the page's viewport; [] when nothing does."""
    return page.evaluate(OVERFLOWING)
