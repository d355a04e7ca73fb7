"""The snippet runner: what it captures, how it fails, and its cache."""

import json
from importlib.metadata import version
from pathlib import Path

import pytest

import figures
import snippet_markdown
import snippet_pool
import snippet_runner
import snippets
from markers import MarkerError

FIGURE = """
import matplotlib.pyplot as plt
fig, ax = plt.subplots()
ax.plot([0, 1, 2], [3, 1, 2], label="loss")
ax.set(title="A title", xlabel="step", ylabel="loss")
ax.legend()
plt.show()
"""


def write(folder: Path, name: str, source: str) -> Path:
    path = folder / "snippets" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(source)
    return path


def run(tmp_path: Path, source: str, **kwargs) -> snippet_runner.Result:
    path = write(tmp_path, "demo.py", source)
    return snippet_runner.run_snippet(path, root=tmp_path, use_cache=False, **kwargs)


def test_output_keeps_prints_and_warnings_in_order(tmp_path):
    source = (
        "import warnings\nprint('before')\nwarnings.warn('careful')\nprint('after')\n"
    )
    assert run(tmp_path, source).output == "before\nUserWarning: careful\nafter\n"


def test_a_snippet_that_reaches_torch_without_naming_it_is_told_to(tmp_path):
    """The worker sets torch up (one thread, float32) before a snippet that names
    it; one that imports it some other way would run with torch's defaults."""
    pool = snippet_pool.Pool(1)  # a new worker, which has not imported torch
    hidden = "import importlib\nimportlib.import_module('tor' + 'ch')\n"
    try:
        with pytest.raises(snippet_runner.SnippetError, match="without naming it"):
            run(tmp_path, hidden, pool=pool)
    finally:
        pool.close()


@pytest.fixture(scope="module")
def one_worker():
    """A pool of one worker process (the site's has two), so a test can see what
    one snippet leaves behind for the next in the same process."""
    pool = snippet_pool.Pool(1)
    yield pool
    pool.close()


def test_a_warning_shows_again_in_every_snippet_that_triggers_it(tmp_path, one_worker):
    source = (
        "import torch\nopt = torch.optim.SGD([torch.zeros(1, requires_grad=True)])\n"
    )
    source += "torch.optim.lr_scheduler.StepLR(opt, 1).step()\n"
    first = run(tmp_path, source, pool=one_worker)
    second = run(tmp_path, source, pool=one_worker)
    assert "optimizer.step()" in first.output
    assert first.output == second.output


def test_figures_come_back_as_light_and_dark_svg_with_alt_text(tmp_path):
    (figure,) = run(tmp_path, FIGURE).figures
    assert figure.light.startswith("<?xml") and "<svg" in figure.light
    assert figure.dark != figure.light
    assert figure.alt == "Figure. A title: loss against step; lines: loss."
    assert figure.axes[0]["xlabel"] == "step"


def test_figures_are_byte_identical_across_runs(tmp_path):
    assert run(tmp_path, FIGURE).figures == run(tmp_path, FIGURE).figures


def test_a_failing_snippet_names_its_file_and_shows_its_traceback(tmp_path):
    with pytest.raises(snippet_runner.SnippetError) as err:
        run(tmp_path, "x = 1\n\n\ndef f():\n    return 1 / 0\n\n\nf()\n")
    message = str(err.value)
    assert message.startswith("snippets/demo.py failed:")
    assert 'demo.py", line 5, in f' in message
    assert "ZeroDivisionError: division by zero" in message
    assert "snippet_worker" not in message  # the runner's own frames are noise


def test_a_snippet_that_hangs_times_out_and_the_next_one_still_runs(
    tmp_path, one_worker
):
    with pytest.raises(snippet_runner.SnippetError, match="timed out after 1 s"):
        run(tmp_path, "import time\ntime.sleep(30)\n", timeout=1, pool=one_worker)
    assert run(tmp_path, "print('alive')\n", pool=one_worker).output == "alive\n"


def test_serve_starts_a_worker_before_any_snippet_needs_it(tmp_path):
    """`mkdocs serve` starts one worker at once, so the first snippet edit waits for
    its run only; that run uses the worker already started."""
    pool = snippet_pool.Pool(2)
    try:
        pool.start_one_in_background().join()
        started = [w for w in pool.workers if w.running]
        assert len(started) == 1
        assert run(tmp_path, "print('ran')\n", pool=pool).output == "ran\n"
        assert [w for w in pool.workers if w.running] == started  # no second start
    finally:
        pool.close()


def test_plt_show_without_a_figure_is_an_error(tmp_path):
    with pytest.raises(snippet_runner.SnippetError, match="had drawn no figure"):
        run(tmp_path, "import matplotlib.pyplot as plt\nplt.show()\n")


