"""Every snippet runs as a reader would run it, on this CPU and on another one, and
draws figures a reader can read; every page says what its own run printed.

The build runs each snippet on this CPU's kernels. Here each runs again, while the
site builds, on PyTorch's portable ATen kernels (ATEN_CPU_CAPABILITY=default), which
print other last digits, as another CPU (or a reader's laptop) does. Its
asserts, which state the page's claims, must hold there too; the page and its quiz
must bind to that run's values; and the two runs must tell the same story.
"""

import json
import os
import re
import subprocess
import sys
from dataclasses import asdict

import pytest
from support import ROOT, snippet_pages

import snippet_pool
import snippet_runner
import values
from snippets import quiz_snippet_paths, snippet_paths

DOCS, QUIZ, SNIPPETS = ROOT / "docs", ROOT / "quiz", ROOT / "snippets"
PAGES = snippet_pages()
DIGITS = re.compile(r"[-+]?(?:\d+\.?\d*|\.\d+)(?:e[-+]?\d+)?|\b(?:nan|inf)\b")


def portable_run(rel: str) -> snippet_runner.Result:
    """The snippet's result on the portable kernels (cached like the build's)."""
    try:
        return snippet_runner.run_snippet(
            SNIPPETS / rel, ROOT, pool=snippet_pool.shared_pool(portable=True)
        )
    except snippet_runner.SnippetError as err:
        pytest.fail(f"on the portable kernels: {err}", pytrace=False)


@pytest.mark.parametrize("page", PAGES)
def test_on_another_cpu_every_snippet_holds_and_the_page_binds_its_own_run(page):
    markdown = (DOCS / page).read_text()
    ran = {}
    folder = page.removesuffix(".md")
    drills = [  # the snippets that draw its quiz's curve-reading drills
        rel
        for rel, quiz_file in quiz_snippet_paths(QUIZ).items()
        if quiz_file == f"quiz/{folder}.json"
    ]
    for rel in snippet_paths(markdown) + drills:
        result = portable_run(rel)
        ran[rel] = result.values
        for number, figure in enumerate(result.figures, 1):
            where = f"{rel}, figure {number}"
            for axes in figure.axes:
                assert axes["xlabel"] and axes["ylabel"], f"{where}: label both axes"
            titled = figure.title or all(axes["title"] for axes in figure.axes)
            assert titled, f"{where}: give it a suptitle or title every axes"
    values_of = values.values_for(folder, ran)
    values.bind_page(markdown, values_of)
    quiz = QUIZ / f"{folder}.json"
    if quiz.exists():
        values.bind_strings(json.loads(quiz.read_text()), values_of)


def story(result: snippet_runner.Result) -> dict:
    """The result with every number masked: what must not depend on the CPU."""
    data = asdict(result)
    del data["seconds"]  # how long it ran is no part of what it tells
    data["output"] = DIGITS.sub("#", data["output"])
    data["figures"] = [
        {"alt": DIGITS.sub("#", figure["alt"]), "axes": len(figure["axes"])}
        for figure in data["figures"]
    ]
    data["values"] = sorted(data["values"])
    return data


def test_every_snippet_tells_the_same_story_on_another_cpu(built_site):
    """The build's run against the portable one, both fresh processes. Where the
    kernels do not matter (most snippets: scheduler arithmetic, and matrix products,
    which BLAS computes the same way under either), they must be the same bytes: the
    reproducibility gate for figures and output. Elsewhere, the same words, lines,
    figures and value names, only the digits changed. (When the whole suite runs on
    the portable kernels, both are one cached run.)"""
    pages = [(DOCS / page).read_text() for page in PAGES]
    shown = {rel for page in pages for rel in snippet_paths(page)}
    shown = sorted(shown | set(quiz_snippet_paths(QUIZ)))
    same_bytes, differ = 0, []
    for rel in shown:
        native = snippet_runner.run_snippet(SNIPPETS / rel, ROOT)  # the build's, cached
        portable = portable_run(rel)
        same_bytes += native == portable
        if native != portable and story(native) != story(portable):
            differ.append(rel)
    assert differ == [], "another CPU tells another story"
    assert same_bytes >= len(shown) // 2, "most snippets no longer repeat to the byte"


def test_a_snippet_runs_with_plain_python_like_on_the_page():
    """The worker imitates `python snippets/x.py`; check one against the real thing."""
    path = ROOT / "snippets" / "learning-rate" / "three_rates.py"
    reader = subprocess.run(
        [sys.executable, str(path.relative_to(ROOT))],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "MPLBACKEND": "Agg"},
        timeout=120,
    )
    assert reader.returncode == 0, reader.stderr
    assert reader.stdout == snippet_runner.run_snippet(path, ROOT).output
