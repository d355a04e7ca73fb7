"""The theme's Jinja templates are compiled once, then reused.

Every build, `mkdocs serve`'s rebuilds included, makes a new Jinja environment and
compiles Material's templates again: about a tenth of a warm build. Jinja's own
bytecode cache keeps each compiled template in .cache/jinja/<key>/ beside
mkdocs.yml, with a checksum of its source: an edited template is compiled anew.
Compiled code also depends on what the checksum does not see (the Jinja, MkDocs
and Material versions, the extensions, and how each filter and test is called), so
those make the folder's key; folders of other keys are deleted.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import jinja2

import cache


def compile_key(env: jinja2.Environment) -> str:
    parts = sorted(env.extensions)
    for kind, functions in (("filter", env.filters), ("test", env.tests)):
        for name, function in sorted(functions.items()):
            parts.append(f"{kind} {name} {getattr(function, 'jinja_pass_arg', '')}")
    packages = ("jinja2", "mkdocs", "mkdocs-material")
    return cache.key(*parts, packages=packages)[:16]


def use_bytecode_cache(env: jinja2.Environment, project: Path) -> jinja2.Environment:
    kept = project / ".cache" / "jinja"
    folder = kept / compile_key(env)
    folder.mkdir(parents=True, exist_ok=True)
    for other in kept.iterdir():
        if other != folder:
            shutil.rmtree(other, ignore_errors=True)
    env.bytecode_cache = jinja2.FileSystemBytecodeCache(str(folder))
    return env
