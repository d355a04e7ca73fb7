"""The theme's templates are compiled once: a later build loads them compiled; an
edited template, or a filter now called another way, is compiled anew."""

import jinja2
import pytest

import template_cache


def environment(root, templates: dict[str, str], **filters) -> jinja2.Environment:
    """A build's new environment, as the hook leaves it."""
    env = jinja2.Environment(loader=jinja2.DictLoader(templates))
    env.filters.update(filters)
    return template_cache.use_bytecode_cache(env, root)


def test_a_later_build_loads_the_compiled_template_and_an_edit_compiles_again(
    tmp_path, monkeypatch
):
    first = environment(tmp_path, {"main.html": "Hello {{ name }}"})
    assert first.get_template("main.html").render(name="a") == "Hello a"
    assert list((tmp_path / ".cache" / "jinja").rglob("*.cache"))

    later = environment(tmp_path, {"main.html": "Hello {{ name }}"})
    monkeypatch.setattr(later, "compile", pytest.fail)  # must not be needed
    assert later.get_template("main.html").render(name="b") == "Hello b"

    edited = environment(tmp_path, {"main.html": "Bye {{ name }}"})
    assert edited.get_template("main.html").render(name="c") == "Bye c"


def test_a_filter_that_now_takes_the_context_is_compiled_for_it(tmp_path):
    """The compiled call passes the context only if the filter asked for it when
    the template was compiled: that must not come from the cache."""
    page = {"main.html": "{{ 'x' | shout }}"}
    plain = environment(tmp_path, page, shout=str.upper)
    assert plain.get_template("main.html").render() == "X"

    @jinja2.pass_context
    def shout(context, value):
        return value.upper() + context["mark"]

    with_context = environment(tmp_path, page, shout=shout)
    assert with_context.get_template("main.html").render(mark="!") == "X!"
    assert len(list((tmp_path / ".cache" / "jinja").iterdir())) == 1, "old key kept"
