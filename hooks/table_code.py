"""An identifier in a table breaks only where a reader expects it to.

On a phone a table's columns are narrow, and the browser broke inline code
anywhere: "cosine_ with_re starts". The stylesheet (site.css) now keeps table code
in one piece (word-break and overflow-wrap normal), and this gives it a break
opportunity, `<wbr>`, after each `_` and `.` that joins two parts of a name:
`lr_<wbr>scheduler_<wbr>type`, `optim.<wbr>lr_<wbr>scheduler`. Not after a `.`
between digits (1.0), nor in `__init__`'s runs of underscores.

Only inline code in a Markdown table's cells (`<td>`, `<th>`) changes; a code
block (`<pre>`, a highlighted block's line-number table included) is never
touched: the page is split at each `<pre>` first.
"""

from __future__ import annotations

import re

PRE_RE = re.compile(r"<pre\b.*?</pre>", re.S | re.I)
TABLE_RE = re.compile(r"<table>.*?</table>", re.S)  # Markdown's: no class
CELL_CODE_RE = re.compile(r"(<t[dh]\b[^>]*>)(.*?)(</t[dh]>)", re.S)
CODE_RE = re.compile(r"(<code\b[^>]*>)(.*?)(</code>)", re.S)
TEXT_RE = re.compile(r"(?<=>)[^<]+|^[^<]+")  # text between tags
# After `_` or `.` with a name's character on both sides (`_` itself excepted),
# and a `.` not between two digits.
BREAK_RE = re.compile(
    r"(?<=[A-Za-z0-9])_(?=[A-Za-z0-9])"  # lr_scheduler
    r"|(?<=[A-Za-z0-9_])\.(?=[A-Za-z_])"  # optim.lr_scheduler
)


def _breaks(code: str) -> str:
    return TEXT_RE.sub(lambda text: BREAK_RE.sub(r"\g<0><wbr>", text.group(0)), code)


def _cells(table: str) -> str:
    def cell(match: re.Match) -> str:
        start, inner, end = match.groups()
        inner = CODE_RE.sub(lambda c: c[1] + _breaks(c[2]) + c[3], inner)
        return start + inner + end

    return CELL_CODE_RE.sub(cell, table)


def break_identifiers(html: str) -> str:
    """`html` with `<wbr>` after `_` and `.` inside names in table cells' code."""
    out, last = [], 0
    for pre in PRE_RE.finditer(html):
        out.append(TABLE_RE.sub(lambda t: _cells(t[0]), html[last : pre.start()]))
        out.append(pre.group(0))
        last = pre.end()
    out.append(TABLE_RE.sub(lambda t: _cells(t[0]), html[last:]))
    return "".join(out)
