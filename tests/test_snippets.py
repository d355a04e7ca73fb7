"""Every snippet runs as a reader would run it, on this CPU and on another one, and
draws figures a reader can read; every page says what its own run printed.

The build runs each snippet on this CPU's kernels. Here each runs again, while the
site builds, on PyTorch's portable ATen kernels (ATEN_CPU_CAPABILITY=default), which
print other last digits, as another CPU (or a reader's laptop) does. Its
asserts, which state the page's claims, must hold there too; the page and its quiz
must bind to that run's values; and the two runs must tell the same story. That run
describes each figure (alt text, title, axes) without drawing it: drawing is two
thirds of a run, and the build draws and checks every figure already.
"""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

import cache
import snippet_pool
import snippet_runner
import values
from snippets import quiz_snippet_paths, snippet_paths
from support import ROOT, snippet_pages

DOCS, QUIZ, SNIPPETS = ROOT / "docs", ROOT / "quiz", ROOT / "snippets"
PAGES = snippet_pages()
DIGITS = re.compile(r"[-+]?(?:\d+\.?\d*|\.\d+)(?:e[-+]?\d+)?|\b(?:nan|inf)\b")
# The portable runs' replies, keyed as the build's results are (the source, the
# kernels, the libraries, the worker and its figure code); the build's own cache
# holds drawn results only.
PORTABLE_RUNS = ROOT / ".cache" / "portable-runs"


@pytest.fixture(scope="session")
def portable_pool():
    """A worker on the portable kernels that describes figures, not draws them."""
    pool = snippet_pool.Pool(1, snippet_runner.PORTABLE, figures="described")
    yield pool
    pool.close()


def described(result: snippet_runner.Result) -> dict:
    """A drawn result as the portable run gives it: each figure described."""
    figures = [
        {"alt": fig.alt, "title": fig.title, "axes": fig.axes} for fig in result.figures
    ]
    return {"output": result.output, "figures": figures, "values": result.values}


def portable_file(rel: str) -> Path:
    key = snippet_runner.cache_key(SNIPPETS / rel, snippet_runner.PORTABLE)
    return PORTABLE_RUNS / f"{key}.json"


def portable_run(rel: str, pool: snippet_pool.Pool) -> dict:
    """The snippet's run on the portable kernels, as `described` gives a result
    (cached). When the whole suite runs on them, it is the build's own run."""
    if snippet_runner.kernels() == snippet_runner.PORTABLE:
        return described(snippet_runner.run_snippet(SNIPPETS / rel, ROOT))
    file = portable_file(rel)
    try:
        return json.loads(file.read_text())
    except (OSError, ValueError):
        pass  # not run yet with this source and this runner
    try:
        reply = pool.run(SNIPPETS / rel, ROOT)
    except snippet_runner.SnippetError as err:
        reply = {"error": str(err)}
    if "error" in reply:
        pytest.fail(f"on the portable kernels, {rel}:\n{reply['error']}", pytrace=False)
    del reply["seconds"]  # how long it ran is no part of what it tells
    file.parent.mkdir(parents=True, exist_ok=True)
    cache.write_atomically(file, json.dumps(reply))  # two test processes may write
    return reply


@pytest.mark.parametrize("page", PAGES)
def test_on_another_cpu_every_snippet_holds_and_the_page_binds_its_own_run(
    page, portable_pool
):
    markdown = (DOCS / page).read_text()
    ran = {}
    folder = page.removesuffix(".md")
    drills = [  # the snippets that draw its quiz's curve-reading drills
        rel
        for rel, quiz_file in quiz_snippet_paths(QUIZ).items()
        if quiz_file == f"quiz/{folder}.json"
    ]
    for rel in snippet_paths(markdown) + drills:
        result = portable_run(rel, portable_pool)
        ran[rel] = result["values"]
        for number, figure in enumerate(result["figures"], 1):
            where = f"{rel}, figure {number}"
            for axes in figure["axes"]:
                assert axes["xlabel"] and axes["ylabel"], f"{where}: label both axes"
            titled = figure["title"] or all(axes["title"] for axes in figure["axes"])
            assert titled, f"{where}: give it a suptitle or title every axes"
    values_of = values.values_for(folder, ran)
    values.bind_page(markdown, values_of)
    quiz = QUIZ / f"{folder}.json"
    if quiz.exists():
        values.bind_strings(json.loads(quiz.read_text()), values_of)


def story(run: dict) -> dict:
    """The run with every number masked: what must not depend on the CPU."""
    return {
        "output": DIGITS.sub("#", run["output"]),
        "figures": [
            {"alt": DIGITS.sub("#", figure["alt"]), "axes": len(figure["axes"])}
            for figure in run["figures"]
        ],
        "values": sorted(run["values"]),
    }


def test_every_snippet_tells_the_same_story_on_another_cpu(built_site, portable_pool):
    """The build's run against the portable one, both fresh processes. Where the
    kernels do not matter (most snippets: scheduler arithmetic, and matrix products,
    which BLAS computes the same way under either), they must print, leave and
    describe exactly the same: the reproducibility gate for output, values and
    figures' text (the test below holds SVGs to their bytes). Elsewhere, the same
    words, lines, figures and value names, only the digits changed. (When the whole
    suite runs on the portable kernels, both are one cached run.)"""
    pages = [(DOCS / page).read_text() for page in PAGES]
    shown = {rel for page in pages for rel in snippet_paths(page)}
    shown = sorted(shown | set(quiz_snippet_paths(QUIZ)))
    same, differ = 0, []
    for rel in shown:
        # The build's run, cached.
        native = described(snippet_runner.run_snippet(SNIPPETS / rel, ROOT))
        portable = portable_run(rel, portable_pool)
        same += native == portable
        if native != portable and story(native) != story(portable):
            differ.append(rel)
    assert differ == [], "another CPU tells another story"
    assert same >= len(shown) // 2, "most snippets no longer repeat exactly"
    kept = {portable_file(rel) for rel in shown}  # the runs of deleted sources go
    for file in PORTABLE_RUNS.glob("*.json"):
        if file not in kept:
            file.unlink(missing_ok=True)


def test_a_figure_is_the_same_svg_bytes_in_another_process_on_other_kernels(
    built_site,
):
    """The reproducibility gate for SVGs: a snippet whose figures no kernel changes
    (scheduler arithmetic), run and drawn again in a new worker on the portable
    kernels, gives the build's bytes: output, values and every SVG."""
    path = SNIPPETS / "reference" / "chainedscheduler" / "chainedscheduler.py"
    pool = snippet_pool.Pool(1, snippet_runner.PORTABLE)
    try:
        again = snippet_runner.run_snippet(path, ROOT, use_cache=False, pool=pool)
    finally:
        pool.close()
    assert again.figures, "a snippet that draws"
    assert again == snippet_runner.run_snippet(path, ROOT)  # the build's, cached


def test_a_snippet_runs_with_plain_python_like_on_the_page(output_of):
    """The worker imitates `python snippets/x.py`; check one against the real thing
    (the build's run of it, cached)."""
    rel = "learning-rate/three_rates.py"
    reader = subprocess.run(
        [sys.executable, f"snippets/{rel}"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "MPLBACKEND": "Agg"},
        timeout=120,
    )
    assert reader.returncode == 0, reader.stderr
    assert reader.stdout == output_of(rel)
