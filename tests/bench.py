"""Benchmark (`make bench`): what a contributor waits for, measured in one run.

In a copy of the project in a temporary folder (so the cold build really starts with
no cache, and your own cache is left alone):
  cold         - empty snippet and notebook caches
  warm         - nothing changed
  render only  - the same pages with our hooks and the notebooks switched off: what
                 MkDocs and Material cost alone
  floor        - every snippet and lab run in one interpreter that imported torch
                 once, each figure made into the light and dark SVG the page shows
                 (the worker's own render_figure): what the build must compute.
                 Its run-only part (figures never drawn) is printed too
  edit         - one snippet changed: only that snippet may run again
  serve        - `mkdocs serve`: a prose edit, and a snippet edit, until the served
                 page shows it
Then the whole test suite in a fresh copy (skip with --no-tests), each snippet's run
time, and the weight of each built page.

Budgets (issues 16, 40): warm <= 2.5 x render only; cold <= 1.2 x (floor + render only);
a prose edit served within 2 s, a snippet edit within its run time + 2 s; the suite
under 180 s; our JS+CSS under 70 KB (issues 15, 39, 35), no page over 500 KB. Times vary
from machine to machine: compare the ratios.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

import yaml
from mkdocs.utils.yaml import yaml_load

ROOT = Path(__file__).resolve().parent.parent
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
BUILD = [sys.executable, "-m", "mkdocs", "build", "--site-dir", "site"]
PROSE_PAGE = "learning-rate.md"  # edited by the serve benchmark
EDITED_SNIPPET = "learning-rate/three_rates.py"  # a snippet that page shows


def timed(args: list[str], cwd: Path) -> tuple[float, str]:
    """Seconds the command took, and its output; it must succeed."""
    start = time.perf_counter()
    done = subprocess.run(args, cwd=cwd, env=ENV, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        sys.exit(f"{' '.join(map(str, args))} failed:\n{done.stderr[-3000:]}")
    return seconds, done.stderr


def copy_project(source: Path, dest: Path) -> None:
    """The files git knows of (committed or not ignored): what a clone would have."""
    listed = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard"],
        cwd=source,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split("\n")
    for rel in filter(None, listed):
        if (source / rel).is_file():
            (dest / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source / rel, dest / rel)


def render_only_config(project: Path) -> Path:
    """mkdocs.yml without our hooks and the labs (nor the mkdocs-jupyter plugin,
    which rendered them before hooks/labs.py did: so an older checkout given as
    --project is measured against the same plain build)."""
    config = yaml_load((project / "mkdocs.yml").read_text())
    config.pop("hooks", None)
    config["plugins"] = [
        plugin
        for plugin in config["plugins"]
        if not (isinstance(plugin, dict) and "mkdocs-jupyter" in plugin)
    ]
    config["nav"] = [s for s in config["nav"] if "Labs" not in s]
    config["exclude_docs"] = "labs/\n"
    path = project / "render-only.yml"
    path.write_text(yaml.safe_dump(config, sort_keys=False))
    return path


# Every snippet, then every lab, in one interpreter that imported torch once: the
# compute a build cannot avoid. Each figure becomes the page's two SVGs, as the
# snippet worker makes them (a snippet's at its end, a lab's at each plt.show(), as
# its kernel does); "run" is the time without them.
ONE_PYTHON = """
import json, runpy, sys, time
import matplotlib; matplotlib.use("Agg")
import matplotlib.pyplot as plt, torch
sys.path.insert(0, "hooks")
from figures import STYLE_FILE, render_figure
torch.set_num_threads(1)  # as the snippet worker runs them
times = {}
def figures():
    start = time.perf_counter()
    for number in plt.get_fignums():
        render_figure(plt.figure(number))
    plt.close("all")
    return time.perf_counter() - start
for path in sys.argv[1:]:
    torch.set_default_dtype(torch.float32)
    plt.rcdefaults(); plt.style.use(STYLE_FILE)
    drawn = [0.0]
    lab = path.startswith("docs/")
    plt.show = lambda *a, **k: drawn.append(figures()) if lab else None
    start = time.perf_counter()
    runpy.run_path(path, run_name="__main__")
    drawn.append(figures())
    total = time.perf_counter() - start
    times[path] = {"total": total, "run": total - sum(drawn)}
