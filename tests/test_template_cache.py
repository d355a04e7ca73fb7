"""The theme's templates are compiled once: a later build loads them compiled, and
an edited template is compiled anew."""

from types import SimpleNamespace

import jinja2
import pytest
import template_cache


def environment(root, templates: dict[str, str]) -> jinja2.Environment:
    """A build's new environment, as the hook leaves it."""
    config = SimpleNamespace(config_file_path=str(root / "mkdocs.yml"))
    env = jinja2.Environment(loader=jinja2.DictLoader(templates))
    return template_cache.on_env(env, config, files=None)


def test_a_later_build_loads_the_compiled_template_and_an_edit_compiles_again(
    tmp_path, monkeypatch
):
    first = environment(tmp_path, {"main.html": "Hello {{ name }}"})
    assert first.get_template("main.html").render(name="a") == "Hello a"
    assert list((tmp_path / ".cache" / "jinja").iterdir())

    later = environment(tmp_path, {"main.html": "Hello {{ name }}"})
    monkeypatch.setattr(later, "compile", pytest.fail)  # must not be needed
    assert later.get_template("main.html").render(name="b") == "Hello b"

    edited = environment(tmp_path, {"main.html": "Bye {{ name }}"})
    assert edited.get_template("main.html").render(name="c") == "Bye c"
