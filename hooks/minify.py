"""MkDocs hook: the site's own JavaScript and CSS are served minified, and code
blocks with fewer elements.

The sources in docs/ stay readable; `mkdocs build` writes minified copies with
rjsmin and rcssmin (our JS+CSS budget is 64 KB). `mkdocs serve` leaves them as
written, so a contributor debugs the code they edit.

Pygments wraps every token of a code block in a <span>: thousands of elements on a
code-heavy page, main-thread time on a phone. A name (`n`) and white space (`w`)
are drawn in the code's own colour by Material's theme, so their spans go, and
neighbouring tokens of one class share a span: the page looks the same.
"""

from __future__ import annotations

import re
from pathlib import Path

import rcssmin
import rjsmin

_serving = False
PLAIN_TOKEN_RE = re.compile(r'<span class="(?:n|w)">([^<]*)</span>')
SAME_CLASS_RE = re.compile(r'(<span class="(\w+)">[^<]*)</span><span class="\2">')
CODE_RE = re.compile(r"<code\b[^>]*>.*?</code>", re.S)


def _fewer_token_spans(code: str) -> str:
    code = PLAIN_TOKEN_RE.sub(r"\1", code)
    while (merged := SAME_CLASS_RE.sub(r"\1", code)) != code:
        code = merged
    return code


def fewer_code_elements(html: str) -> str:
    """The page with each <code>'s tokens drawn in the code's colour unwrapped, and
    neighbouring tokens of one class in one span."""
    return CODE_RE.sub(lambda match: _fewer_token_spans(match.group(0)), html)


def minify(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    small = rjsmin.jsmin(text) if path.suffix == ".js" else rcssmin.cssmin(text)
    path.write_text(small, encoding="utf-8")


def on_startup(command: str, dirty: bool) -> None:
    global _serving
    _serving = command == "serve"


def on_post_build(config) -> None:
    if _serving:
        return
    own = [*config.extra_css, *(str(script) for script in config.extra_javascript)]
    for uri in own:
        minify(Path(config.site_dir) / uri)


def on_page_content(html: str, page, config, files) -> str:
    return fewer_code_elements(html)
