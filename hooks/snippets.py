"""The snippets a build runs: every one a page names with `<!-- snippet: page/name.py
-->` or `<!-- figure: page/name.py -->`, and every one a quiz's curve-reading drill
names (`"figure": "page/x.py 2"` in quiz/<page>.json), which runs though no page
shows its code. Each runs once a build (snippet_runner: from the cache if it ran
before); its output, figures and values go to the pages (snippet_markdown.py), the
prose's `{{ name.value }}` (values.py) and the quizzes (`Snippets.figures`).

Snippets run when the build has its files (`Snippets.run`, from main.py's
on_files), before any page is rendered, so their figures can be added to the site
as generated files and a failing snippet stops the build early. No MkDocs here.
"""

from __future__ import annotations

import json
import logging
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import figure_html
import markers
import snippet_pool
import snippet_runner
import values

log = logging.getLogger("mkdocs.hooks.snippets")

FIGURE_DIR = "assets/snippets"  # where figures land in the built site


def snippet_paths(markdown: str) -> list[str]:
    """The snippet paths a page names, relative to snippets/, in page order."""
    return [m.arg for m in markers.find_markers(markdown) if m.kind == "snippet"]


def quiz_snippet_paths(quiz_dir: Path) -> dict[str, str]:
    """The snippets whose figures the quizzes' drills show (`"figure": "page/x.py
    2"` in a multiple-choice item), each with the first quiz file naming it. A file
    that is not a quiz, or a path that names no snippet, is left to quiz_data,
    which reports it with the file and the item."""
    found: dict[str, str] = {}
    for path in sorted(quiz_dir.rglob("*.json")) if quiz_dir.is_dir() else []:
        try:
            items = json.loads(path.read_text(encoding="utf-8")).get("choices", [])
            refs = [item["figure"] for item in items if "figure" in item]
        except (OSError, ValueError, AttributeError, TypeError):
            continue
        for ref in refs:
            rel = ref.partition(" ")[0] if isinstance(ref, str) else ""
            if rel.endswith(".py") and (quiz_dir.parent / "snippets" / rel).is_file():
                found.setdefault(rel, path.relative_to(quiz_dir.parent).as_posix())
    return found


def resolve(rel: str, snippets_dir: Path) -> Path:
    """The snippet file for a marker argument; a clear error if it is not one."""
    path = (snippets_dir / rel).resolve()
    if not rel.endswith(".py") or snippets_dir.resolve() not in path.parents:
        raise markers.MarkerError(f"snippet {rel!r} is not a .py file under snippets/")
    if not path.is_file():
        raise markers.MarkerError(f"snippet {rel!r} does not exist (snippets/{rel})")
    return path


def figure_uris(rel: str, number: int) -> dict[str, str]:
    """Site paths of a snippet's n-th figure: "light", "dark", and the phone's
    variants of both, "phone_light" and "phone_dark"."""
    stem = f"{FIGURE_DIR}/{rel.removesuffix('.py')}-{number}"
    return {
        "light": f"{stem}.svg",
        "dark": f"{stem}-dark.svg",
        "phone_light": f"{stem}-phone.svg",
        "phone_dark": f"{stem}-phone-dark.svg",
    }


def figure_files(figure: snippet_runner.Figure) -> dict[str, str]:
    """A figure's SVG texts by the keys of figure_uris."""
    return {key: getattr(figure, key) for key in figure_html.VARIANTS}


class SnippetsFailed(Exception):
    """One or more snippets failed: each with its path and traceback."""


def run_all(rels: list[str], project: Path) -> dict[str, snippet_runner.Result]:
    """Every snippet's result; those not cached run in parallel worker processes,
    each logged with its run time. Every failure is reported, not just the first."""

    def run(rel: str) -> snippet_runner.Result:
        path = resolve(rel, project / "snippets")
        cached = snippet_runner.cached_result(path, project)
        result = cached or snippet_runner.run_snippet(path, project)
        if cached is None:
            log.info(f"Ran snippets/{rel} in {result.seconds:.1f} s")
        return result

    pool_size = len(snippet_pool.shared_pool().workers)
    with ThreadPoolExecutor(pool_size) as threads:
        futures = {rel: threads.submit(run, rel) for rel in rels}
    results, failures = {}, []
    for rel, future in futures.items():
        try:
            results[rel] = future.result()
        except (snippet_runner.SnippetError, markers.MarkerError, OSError) as err:
            failures.append(f"snippet {rel}: {err}")
    if failures:
        count = f"{len(failures)} of {len(rels)} snippets failed"
        raise SnippetsFailed(f"{count}:\n\n" + "\n\n".join(failures))
    return results


class Snippets:
    """A build's snippets: every one a page or a quiz's drill names, run (or read
    from the cache) once, before any page renders."""

    def __init__(self, project: Path) -> None:
        self.project = project
        self.folder = project / "snippets"
        self.results: dict[str, snippet_runner.Result] = {}  # snippet path -> result
        self.values: dict[str, dict] = {}  # snippet path -> the values its run left
        self.used: dict[str, str] = {}  # snippet path -> first page naming it
        # Each snippet's figures, for the pages and the quizzes' curve-reading
        # drills: per figure its four site paths (figure_uris), alt text, and the
        # wide and phone sizes in px.
        self.figures: dict[str, list[dict]] = {}
        self.files: dict[str, str] = {}  # every figure's SVG text by its site path
        self.drills: dict[str, str] = {}  # drill snippet -> the first quiz naming it

    def run(self, pages: dict[str, str], quiz_dir: Path) -> None:
        """Run every snippet `pages` (source path -> Markdown) or a quiz names."""
        for src, markdown in pages.items():
            try:
                for rel in snippet_paths(markdown):
                    self.used.setdefault(rel, src)
            except markers.MarkerError as err:
                raise markers.MarkerError(f"{src}: {err}") from None
        self.drills = quiz_snippet_paths(quiz_dir)
        for rel, quiz_file in self.drills.items():
            self.used.setdefault(rel, quiz_file)  # a drill: its figure, no code shown
        self.results = run_all(sorted(self.used), self.project)
        self.values = {rel: result.values for rel, result in self.results.items()}
        for rel, result in self.results.items():
            self.figures[rel] = []
            for number, figure in enumerate(result.figures, 1):
                uris = figure_uris(rel, number)
                width, height = snippet_runner.svg_size(figure.light)
                phone_width, phone_height = snippet_runner.svg_size(figure.phone_light)
                self.figures[rel].append(
                    uris
                    | {"alt": figure.alt, "width": width, "height": height}
                    | {"phone_width": phone_width, "phone_height": phone_height}
                )
                self.files |= {uris[k]: svg for k, svg in figure_files(figure).items()}
        used_paths = [resolve(rel, self.folder) for rel in self.used]
        if pruned := snippet_runner.prune_cache(used_paths, self.project):
            log.info(f"Deleted {pruned} cached snippet result(s) no page uses")

    def unused_warnings(self) -> list[str]:
        return [
            f"snippets/{rel} is used by no page: add a marker or delete it"
            for path in sorted(self.folder.rglob("*.py"))
            if (rel := path.relative_to(self.folder).as_posix()) not in self.used
        ]

    def values_for(self, folder: str) -> values.Values:
        """The values of the snippets in snippets/<folder>/, for its page's prose."""
        return values.values_for(folder, self.values)
