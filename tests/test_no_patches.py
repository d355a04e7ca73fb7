"""The build changes no other project's code: it uses MkDocs, Material, Markdown,
pymdown-extensions, Jinja, glightbox and logging through their public API only, so
an upgrade of any of them cannot silently break it (issue 40). Read from the code
itself (its syntax tree), not from a run."""

from __future__ import annotations

import ast
import builtins
import re
import subprocess
import sys
from pathlib import Path

import pytest

from support import ROOT

HOOKS = ROOT / "hooks"
OWN = {path.stem for path in HOOKS.glob("*.py")}
# Functions that swap a process-wide object of another package.
GLOBAL_SWAPS = {"setLogRecordFactory", "setLoggerClass", "setattr", "delattr"}
GLOBAL_SWAPS |= {"__setattr__", "__delattr__"}
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


def imported_names(tree: ast.Module) -> set[str]:
    """Names bound to another package's objects: its modules, classes and functions
    imported, and names assigned one of them (`P = Page`)."""
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] not in OWN:
                    names.add((alias.asname or alias.name).split(".")[0])
        elif isinstance(node, ast.ImportFrom) and node.module not in OWN:
            names.update(alias.asname or alias.name for alias in node.names)
    for node in ast.walk(tree):  # an alias: a name or attribute, not a call's result
        alias = isinstance(node, ast.Assign) and not isinstance(node.value, ast.Call)
        if alias and root(node.value) in names:
            names.update(t.id for t in node.targets if isinstance(t, ast.Name))
    return names


def root(node: ast.AST) -> str | None:
    """The name a chain of attributes, items and calls starts from: `a` of
    `a.b[c].d`, `importlib` of `importlib.import_module("x").Page`."""
    while isinstance(node, ast.Attribute | ast.Subscript | ast.Call):
        node = node.func if isinstance(node, ast.Call) else node.value
    return node.id if isinstance(node, ast.Name) else None


def chain(node: ast.AST) -> list[str]:
    """The names along a chain, attributes and string keys: ["b", "c", "d"] of
    `a.b["c"].d`."""
    names = []
    while isinstance(node, ast.Attribute | ast.Subscript | ast.Call):
        if isinstance(node, ast.Attribute):
            names.append(node.attr)
        elif isinstance(node, ast.Subscript) and isinstance(node.slice, ast.Constant):
            names.append(str(node.slice.value))
        node = node.func if isinstance(node, ast.Call) else node.value
    return names[::-1]


def targets(node: ast.AST) -> list[ast.AST]:
    """What an assignment or deletion writes, tuples and starred names unpacked."""
    if isinstance(node, ast.Assign | ast.Delete):
        found = list(node.targets)
    else:  # AugAssign, AnnAssign
        found = [node.target]
    while any(isinstance(t, ast.Tuple | ast.List | ast.Starred) for t in found):
        flat = []
        for t in found:
            if isinstance(t, ast.Tuple | ast.List):
                flat += t.elts
            else:
                flat.append(t.value if isinstance(t, ast.Starred) else t)
        found = flat
    return found


def callables(tree: ast.Module) -> set[str]:
    """Names that hold a function: every function the module defines, nested ones
    too, and Python's builtins."""
    kinds = ast.FunctionDef | ast.AsyncFunctionDef
    defined = {n.name for n in ast.walk(tree) if isinstance(n, kinds)}
    return defined | {
        name for name in dir(builtins) if callable(getattr(builtins, name))
    }


INTERNALS = {"plugins", "events", "__dict__"}  # MkDocs' plugin table, an object's
MUTATORS = {"insert", "append", "extend", "update", "pop", "clear", "remove"}
MUTATORS |= {"setdefault", "__setitem__", "__delitem__"}


def replaces_a_method(value: ast.AST, functions: set[str]) -> bool:
    if isinstance(value, ast.Lambda):
        return True
    if isinstance(value, ast.Name):
        return value.id in functions
    if isinstance(value, ast.Call):
        name = ast.unparse(value.func).rsplit(".", 1)[-1]
        return name in ("partial", "MethodType", "wraps")
    return False


def subclass_privates(tree: ast.Module, foreign: set[str]) -> list[ast.Attribute]:
    """`self._x` inside a subclass of another package's class: its internals."""
    found = []
    for cls in (n for n in ast.walk(tree) if isinstance(n, ast.ClassDef)):
        if any(root(base) in foreign for base in cls.bases):
            found += [
                node
                for node in ast.walk(cls)
                if isinstance(node, ast.Attribute)
                and root(node) in ("self", "cls")
                and node.attr.startswith("_")
                and not node.attr.startswith("__")
            ]
    return found


