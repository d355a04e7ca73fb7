"""The site's JavaScript logic apart from the page (docs/javascripts/lib/): the
Leitner review, gradient descent and the trainer, and the schedulers' engine, by
the Node unit tests in tests/js/ (`node --test`, no npm package needed)."""

from __future__ import annotations

import subprocess

import pytest

from support import ROOT, node

UNIT_TESTS = sorted((ROOT / "tests" / "js").glob("*.test.js"))


def test_there_is_a_unit_test_for_every_logic_module():
    modules = {p.stem for p in (ROOT / "docs" / "javascripts" / "lib").glob("*.js")}
    assert modules == {p.name.removesuffix(".test.js") for p in UNIT_TESTS}


@pytest.mark.parametrize("unit_test", UNIT_TESTS, ids=lambda p: p.name)
def test_javascript_unit_tests_pass(unit_test):
    try:
        node("--test", "--test-reporter=spec", str(unit_test))
    except subprocess.CalledProcessError as failure:
        pytest.fail(f"{unit_test.name} failed:\n{failure.stdout}\n{failure.stderr}")
