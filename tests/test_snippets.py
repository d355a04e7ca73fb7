"""Every snippet runs as a reader would run it, gives the same bytes every time, and
draws figures a reader can read.

Each snippet runs here afresh, while the site build runs it too: the last test
requires the two runs to agree to the byte. That is the reproducibility gate for
figures and printed output.
"""

import json
import os
import subprocess
import sys
from dataclasses import asdict
from pathlib import Path

import pytest
import snippet_worker

ROOT = Path(__file__).resolve().parent.parent
SNIPPETS = sorted((ROOT / "snippets").rglob("*.py"))


def snippet_id(path: Path) -> str:
    return path.relative_to(ROOT / "snippets").as_posix()


def fresh_result_file(run_dir: Path, path: Path) -> Path:
    return run_dir / "fresh-snippet-runs" / f"{snippet_worker.cache_key(path)}.json"


@pytest.mark.parametrize("path", SNIPPETS, ids=snippet_id)
def test_snippet_runs_and_its_figures_are_titled_and_labelled(path, run_dir):
    try:
        result = snippet_worker.run_snippet(path, use_cache=False)
    except snippet_worker.SnippetError as err:
        pytest.fail(str(err), pytrace=False)
    fresh = fresh_result_file(run_dir, path)
    fresh.parent.mkdir(exist_ok=True)
    fresh.write_text(json.dumps(asdict(result)))
    for number, figure in enumerate(result.figures, 1):
        for axes in figure.axes:
            where = f"figure {number}, axes {axes['title']!r}"
            assert axes["xlabel"] and axes["ylabel"], f"{where}: label both axes"
        titled = figure.title or all(axes["title"] for axes in figure.axes)
        assert titled, f"figure {number}: give it a suptitle or title every axes"


def test_every_snippet_gives_the_build_the_same_bytes_as_a_second_run(
    built_site, run_dir
):
    compared, differ = 0, []
    for path in SNIPPETS:
        fresh = fresh_result_file(run_dir, path)
        if not fresh.exists():
            continue  # its run failed above, or was not selected
        compared += 1
        build = snippet_worker.cached_result(path)
        if build is None or json.loads(fresh.read_text()) != asdict(build):
            differ.append(snippet_id(path))
    if not compared:
        pytest.skip("no snippet ran in this session to compare with the build")
    assert differ == [], "output or figures differ between two runs"


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
