"""The snippet runner: what it captures, how it fails, and its cache."""

import json
import queue
from importlib.metadata import version
from pathlib import Path

import pytest
import snippet_worker
from markers import MarkerError

import snippets

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


def run(tmp_path: Path, source: str, **kwargs) -> snippet_worker.Result:
    path = write(tmp_path, "demo.py", source)
    return snippet_worker.run_snippet(path, root=tmp_path, use_cache=False, **kwargs)


def test_output_keeps_prints_and_warnings_in_order(tmp_path):
    source = (
        "import warnings\nprint('before')\nwarnings.warn('careful')\nprint('after')\n"
    )
    assert run(tmp_path, source).output == "before\nUserWarning: careful\nafter\n"


@pytest.fixture(scope="module")
def single_worker():
    worker = snippet_worker.Worker()
    yield worker
    worker.close()


@pytest.fixture
def one_worker(monkeypatch, single_worker):
    """Every run in the test goes to one worker process (the site uses two), so a
    test can see what one snippet leaves behind for the next in the same process."""
    idle = queue.Queue()
    idle.put(single_worker)
    monkeypatch.setattr(snippet_worker, "_idle", idle)
    return single_worker


def test_a_warning_shows_again_in_every_snippet_that_triggers_it(tmp_path, one_worker):
    source = (
        "import torch\nopt = torch.optim.SGD([torch.zeros(1, requires_grad=True)])\n"
    )
    source += "torch.optim.lr_scheduler.StepLR(opt, 1).step()\n"
    first, second = run(tmp_path, source), run(tmp_path, source)
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
    with pytest.raises(snippet_worker.SnippetError) as err:
        run(tmp_path, "x = 1\n\n\ndef f():\n    return 1 / 0\n\n\nf()\n")
    message = str(err.value)
    assert message.startswith("snippets/demo.py failed:")
    assert 'demo.py", line 5, in f' in message
    assert "ZeroDivisionError: division by zero" in message
    assert "snippet_worker" not in message  # the runner's own frames are noise


def test_a_snippet_that_hangs_times_out_and_the_next_one_still_runs(
    tmp_path, one_worker
):
    with pytest.raises(snippet_worker.SnippetError, match="timed out after 1 s"):
        run(tmp_path, "import time\ntime.sleep(30)\n", timeout=1)
    assert run(tmp_path, "print('alive')\n").output == "alive\n"


def test_plt_show_without_a_figure_is_an_error(tmp_path):
    with pytest.raises(snippet_worker.SnippetError, match="had drawn no figure"):
        run(tmp_path, "import matplotlib.pyplot as plt\nplt.show()\n")


def test_a_figure_the_reader_would_never_see_is_an_error(tmp_path):
    with pytest.raises(snippet_worker.SnippetError, match="never calls plt.show"):
        run(tmp_path, "import matplotlib.pyplot as plt\nplt.plot([1, 2])\n")


def test_snippets_run_from_the_project_folder_as_main(tmp_path):
    source = "import os, sys\nprint(__name__, sys.argv[0].endswith('demo.py'))\n"
    source += "print(os.path.exists('snippets/demo.py'))\n"
    assert run(tmp_path, source).output == "__main__ True\nTrue\n"


def test_the_cache_serves_an_unchanged_snippet_without_running_it(tmp_path):
    path = write(tmp_path, "demo.py", "print('ran')\n")
    first = snippet_worker.run_snippet(path, root=tmp_path)
    cached = snippet_worker.cache_file(path, tmp_path)
    data = json.loads(cached.read_text())
    cached.write_text(json.dumps({**data, "output": "from the cache\n"}))
    assert first.output == "ran\n"
    assert snippet_worker.run_snippet(path, root=tmp_path).output == "from the cache\n"


def test_the_cache_key_changes_with_the_source(tmp_path):
    path = write(tmp_path, "demo.py", "print(1)\n")
    before = snippet_worker.cache_key(path)
    path.write_text("print(2)\n")
    assert snippet_worker.cache_key(path) != before


def test_resolve_refuses_missing_files_and_paths_outside_snippets(tmp_path):
    write(tmp_path, "ok.py", "")
    assert snippets.resolve("ok.py", tmp_path / "snippets").name == "ok.py"
    with pytest.raises(MarkerError, match="does not exist"):
        snippets.resolve("missing.py", tmp_path / "snippets")
    with pytest.raises(MarkerError, match="not a .py file under snippets/"):
        snippets.resolve("../hooks/markers.py", tmp_path / "snippets")


def test_render_shows_titled_code_output_and_both_figure_variants():
    figure = snippet_worker.Figure("<svg/>", "<svg/>", "Figure. [a] b", "", [])
    result = snippet_worker.Result("hello\n", [figure], {})
    markdown = snippets.render("page/demo.py", "print('hello')\n", result, "page.md")
    assert "```python title=\"snippets/page/demo.py\"\nprint('hello')\n```" in markdown
    torch = version("torch")
    assert f'```text title="Output with torch {torch}"\nhello\n```' in markdown
    light = "(assets/snippets/page/demo-1.svg#only-light)"
    assert f"![Figure. \\[a\\] b]{light}{{ loading=lazy }}" in markdown
    assert "(assets/snippets/page/demo-1-dark.svg#only-dark)" in markdown


def test_render_links_figures_relative_to_nested_pages():
    figure = snippet_worker.Figure("", "", "alt", "", [])
    result = snippet_worker.Result("", [figure], {})
    markdown = snippets.render("x/demo.py", "", result, "reference/steplr.md")
    assert "(../assets/snippets/x/demo-1.svg#only-light)" in markdown
    assert "Output" not in markdown  # no empty output block


def test_code_containing_backticks_gets_a_longer_fence():
    result = snippet_worker.Result("", [], {})
    markdown = snippets.render("d.py", 's = """\n```\n"""\n', result, "p.md")
    assert markdown.count("````") == 2


def test_an_unreadable_cache_entry_is_run_again_not_a_crash(tmp_path):
    path = write(tmp_path, "demo.py", "print('ran')\n")
    cached = snippet_worker.cache_file(path, tmp_path)
    cached.parent.mkdir(parents=True)
    cached.write_text('{"output": "cut sho')  # a write cut short
    assert snippet_worker.run_snippet(path, root=tmp_path).output == "ran\n"