def test_a_figure_the_reader_would_never_see_is_an_error(tmp_path):
    with pytest.raises(snippet_runner.SnippetError, match="never calls plt.show"):
        run(tmp_path, "import matplotlib.pyplot as plt\nplt.plot([1, 2])\n")
    # Naming plt.show() in a comment does not show the figure either.
    source = "import matplotlib.pyplot as plt\nplt.plot([1, 2])  # no plt.show()\n"
    with pytest.raises(snippet_runner.SnippetError, match="never calls plt.show"):
        run(tmp_path, source)


def test_pyplot_show_by_any_name_shows_the_figure(tmp_path):
    source = FIGURE.replace(
        "plt.show()", "from matplotlib import pyplot\npyplot.show()"
    )
    assert len(run(tmp_path, source).figures) == 1


def test_snippets_run_from_the_project_folder_as_main(tmp_path):
    source = "import os, sys\nprint(__name__, sys.argv[0].endswith('demo.py'))\n"
    source += "print(os.path.exists('snippets/demo.py'))\n"
    assert run(tmp_path, source).output == "__main__ True\nTrue\n"


def test_the_cache_serves_an_unchanged_snippet_without_running_it(tmp_path):
    path = write(tmp_path, "demo.py", "print('ran')\n")
    first = snippet_runner.run_snippet(path, root=tmp_path)
    cached = snippet_runner.cache_file(path, tmp_path)
    data = json.loads(cached.read_text())
    cached.write_text(json.dumps({**data, "output": "from the cache\n"}))
    assert first.output == "ran\n"
    assert snippet_runner.run_snippet(path, root=tmp_path).output == "from the cache\n"


def test_the_cache_key_changes_with_the_source(tmp_path):
    path = write(tmp_path, "demo.py", "print(1)\n")
    before = snippet_runner.cache_key(path)
    path.write_text("print(2)\n")
    assert snippet_runner.cache_key(path) != before


@pytest.mark.parametrize(
    ("edited", "runs_again"),
    [
        ("snippet_worker.py", True),
        *((path.name, True) for path in figures.FIGURE_CODE),  # the style too
        ("snippet_runner.py", False),
    ],
)
def test_an_edit_runs_every_snippet_again_only_if_it_can_change_a_result(
    tmp_path, monkeypatch, edited, runs_again
):
    path = write(tmp_path, "demo.py", "print(1)\n")
    before = snippet_runner.cache_key(path)
    read_bytes = Path.read_bytes

    def read_edited(self: Path) -> bytes:
        return read_bytes(self) + (b"\n# edited\n" if self.name == edited else b"")

    monkeypatch.setattr(Path, "read_bytes", read_edited)
    snippet_runner._runner_digest.cache_clear()
    try:
        assert (snippet_runner.cache_key(path) != before) == runs_again
    finally:
        monkeypatch.undo()
        snippet_runner._runner_digest.cache_clear()


def test_every_package_a_snippet_imports_is_in_its_cache_key():
    """An upgrade of a package a snippet imports (peft, say) must run it again:
    a cached run would print the old version's numbers beside a Checked-with box
    that names the new one."""
    import ast
    import sys
    from importlib.metadata import packages_distributions

    distributions = packages_distributions()
    imported = set()
    for path in (Path(__file__).parents[1] / "snippets").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                imported.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0:
                imported.add(node.module.split(".")[0])
    third_party = imported - set(sys.stdlib_module_names)
    assert {"torch", "peft", "sklearn"} <= third_party  # the walk finds imports
    missing = {
        module: distributions[module]
        for module in third_party
        if not set(distributions[module]) & set(snippet_runner.RESULT_PACKAGES)
    }
    assert missing == {}


def test_pruning_deletes_only_results_no_page_uses(tmp_path):
    used = write(tmp_path, "used.py", "print('used')\n")
    gone = write(tmp_path, "gone.py", "print('gone')\n")
    for path in (used, gone):
        snippet_runner.run_snippet(path, tmp_path)
    portable = snippet_runner.cache_file(used, tmp_path, snippet_runner.PORTABLE)
    portable.write_text(snippet_runner.cache_file(used, tmp_path).read_text())
    assert snippet_runner.prune_cache([used], tmp_path) == 1
    left = {p.name for p in (tmp_path / snippet_runner.CACHE_DIR).iterdir()}
    assert left == {
        snippet_runner.cache_file(used, tmp_path).name,
        portable.name,
    }


def test_resolve_refuses_missing_files_and_paths_outside_snippets(tmp_path):
    write(tmp_path, "ok.py", "")
    assert snippets.resolve("ok.py", tmp_path / "snippets").name == "ok.py"
    with pytest.raises(MarkerError, match="does not exist"):
        snippets.resolve("missing.py", tmp_path / "snippets")
    with pytest.raises(MarkerError, match="not a .py file under snippets/"):
        snippets.resolve("../hooks/markers.py", tmp_path / "snippets")


