"""Every snippet runs as a reader would run it and draws figures a reader can read.

Results come from the snippet cache when the snippet, torch, matplotlib and the
runner are unchanged: a cached result is the record of running exactly that code.
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest
import snippet_worker

ROOT = Path(__file__).resolve().parent.parent
SNIPPETS = sorted((ROOT / "snippets").rglob("*.py"))


def snippet_id(path: Path) -> str:
    return path.relative_to(ROOT / "snippets").as_posix()


@pytest.mark.parametrize("path", SNIPPETS, ids=snippet_id)
def test_snippet_runs_and_its_figures_are_titled_and_labelled(path):
    try:
        result = snippet_worker.run_snippet(path)
    except snippet_worker.SnippetError as err:
        pytest.fail(str(err), pytrace=False)
    for number, figure in enumerate(result.figures, 1):
        for axes in figure.axes:
            where = f"figure {number}, axes {axes['title']!r}"
            assert axes["xlabel"] and axes["ylabel"], f"{where}: label both axes"
        titled = figure.title or all(axes["title"] for axes in figure.axes)
        assert titled, f"figure {number}: give it a suptitle or title every axes"


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
    assert reader.stdout == snippet_worker.run_snippet(path).output
