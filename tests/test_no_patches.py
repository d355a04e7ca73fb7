"""The build changes no other project's code: it uses MkDocs, Material, Markdown,
pymdown-extensions, Jinja, glightbox and logging through their public API only, so
an upgrade of any of them cannot silently break it (issue 40). Read from the code
itself (its syntax tree), not from a run."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from support import ROOT

HOOKS = ROOT / "hooks"
OWN = {path.stem for path in HOOKS.glob("*.py")}
# Functions that swap a process-wide object of another package.
GLOBAL_SWAPS = {"setLogRecordFactory", "setLoggerClass", "setattr", "delattr"}
# Where the build runs the readers' own code (a snippet in the worker process, a
# lab in its kernel): each `plt.show()` is caught there, as a reader's own run
# would show the figure, and a snippet's warnings go to its output. No page, no
# MkDocs object: these stay in those processes.
READER_PROCESS = {
    ("snippet_worker.py", "plt.show"),
    ("snippet_worker.py", "warnings.showwarning"),
    ("snippet_worker.py", "sys.argv"),
    ("lab_kernel.py", "plt.show"),
}
# matplotlib keeps these on its artists with no public getter or setter; the
# figure modules read (and the phone layout sets) them to lay a figure out again
# for a phone. A matplotlib upgrade that changes them fails the figure contract's
# tests (tests/test_figure_contract.py), which draw with them.
MATPLOTLIB_PRIVATE = {
    "_suptitle",
    "_left_title",
    "_right_title",
    "_legend_handle_box",
    "_fontsize",
    "_children",
    "_outside_loc",
    "_bbox_to_anchor",
    "_loc",
    "_update_ticks",
}
FIGURE_MODULES = {"figures.py", "figure_contract.py", "figure_phone.py"}
FIGURE_MODULES |= {"figure_ticks.py", "figure_dark.py", "figure_colours.py"}


def imported_names(tree: ast.Module) -> set[str]:
    """Names bound by importing another package: its modules, classes, functions."""
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] not in OWN:
                    names.add((alias.asname or alias.name).split(".")[0])
        elif isinstance(node, ast.ImportFrom) and node.module not in OWN:
            names.update(alias.asname or alias.name for alias in node.names)
    return names


def patches(path: Path) -> list[str]:
    """Each place in `path` that changes or reads another package's internals."""
    tree = ast.parse(path.read_text(), str(path))
    foreign = imported_names(tree)
    found = []
    for node in ast.walk(tree):
        where = f"hooks/{path.name}:{getattr(node, 'lineno', '?')}"
        if isinstance(node, ast.Attribute):
            base = node.value.id if isinstance(node.value, ast.Name) else None
            text = ast.unparse(node)
            stored = isinstance(node.ctx, ast.Store | ast.Del)
            if stored and base in foreign and (path.name, text) not in READER_PROCESS:
                found.append(f"{where}: assigns {text}")
            private = node.attr.startswith("_") and not node.attr.startswith("__")
            allowed = base in ("self", "cls") or base in OWN or text == "os._exit"
            matplotlib = path.name in FIGURE_MODULES and node.attr in MATPLOTLIB_PRIVATE
            if private and not allowed and not matplotlib:
                found.append(f"{where}: reads {text}")
            if node.attr == "__wrapped__":
                found.append(f"{where}: wraps a function in place ({text})")
        elif isinstance(node, ast.Call):
            name = ast.unparse(node.func).rsplit(".", 1)[-1]
            if name in GLOBAL_SWAPS:
                found.append(f"{where}: calls {ast.unparse(node.func)}")
        elif isinstance(node, ast.Assign):
            for target in node.targets:
                replaces_method = isinstance(target, ast.Attribute) and isinstance(
                    node.value, ast.Lambda | ast.Call
                )
                if replaces_method and "partial" in ast.unparse(node.value):
                    found.append(f"{where}: replaces {ast.unparse(target)}")
    return found


@pytest.mark.parametrize("path", sorted(HOOKS.glob("*.py")), ids=lambda p: p.name)
def test_the_build_patches_no_other_project(path):
    assert patches(path) == []


def test_the_check_finds_each_kind_of_patch(tmp_path):
    """The check itself: each way the old page caches patched MkDocs is caught."""
    code = tmp_path / "example.py"
    code.write_text(
        "import functools, logging\n"
        "from mkdocs.structure.pages import Page\n"
        "from pymdownx.highlight import Highlight\n"
        "Page.render = lambda self, config, files: None\n"
        "Highlight.highlight = None\n"
        "logging.setLogRecordFactory(None)\n"
        "def f(page, config):\n"
        "    page.render = functools.partial(print, page)\n"
        "    return page._title_from_render, config.plugins.events\n"
    )
    found = patches(code)
    assert [line.split(": ", 1)[1] for line in found] == [
        "assigns Page.render",
        "assigns Highlight.highlight",
        "calls logging.setLogRecordFactory",
        "replaces page.render",
        "reads page._title_from_render",
    ], found


def test_mkdocs_yml_lists_one_hook():
    """One entry point: the order of the build is written in hooks/main.py."""
    config = (ROOT / "mkdocs.yml").read_text()
    hooks = config.split("\nhooks:\n", 1)[1].split("\n\n", 1)[0]
    assert [line.split("#")[0].strip() for line in hooks.splitlines()] == [
        "- hooks/main.py"
    ]


def test_no_module_of_the_build_is_over_300_lines():
    lengths = {p.name: len(p.read_text().splitlines()) for p in HOOKS.glob("*.py")}
    assert {name: n for name, n in lengths.items() if n > 300} == {}


CORE = ("markers", "values", "snippet_runner", "snippet_worker", "cache", "figures")


@pytest.mark.parametrize("module", CORE)
def test_the_core_imports_nothing_from_mkdocs(module):
    """Markers, values, the runner and the worker could move to another generator."""
    tree = ast.parse((HOOKS / f"{module}.py").read_text())
    imported = imported_names(tree)
    modules = {
        alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.Import)
        for alias in node.names
    } | {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    assert not any(m and m.split(".")[0] in ("mkdocs", "material") for m in modules)
    assert "PluginError" not in imported