SVG = '<svg width="360pt" height="216pt"/>'  # sized as matplotlib sizes it, in pt
PHONE_SVG = '<svg width="270pt" height="405pt"/>'  # its phone variant: stacked


def figure(alt: str) -> snippet_runner.Figure:
    return snippet_runner.Figure(SVG, SVG, PHONE_SVG, PHONE_SVG, alt, "", [])


def test_render_shows_titled_code_output_and_both_figure_variants():
    result = snippet_runner.Result("hello\n", [figure("Figure. [a] <b>")], {})
    markdown = snippet_markdown.render("page/demo.py", "print('hello')\n", result, "")
    assert "```python title=\"snippets/page/demo.py\"\nprint('hello')\n```" in markdown
    torch = version("torch")
    assert f'```text title="Output with torch {torch}"\nhello\n```' in markdown
    # Each palette a picture: the phone's variant by a media query, the wide one
    # for the rest, each sized in CSS px (it keeps its room), one lightbox link.
    for scheme, dark in [("light", ""), ("dark", "-dark")]:
        link = f'<a class="glightbox" href="assets/snippets/page/demo-1{dark}.svg'
        assert f'{link}#only-{scheme}" data-type="image"' in markdown
        assert (
            '<picture><source media="(max-width: 40em)" '
            f'srcset="assets/snippets/page/demo-1-phone{dark}.svg" '
            'width="360" height="540">'
        ) in markdown
        assert (
            f'<img class="off-glb" src="assets/snippets/page/demo-1{dark}.svg'
            f'#only-{scheme}" alt="Figure. [a] &lt;b&gt;" loading="lazy" '
            'width="480" height="288"></picture></a>'
        ) in markdown
        assert f'data-gallery="{scheme}"' in markdown


def test_render_links_figures_relative_to_nested_pages():
    result = snippet_runner.Result("", [figure("alt")], {})
    markdown = snippet_markdown.render("x/demo.py", "", result, "reference/steplr/")
    assert 'src="../../assets/snippets/x/demo-1.svg#only-light"' in markdown
    assert 'srcset="../../assets/snippets/x/demo-1-phone-dark.svg"' in markdown
    assert "Output" not in markdown  # no empty output block


def test_code_containing_backticks_gets_a_longer_fence():
    result = snippet_runner.Result("", [], {})
    markdown = snippet_markdown.render("d.py", 's = """\n```\n"""\n', result, "p.md")
    assert markdown.count("````") == 2


def test_an_unreadable_cache_entry_is_run_again_not_a_crash(tmp_path):
    path = write(tmp_path, "demo.py", "print('ran')\n")
    cached = snippet_runner.cache_file(path, tmp_path)
    cached.parent.mkdir(parents=True)
    cached.write_text('{"output": "cut sho')  # a write cut short
    assert snippet_runner.run_snippet(path, root=tmp_path).output == "ran\n"


def test_a_rebuild_reads_an_edited_figure_style_and_restarts_the_workers(
    tmp_path, monkeypatch
):
    """`mkdocs serve` loads the hooks once; each build must see such an edit."""
    path = tmp_path / "a.py"
    path.write_text("print(1)\n")
    before, original = snippet_runner.cache_key(path), figures.FIGURE_CODE
    style = tmp_path / "figure.mplstyle"
    style.write_text(figures.STYLE_FILE.read_text() + "lines.linewidth: 3\n")
    edited = tuple(style if p == figures.STYLE_FILE else p for p in original)
    restarts = []
    monkeypatch.setattr(snippet_pool, "close_pools", lambda: restarts.append(1))
    monkeypatch.setattr(figures, "FIGURE_CODE", edited)
    try:
        snippet_runner.reload_worker_if_edited()
        assert snippet_runner.cache_key(path) != before and restarts == [1]
        snippet_runner.reload_worker_if_edited()  # nothing changed since
        assert restarts == [1]
    finally:  # the real style again, for the other tests in this process
        monkeypatch.setattr(figures, "FIGURE_CODE", original)
        snippet_runner.reload_worker_if_edited()
    assert snippet_runner.cache_key(path) == before and restarts == [1, 1]


def test_a_run_that_draws_no_figure_never_becomes_a_pages_result(tmp_path):
    """The tests' portable run describes figures without drawing them: its pool
    is refused where a result is cached for the pages."""
    path = write(tmp_path, "demo.py", "print('ran')\n")
    described = snippet_pool.Pool(1, figures="described")  # starts no worker
    with pytest.raises(ValueError, match="draws figures"):
        snippet_runner.run_snippet(path, root=tmp_path, pool=described)
    assert not (tmp_path / snippet_runner.CACHE_DIR).exists()
