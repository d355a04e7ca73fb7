"""Each code block is highlighted once: later builds reuse the HTML, which is the
same as highlighting anew, and a change of settings highlights anew."""

import json
from types import SimpleNamespace

import highlight_cache
import markdown
import markers
import pytest

PAGE = "```python\nx = 1  # one\n```\n\nText.\n\n```python\ny = 2\n```\n"


EXTENSIONS = ["pymdownx.highlight", "pymdownx.superfences", "pymdownx.inlinehilite"]


def build(root, page: str, **highlight) -> str:
    """What a build does: load the cache, convert a page, write the cache back."""
    config = SimpleNamespace(config_file_path=str(root / "mkdocs.yml"))
    highlight_cache.on_config(config)
    html = markdown.markdown(
        page,
        extensions=EXTENSIONS,
        extension_configs={"pymdownx.highlight": highlight},
    )
    highlight_cache.on_post_build(config)
    return html


@pytest.fixture
def highlighted(monkeypatch) -> list[str]:
    """The code of each block Pygments highlighted (superfences swallows errors
    raised in a highlighter, so calls are counted, not failed)."""
    calls, original = [], highlight_cache._original

    def counted(self, src, *args, **kwargs):
        calls.append(src)
        return original(self, src, *args, **kwargs)

    monkeypatch.setattr(highlight_cache, "_original", counted)
    # A fresh process: a build knows only what the cache file holds.
    monkeypatch.setattr(highlight_cache, "_cache", markers.BuildCache("h.json"))
    return calls


def test_a_second_build_reuses_the_html_and_it_is_the_same(tmp_path, highlighted):
    first = build(tmp_path, PAGE, anchor_linenums=True)
    assert 'class="highlight"' in first and "__codelineno-1-1" in first
    assert highlighted == ["x = 1  # one", "y = 2"]
    assert build(tmp_path, PAGE, anchor_linenums=True) == first
    assert len(highlighted) == 2


def test_other_settings_or_code_are_highlighted_anew(tmp_path, highlighted):
    build(tmp_path, PAGE)
    build(tmp_path, PAGE, linenums=True)
    build(tmp_path, "```python\nz = 3\n```\n", linenums=True)
    assert highlighted == ["x = 1  # one", "y = 2"] * 2 + ["z = 3"]


def test_inline_code_is_highlighted_every_time_and_not_kept(tmp_path, highlighted):
    for _ in range(2):
        html = build(tmp_path, "Set `#!python lr=0.1` first.\n")
        assert '<code class="highlight">' in html
    assert highlighted == ["lr=0.1", "lr=0.1"]
    assert not highlight_cache._cache.path.exists()  # nothing kept, nothing written


def test_the_cache_keeps_only_the_blocks_the_last_build_used(tmp_path, highlighted):
    build(tmp_path, PAGE)
    build(tmp_path, "```python\nx = 1  # one\n```\n")
    assert len(json.loads(highlight_cache._cache.path.read_text())) == 1
