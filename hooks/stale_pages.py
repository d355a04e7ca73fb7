"""`mkdocs serve --dirty` renders again only the pages whose source changed since
their HTML was written (MkDocs' `File.is_modified`: the source newer than the
output). A page also shows what its source does not hold: its snippets' code and
runs, the numbers bound from snippets/<page>/, its quiz and the drills' figures;
the review page shows every quiz, bound and with its figures. `mark` deletes the
output of each page one of those changed for since, so that MkDocs renders it
again: MkDocs' own public test, no patch of it.

A page not rendered again has no title in that build (MkDocs reads it while
rendering), so the menus of the pages that are would name it "None" (mkdocs/mkdocs
issue 4047, open): `keep_titles` gives it the title of its last render.
"""

from __future__ import annotations

from pathlib import Path

import markers
from quiz_data import REVIEW


def _quiz_inputs(project: Path, slugs: list[str], drills: dict) -> list[Path]:
    """Each quiz of `slugs`, the snippets its numbers are bound from, and the
    snippets its drills draw (`drills`: snippet -> the first quiz naming it)."""
    quiz_dir, found = project / "quiz", []
    for slug in slugs:
        found.append(quiz_dir / f"{slug}.json")
        found += (project / "snippets" / slug).glob("*.py")
        named = f"quiz/{slug}.json"
        found += [project / "snippets" / rel for rel, q in drills.items() if q == named]
    return found


def inputs(src: str, markdown: str, project: Path, drills: dict) -> list[Path]:
    """The files besides its source that a page's HTML shows (`drills`: as
    snippets.quiz_snippet_paths gives them)."""
    folder = src.removesuffix(".md")
    found = list((project / "snippets" / folder).glob("*.py"))  # its numbers
    for marker in markers.find_markers(markdown):
        if marker.kind in ("snippet", "figure"):
            found.append(project / "snippets" / marker.arg.partition(" ")[0])
        elif marker.kind == "quiz" and marker.arg == REVIEW:
            quiz_dir = project / "quiz"
            quizzes = [q.relative_to(quiz_dir) for q in quiz_dir.rglob("*.json")]
            slugs = [q.with_suffix("").as_posix() for q in quizzes]
            found += _quiz_inputs(project, slugs, drills)
        elif marker.kind == "quiz":
            found += _quiz_inputs(project, [marker.arg], drills)
    return found


def newest(paths: list[Path]) -> float:
    """The latest modification time among `paths` that exist."""
    return max((p.stat().st_mtime for p in paths if p.is_file()), default=0.0)


def mark(files, project: Path, drills: dict) -> list[str]:
    """Delete the built HTML of every page whose other inputs changed after it
    was written; the pages marked (their source paths). `drills`: as
    snippets.quiz_snippet_paths gives them."""
    marked = []
    for file in files.documentation_pages():
        output = Path(file.abs_dest_path)
        if not file.src_uri.endswith(".md") or not output.is_file():
            continue
        shown = inputs(file.src_uri, file.content_string, project, drills)
        if newest(shown) > output.stat().st_mtime:
            output.unlink()
            marked.append(file.src_uri)
    return marked


def keep_titles(pages, titles: dict[str, str]) -> None:
    """Each of the nav's `pages` that this dirty build will not render again gets
    the title it had when it was (`titles`: source file -> title)."""
    for page in pages:
        if page.title is None and not page.file.is_modified():
            page.title = titles.get(page.file.abs_src_path)
