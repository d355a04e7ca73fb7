"""Every snippet runs as a reader would run it, gives the same bytes every time, and
draws figures a reader can read.

Each snippet runs here afresh, after the site build has run it too (and cached the
result): the two runs must agree to the byte. That is the reproducibility gate for
figures and printed output.
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
def test_snippet_runs_and_its_figures_are_titled_and_labelled(path, built_site):
    earlier = snippet_worker.cached_result(path)  # the build's run, for comparison
    try:
        result = snippet_worker.run_snippet(path, use_cache=False)
    except snippet_worker.SnippetError as err:
        pytest.fail(str(err), pytrace=False)
    if earlier is not None:
        assert result.output == earlier.output, "printed output differs between runs"
        assert result.figures == earlier.figures, "figures differ between runs"
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
