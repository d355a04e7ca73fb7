"""Names in tables break only after `_` or `.` (hooks/table_code.py and site.css):
on a phone the browser broke inline code anywhere, "cosine_ with_re starts"."""

from __future__ import annotations

import re

import pytest

from table_code import BREAK_RE, break_identifiers

TABLE_PAGES = ["training/frameworks/", "reference/", "training/"]
CELL_CODE_RE = re.compile(r"<t[dh]\b[^>]*>(?:(?!</t[dh]>).)*?<code\b", re.S)


def test_names_in_a_table_cell_get_a_break_after_underscore_and_dot():
    html = (
        "<table><tr><th><code>lr_scheduler_type</code></th>"
        "<td><code>optim.lr_scheduler</code> and <code>1.0</code>"
        " <code>__init__</code> <code>peak / 2.</code></td></tr></table>"
    )
    assert break_identifiers(html) == (
        "<table><tr><th><code>lr_<wbr>scheduler_<wbr>type</code></th>"
        "<td><code>optim.<wbr>lr_<wbr>scheduler</code> and <code>1.0</code>"
        " <code>__init__</code> <code>peak / 2.</code></td></tr></table>"
    )


def test_code_blocks_text_and_tags_outside_table_cells_stay_as_they_are():
    pre = "<pre><code><table>\n<td><code>a_b</code></td></table></code></pre>"
    prose = "<p><code>num_cycles</code> and warm_up</p>"
    in_cell = (
        '<table><td><a href="x_y.md">x_y <code class="x_y">a_b</code></a></td></table>'
    )
    html = pre + prose + in_cell
    assert break_identifiers(html) == pre + prose + in_cell.replace(
        "a_b</code>", "a_<wbr>b</code>"
    )


def test_every_table_name_on_the_built_pages_breaks_only_at_underscore_or_dot(
    built_site,
):
    seen = 0
    for path in TABLE_PAGES:
        html = (built_site / path / "index.html").read_text()
        html = re.sub(r"<pre\b.*?</pre>", "", html, flags=re.S)
        for table in re.findall(r"<table>.*?</table>", html, re.S):
            for cell in re.findall(r"<t[dh]\b[^>]*>.*?</t[dh]>", table, re.S):
                for code in re.findall(r"<code\b[^>]*>(.*?)</code>", cell, re.S):
                    seen += 1
                    text = re.sub(r"<(?!wbr>)[^>]+>", "", code)
                    assert all(c[-1] in "_." for c in text.split("<wbr>")[:-1]), code
                    plain = text.replace("<wbr>", "")
                    # and no name on the page was left without its breaks
                    assert text == BREAK_RE.sub(r"\g<0><wbr>", plain), code
    assert seen > 50  # the frameworks page's tables alone hold 58


# In the browser: each line box of a table cell's code ends at `_`, `.` or a space.
LINE_ENDS = """() => {
  const bad = [];
  for (const code of document.querySelectorAll("article table :is(td, th) code")) {
    if (!code.offsetParent) continue;  // in a closed fold or tab
    let last = null, previous = "";
    const walker = document.createTreeWalker(code, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      for (let i = 0; i < node.length; i++) {
        const range = document.createRange();
        range.setStart(node, i);
        range.setEnd(node, i + 1);
        const box = range.getClientRects()[0];
        const char = node.data[i];
        const wrapped = box && last !== null && box.top > last + 2;
        if (wrapped && !/[_. ]/.test(previous) && char !== " ")
          bad.push(code.textContent);
        if (box) last = box.top;
        previous = char;
      }
    }
  }
  return {bad, count: document.querySelectorAll("article table code").length};
}"""


@pytest.mark.browser
@pytest.mark.parametrize("path", TABLE_PAGES)
def test_no_table_code_wraps_mid_word_on_a_390_px_phone(browser_page, path):
    browser_page.set_viewport_size({"width": 390, "height": 844})
    browser_page.goto(path)
    found = browser_page.evaluate(LINE_ENDS)
    assert found["count"] > 0
    assert found["bad"] == []
