"""What the tests share that is not a fixture: where the project is, how to build
it, where Chromium and Node are, and how a test skips locally but fails under CI."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml
from mkdocs.utils.yaml import yaml_load

import snippets

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
    docs = ROOT / "docs"
    return sorted(
        page.relative_to(docs).as_posix()
        for page in docs.rglob("*.md")
        if snippets.snippet_paths(page.read_text())
    )


def mkdocs_build(
    config: Path, site_dir: Path, *options: str
) -> subprocess.CompletedProcess:
    """`mkdocs build --strict` of `config` into `site_dir`, output captured."""
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", *options]
        + ["--config-file", str(config), "--site-dir", str(site_dir)],
        capture_output=True,
        text=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        stdin=subprocess.DEVNULL,
    )


def dirty_build(config: Path, site_dir: Path) -> None:
    """`mkdocs build --dirty` as `make serve` rebuilds, which must succeed (not
    strict: a dirty build always warns that it is one)."""
    build = mkdocs_build(config, site_dir, "--dirty", "--no-strict")
    assert build.returncode == 0, build.stderr[-3000:]


def site_config() -> dict:
    """mkdocs.yml as MkDocs reads it: `!ENV` tags resolved from the environment."""
    return yaml_load((ROOT / "mkdocs.yml").read_text())


# The address the site is built for: SITE_URL's value if set, as for a build in
# this environment, else mkdocs.yml's local default.
SITE_URL: str = site_config()["site_url"]


def start_site_build(folder: Path) -> subprocess.Popen:
    """Start `mkdocs build --strict` of the site into `folder`/site; it writes its
    output to build.log there, and its exit status to build.rc when it ends."""
    script = '"$@" > "$0/build.log" 2>&1; echo $? > "$0/build.rc"'
    command = [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir"]
    return subprocess.Popen(
        ["sh", "-c", script, folder, *command, folder / "site"],
        cwd=ROOT,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        stdin=subprocess.DEVNULL,
    )


def wait_for_site_build(folder: Path, timeout: float = 900) -> Path:
    """The built site of `start_site_build(folder)` once it ends; fails the test
    with the end of the build's log if it failed."""
    rc_file = folder / "build.rc"
    deadline = time.monotonic() + timeout
    while not rc_file.exists() or not rc_file.read_text().strip():
        if time.monotonic() > deadline:
            pytest.fail(f"the site build in {folder} did not finish in {timeout:.0f} s")
        time.sleep(0.2)
    if rc_file.read_text().strip() != "0":
        log = (folder / "build.log").read_text()[-6000:]
        pytest.fail(f"mkdocs build --strict failed:\n{log}")
    return folder / "site"


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


# The Markdown extensions the hooks' output needs (folds, figures, formulas).
TEST_EXTENSIONS = [
    "attr_list",
    "md_in_html",
    "admonition",
    "pymdownx.details",
    "pymdownx.superfences",
    {"pymdownx.arithmatex": {"generic": True}},
]


def write_config(
    project: Path,
    *,
    plugins: list | None = None,
    nav: list | None = None,
) -> Path:
    """A test project's mkdocs.yml: the site's name, theme and build (its hooks/
    if it has a copy, else the site's), `plugins` (search if not given) and `nav`.
    The path of the file written."""
    site = site_config()
    config = {
        "site_name": site["site_name"],
        "site_url": site["site_url"],
        "theme": site["theme"],
        "plugins": plugins or ["search"],
        "hooks": [
            "hooks/main.py"
            if (project / "hooks").is_dir()
            else str(ROOT / "hooks" / "main.py")
        ],
        "markdown_extensions": TEST_EXTENSIONS,
    }
    if nav:
        config["nav"] = nav
    path = project / "mkdocs.yml"
    path.write_text(yaml.safe_dump(config, sort_keys=False))
    return path


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


# A printed output (a snippet's, or a lab cell's) whose box is taller than its
# lines: one of them wrapped, and a table's row no longer sits on one line.
WRAPPED_OUTPUTS = """() => [...document.querySelectorAll(
    ".snippet-code ~ .highlight code, .jp-OutputArea-output pre > code")]
  .filter((el) => el.getClientRects().length)
  .filter((el) => {
    const style = getComputedStyle(el);
    const lines = el.textContent.replace(/\\n$/, "").split("\\n").length;
    const padding = parseFloat(style.paddingTop) + parseFloat(style.paddingBottom);
    const height = el.getBoundingClientRect().height - padding;
    return height > (lines + 0.5) * parseFloat(style.lineHeight);
  })
  .map((el) => el.textContent.split("\\n")[0].slice(0, 60))"""


def wrapped_outputs(page) -> list[str]:
    """The first line of each printed output that wraps; [] when none does."""
    return page.evaluate(WRAPPED_OUTPUTS)


def overflowing(page) -> list[str]:
    """What runs off the side of the page's viewport; [] when nothing does."""
    return page.evaluate(OVERFLOWING)
