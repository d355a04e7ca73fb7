"""Code blocks keep their look with fewer elements (hooks/minify.py)."""

import minify


def test_names_and_spaces_lose_their_spans_and_one_class_shares_one():
    code = (
        '<code><span class="n">lr</span><span class="w"> </span>'
        '<span class="o">=</span><span class="w"> </span><span class="mf">0.1</span>'
        '<span class="p">(</span>'
        '<span class="p">)</span></code>'
    )
    assert minify.fewer_code_elements(code) == (
        '<code>lr <span class="o">=</span> <span class="mf">0.1</span>'
        '<span class="p">()</span></code>'
    )


def test_spans_outside_code_and_other_classes_are_left_alone():
    page = (
        '<p><span class="n">not code</span></p><code><span class="k">def</span></code>'
    )
    assert minify.fewer_code_elements(page) == page
