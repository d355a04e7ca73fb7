"""MkDocs hook: the theme's Jinja templates are compiled once, then reused.

Every build, `mkdocs serve`'s rebuilds included, makes a new Jinja environment and
compiles Material's templates again: about a tenth of a warm build. Jinja's own
bytecode cache keeps each compiled template in .cache/jinja/ beside mkdocs.yml,
with a checksum of its source: an edited or upgraded template is compiled anew.
"""

from __future__ import annotations

import jinja2
import markers


def on_env(env: jinja2.Environment, config, files) -> jinja2.Environment:
    folder = markers.project_root(config) / ".cache" / "jinja"
    folder.mkdir(parents=True, exist_ok=True)
    env.bytecode_cache = jinja2.FileSystemBytecodeCache(str(folder))
    return env