def patches(path: Path) -> list[str]:
    """Each place in `path` that changes or reads another package's internals."""
    tree = ast.parse(path.read_text(), str(path))
    foreign, functions = imported_names(tree), callables(tree)
    found = []
    for node in ast.walk(tree):
        where = f"hooks/{path.name}:{getattr(node, 'lineno', '?')}"
        if isinstance(node, ast.Assign | ast.AugAssign | ast.AnnAssign | ast.Delete):
            for target in targets(node):
                if not isinstance(target, ast.Attribute | ast.Subscript):
                    continue
                text = ast.unparse(target)
                if (path.name, text) in READER_PROCESS:
                    continue
                names = chain(target)
                if isinstance(target, ast.Attribute) and root(target) in foreign:
                    found.append(f"{where}: assigns {text}")
                elif INTERNALS & set(names):
                    found.append(f"{where}: rewrites internals ({text})")
                elif (
                    isinstance(node, ast.Assign)
                    and isinstance(target, ast.Attribute)
                    and root(target) not in ("self", "cls")
                    and replaces_a_method(node.value, functions)
                ):
                    found.append(f"{where}: replaces {text}")
        elif isinstance(node, ast.Attribute):
            text = ast.unparse(node)
            private = node.attr.startswith("_") and not node.attr.startswith("__")
            base = root(node) if isinstance(node.value, ast.Name) else None
            allowed = base in ("self", "cls") or base in OWN or text == "os._exit"
            matplotlib = path.name in FIGURE_MODULES and node.attr in MATPLOTLIB_PRIVATE
            if private and not allowed and not matplotlib:
                found.append(f"{where}: reads {text}")
            if node.attr == "__wrapped__":
                found.append(f"{where}: wraps a function in place ({text})")
        elif isinstance(node, ast.Call):
            name = ast.unparse(node.func).rsplit(".", 1)[-1]
            if name in GLOBAL_SWAPS or name == "vars":
                found.append(f"{where}: calls {ast.unparse(node.func)}")
            if name in MUTATORS and INTERNALS & set(chain(node.func)[:-1]):
                found.append(f"{where}: rewrites internals ({ast.unparse(node.func)})")
            literal = node.args[1:2] and isinstance(node.args[1], ast.Constant)
            if name in ("getattr", "hasattr") and literal:
                attr = str(node.args[1].value)
                if attr.startswith("_") and not attr.startswith("__"):
                    found.append(f"{where}: reads {attr} by name")
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module not in OWN:
            for alias in node.names:
                if alias.name.startswith("_") and not alias.name.startswith("__"):
                    found.append(
                        f"hooks/{path.name}:{node.lineno}: imports {alias.name}"
                    )
    for node in subclass_privates(tree, foreign):
        found.append(f"hooks/{path.name}:{node.lineno}: reads {ast.unparse(node)}")
    return found


@pytest.mark.parametrize("path", sorted(HOOKS.glob("*.py")), ids=lambda p: p.name)
def test_the_build_patches_no_other_project(path):
    assert patches(path) == []


def test_the_check_finds_each_kind_of_patch(tmp_path):
    """The check itself: each way the old page caches patched MkDocs is caught,
    and the usual variants of each."""
    code = tmp_path / "example.py"
    code.write_text(
        "import functools, logging, types\n"
        "import mkdocs.structure.pages\n"
        "from mkdocs.structure import pages\n"
        "from mkdocs.structure.pages import Page\n"
        "from pymdownx.highlight import Highlight\n"
        "Page.render = lambda self, config, files: None\n"
        "Highlight.highlight = None\n"
        "mkdocs.structure.pages.Page.render = None\n"
        "pages.Page.render = None\n"
        "P = Page\n"
        "P.render = None\n"
        "logging.setLogRecordFactory(None)\n"
        "object.__setattr__(Page, 'render', None)\n"
        "def f(page, config):\n"
        "    page.render = functools.partial(print, page)\n"
        "    page.read_source = print\n"
        "    page.render = types.MethodType(f, page)\n"
        "    config.plugins.events['page_content'] = []\n"
        "    getattr(page, '_title_from_render')\n"
        "    return page._title_from_render\n"
        "class Sub(Page):\n"
        "    def render(self, config, files):\n"
        "        self._title_from_render = None\n"
        "import importlib\n"
        "from mkdocs.structure.pages import _RelativePathTreeprocessor\n"
        "def g(page, config, log):\n"
        "    index = config.plugins['search'].search_index\n"
        "    def add(page): ...\n"
        "    index.add_entry_from_context = add\n"
        "    config['plugins']['search'] = None\n"
        "    config.plugins.events['page_content'].insert(0, add)\n"
        "    vars(page).update({})\n"
        "    Page.render, Page.title = add, None\n"
        "    Page.read_source: object = None\n"
        "    type(page).render = add\n"
        "    importlib.import_module('mkdocs.structure.pages').Page.render = add\n"
        "    log.makeRecord = add\n"
    )
    found = sorted(line.split(": ", 1)[1] for line in patches(code))
    assert found == sorted(
        [
            "assigns Page.render",
            "assigns Highlight.highlight",
            "assigns mkdocs.structure.pages.Page.render",
            "assigns pages.Page.render",
            "assigns P.render",
            "calls logging.setLogRecordFactory",
            "calls object.__setattr__",
            "replaces page.render",
            "replaces page.read_source",
            "replaces page.render",
            "rewrites internals (config.plugins.events['page_content'])",
            "reads _title_from_render by name",
            "reads page._title_from_render",
            "reads self._title_from_render",
            "imports _RelativePathTreeprocessor",
            "replaces index.add_entry_from_context",
            "rewrites internals (config['plugins']['search'])",
            "rewrites internals (config.plugins.events['page_content'].insert)",
            "calls vars",
            "assigns Page.render",
            "assigns Page.title",
            "assigns Page.read_source",
            "replaces type(page).render",
            "assigns importlib.import_module('mkdocs.structure.pages').Page.render",
            "replaces log.makeRecord",
        ]
    ), found


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


CORE = ["markers", "values", "cache", "snippets", "snippet_markdown"]
CORE += ["snippet_runner", "snippet_pool", "snippet_worker", "figures"]


def test_the_core_imports_nothing_from_mkdocs():
    """Markers, values, the runner, the pool and the worker could move to another
    generator: importing them loads no MkDocs or Material module (read in a
    fresh interpreter, so what an import pulls in indirectly counts too)."""
    code = f"import sys; import {', '.join(CORE)}; print(sorted(sys.modules))"
    loaded = subprocess.run(
        [sys.executable, "-c", code],
        cwd=HOOKS,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert not re.findall(r"'(?:mkdocs|material|pymdownx|markdown)[.']", loaded)
