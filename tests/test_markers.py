"""Markers: found outside fenced code only, unknown kinds refused."""

import pytest

import markers

PAGE = """# Page

<!-- snippet: a/one.py -->

```markdown
<!-- snippet: inside/a_fence.py -->
```

````text
```
<!-- nonsense: still inside the outer fence -->
````

  <!-- quiz: page -->
"""


def test_markers_in_fenced_code_are_left_alone():
    found = markers.find_markers(PAGE)
    assert [(m.kind, m.arg, m.line) for m in found] == [
        ("snippet", "a/one.py", 3),
        ("quiz", "page", 14),
    ]


def test_an_unknown_marker_kind_is_an_error_with_its_line():
    with pytest.raises(markers.MarkerError, match=r"line 2: unknown marker 'snipet'"):
        markers.find_markers("text\n<!-- snipet: a.py -->\n")


def test_ordinary_html_comments_are_not_markers():
    assert markers.find_markers("<!-- a note for authors -->\n") == ()


def test_replace_markers_replaces_only_its_kind():
    page = "a\n<!-- snippet: x.py -->\n<!-- quiz: q -->\n"
    out = markers.replace_markers(page, {"snippet": lambda m: f"[{m.arg}]"})
    assert out == "a\n[x.py]\n<!-- quiz: q -->\n"


def test_a_marker_inside_a_tab_is_replaced_at_the_tab_indentation():
    page = '=== "Wrong"\n\n    <!-- snippet: x.py -->\n'
    out = markers.replace_markers(
        page, {"snippet": lambda m: "```python\nx = 1\n\n```"}
    )
    assert out == '=== "Wrong"\n\n    ```python\n    x = 1\n\n    ```\n'
