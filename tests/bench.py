"""Benchmark (`make bench`): build times, test time and page weights on this machine.

Builds a copy of the project in a temporary folder, so the cold build really starts
with no cache and your own cache is left alone:
  cold   - empty snippet and notebook caches
  warm   - nothing changed
  edit   - one snippet changed: only that snippet may run again
Then `pytest` in the project itself (skip with --no-tests), and the weight of each
built page: its HTML, our own CSS and JS, and the figures it shows.

Budgets (issues 2, 8 and 15): warm build < 3 s, warm/cold < 0.2, our JS+CSS
< 64 KB (40 KB until issue 15), no page over 500 KB before compression.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}


def timed(args: list[str], cwd: Path) -> float:
    start = time.perf_counter()
    subprocess.run(args, cwd=cwd, env=ENV, check=True, capture_output=True)
    return time.perf_counter() - start


def copy_project(dest: Path) -> None:
    listed = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split("\n")
    for rel in filter(None, listed):
        if (ROOT / rel).is_file():
            (dest / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / rel, dest / rel)


def cached_results(project: Path) -> int:
    return len(list((project / ".cache" / "snippets").glob("*.json")))


def own_assets(site: Path) -> dict[str, int]:
    """Bytes of each of our own JS and CSS files as the built site serves them."""
    return {
        str(p.relative_to(site)): p.stat().st_size
        for folder in ("stylesheets", "javascripts")
        for p in sorted((site / folder).rglob("*"))
        if p.is_file()
    }


def page_weights(site: Path) -> list[tuple[int, str, int, int]]:
    """(total, page, html, figures) bytes: the page's HTML, our own JS and CSS, and
    its figures (light variant; the dark one loads instead, not as well)."""
    own = sum(own_assets(site).values())
    rows = []
    for page in sorted(site.rglob("*.html")):
        html = page.read_text()
        figures = {
            (page.parent / src).resolve()
            for src in re.findall(r'<img[^>]*src="([^"#]+)#only-light"', html)
        }
        figure_bytes = sum(f.stat().st_size for f in figures if f.is_file())
        size = len(html.encode())
        rows.append(
            (size + own + figure_bytes, str(page.relative_to(site)), size, figure_bytes)
        )
    return sorted(rows, reverse=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-tests", action="store_true", help="skip timing pytest")
    options = parser.parse_args()
    mkdocs = [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", "site"]
    with tempfile.TemporaryDirectory() as tmp:
        project = Path(tmp)
        copy_project(project)
        cold = timed(mkdocs, project)
        warm = timed(mkdocs, project)
        snippet = sorted((project / "snippets").rglob("*.py"))[0]
        snippet.write_text(snippet.read_text() + "# edited by the benchmark\n")
        before = cached_results(project)
        edit = timed(mkdocs, project)
        reran = cached_results(project) - before
        weights = page_weights(project / "site")
        assets = own_assets(project / "site")
    print(f"cold build              {cold:7.2f} s")
    print(f"warm build              {warm:7.2f} s   (budget < 3 s)")
    print(f"warm / cold             {warm / cold:7.2f}     (budget < 0.2)")
    print(f"one snippet edited      {edit:7.2f} s   ({reran} snippet(s) ran again)")
    total_own = sum(assets.values())
    print(f"our JS + CSS (minified) {total_own / 1024:7.1f} KB  (budget < 64 KB)")
    for path, size in assets.items():
        print(f"  {path}  {size / 1024:.1f} KB")
    print("heaviest pages (HTML + our JS/CSS + light figures; budget < 500 KB):")
    for total, page, html, figures in weights[:8]:
        print(
            f"  {total / 1024:7.1f} KB  {page}  (HTML {html / 1024:.0f}, "
            f"figures {figures / 1024:.0f})"
        )
    if not options.no_tests:
        tests = timed([sys.executable, "-m", "pytest", "-q", "-x"], ROOT)
        print(f"test suite (pytest)     {tests:7.2f} s")


if __name__ == "__main__":
    main()