print(json.dumps(times))
"""


def compute_floor(project: Path) -> dict[str, dict[str, float]]:
    """Seconds of each snippet (snippets/...) and lab (docs/labs/...), figures
    included ("total") and not ("run"), run in one interpreter from the project
    folder."""
    files = sorted((project / "snippets").rglob("*.py"))
    files += sorted((project / "docs" / "labs").glob("*.py"))
    rels = [str(p.relative_to(project)) for p in files]
    done = subprocess.run(
        [sys.executable, "-c", ONE_PYTHON, *rels],
        cwd=project,
        env={**ENV, "MPLBACKEND": "Agg"},
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        sys.exit(f"running the snippets and labs failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(url: str, text: str, timeout: float = 120) -> float:
    """Seconds until the page at `url` contains `text`."""
    start = time.perf_counter()
    while time.perf_counter() - start < timeout:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if text in response.read().decode():
                    return time.perf_counter() - start
        except OSError:
            pass
        time.sleep(0.05)
    sys.exit(f"{url} did not show {text!r} in {timeout:.0f} s")


def serve_latencies(project: Path) -> tuple[float, float]:
    """Seconds until `mkdocs serve` shows a prose edit, then a snippet edit."""
    port = free_port()
    server = subprocess.Popen(
        # As `make serve` runs it: --dirty renders again only the pages that changed.
        [sys.executable, "-m", "mkdocs", "serve", "--dirty"]
        + ["--dev-addr", f"127.0.0.1:{port}"],
        cwd=project,
        env=ENV,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = urllib.parse.urlsplit(
        yaml_load((project / "mkdocs.yml").read_text())["site_url"]
    ).path
    url = f"http://127.0.0.1:{port}{base}{PROSE_PAGE.removesuffix('.md')}/"
    try:
        wait_for(url, "<html")
        time.sleep(2)  # let the watcher settle after the first build
        page = project / "docs" / PROSE_PAGE
        page.write_text(page.read_text() + "\nBenchmarkProseEdit\n")
        prose = wait_for(url, "BenchmarkProseEdit")
        snippet = project / "snippets" / EDITED_SNIPPET
        snippet.write_text(snippet.read_text() + "\nprint('BenchmarkSnippetEdit')\n")
        edit = wait_for(url, "BenchmarkSnippetEdit")
    finally:
        server.terminate()
        server.wait()
    return prose, edit


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


def suite_seconds(source: Path) -> tuple[float, str]:
    """The whole suite in a fresh copy: no cache, as on a clean clone (the venv is
    this one, so installing is not counted)."""
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp)
        copy_project(source, copy)
        start = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"],
            cwd=copy,
            env=ENV,
            capture_output=True,
            text=True,
            stdin=subprocess.DEVNULL,
        )
        return time.perf_counter() - start, done.stdout.strip().splitlines()[-1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-tests", action="store_true", help="skip the suite")
    parser.add_argument(
        "--project",
        type=Path,
        default=ROOT,
        help="a checkout to measure (default: this one)",
    )
    options = parser.parse_args()
    report = {}
    with tempfile.TemporaryDirectory() as tmp:
        project = Path(tmp)
        copy_project(options.project, project)
        cold, _ = timed([*BUILD, "--strict"], project)
        warm, _ = timed([*BUILD, "--strict"], project)
        render_config = str(render_only_config(project))
        timed([*BUILD, "-f", render_config], project)  # its own first run
        render, _ = timed([*BUILD, "-f", render_config], project)
        floors = compute_floor(project)
        times = {rel: seconds["total"] for rel, seconds in floors.items()}
        floor = sum(times.values())
        run_only = sum(seconds["run"] for seconds in floors.values())
        labs = sum(s for rel, s in times.items() if rel.startswith("docs/"))
        snippet = project / "snippets" / EDITED_SNIPPET
        snippet.write_text(snippet.read_text() + "# edited by the benchmark\n")
        edit, log = timed([*BUILD, "--strict"], project)
        reran = re.findall(r"Ran snippets/(\S+) in", log)
        prose, snippet_edit = serve_latencies(project)
        weights = page_weights(project / "site")
        assets = own_assets(project / "site")
    print(f"cold build                 {cold:7.2f} s")
    print(f"warm build                 {warm:7.2f} s")
    print(f"render-only build          {render:7.2f} s")
    print(f"compute floor              {floor:7.2f} s   (labs {labs:.2f} s of it)")
    print(f"  of it running the code   {run_only:7.2f} s   (the rest: figures)")
    print(f"warm / render only         {warm / render:7.2f}     (budget <= 2.5)")
    print(
        f"cold / (floor + render)    {cold / (floor + render):7.2f}     (budget <= 1.2)"
    )
    no_figures = cold / (run_only + render)
    print(f"cold / (run + render)      {no_figures:7.2f}     (floor without figures)")
    print(f"one snippet edited, build  {edit:7.2f} s   (ran again: {', '.join(reran)})")
    print(f"serve: prose edit shown    {prose:7.2f} s   (budget <= 2 s)")
    run = times[f"snippets/{EDITED_SNIPPET}"]
    print(
        f"serve: snippet edit shown  {snippet_edit:7.2f} s   (its run {run:.2f} s;"
        f" budget <= run + 2 s = {run + 2:.2f} s)"
    )
    own_kb = sum(assets.values()) / 1024
    print(f"our JS + CSS (minified)    {own_kb:7.1f} KB  (budget < 70 KB)")
    print("heaviest pages (HTML + our JS/CSS + light figures; budget < 500 KB):")
    for total, page, html, figures in weights[:5]:
        kb = total / 1024, html / 1024, figures / 1024
        print(f"  {kb[0]:7.1f} KB  {page}  (HTML {kb[1]:.0f}, figures {kb[2]:.0f})")
    print(f"each snippet and lab, in one interpreter ({len(times)} files):")
    for rel, seconds in sorted(times.items(), key=lambda kv: -kv[1]):
        print(f"  {seconds:6.2f} s  {rel}")
    report.update(
        cold=cold, warm=warm, render=render, floor=floor, run=run_only, prose=prose
    )
    if not options.no_tests:
        seconds, summary = suite_seconds(options.project)
        print(
            f"test suite, fresh copy     {seconds:7.2f} s   ({summary}; budget < 180 s)"
        )
        report["suite"] = seconds
    print(json.dumps({k: round(v, 2) for k, v in report.items()}))


if __name__ == "__main__":
    main()
