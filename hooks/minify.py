"""MkDocs hook: the site's own JavaScript and CSS are served minified.

The sources in docs/ stay readable; `mkdocs build` writes minified copies with
rjsmin and rcssmin (our JS+CSS budget is 64 KB). `mkdocs serve` leaves them as
written, so a contributor debugs the code they edit.
"""

from __future__ import annotations

from pathlib import Path

import rcssmin
import rjsmin

_serving = False


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
