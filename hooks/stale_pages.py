"""`mkdocs serve --dirty` renders again only the pages whose source changed since
their HTML was written (MkDocs' `File.is_modified`: the source newer than the
output). A page also shows what its source does not hold: its snippets' code and
runs, the numbers bound from snippets/<page>/, its quiz, and for the review page
every quiz. `mark` deletes the output of each page one of those changed for since,
so that MkDocs renders it again: MkDocs' own public test, no patch of it.
"""

from __future__ import annotations

from pathlib import Path

import markers


def inputs(src: str, markdown: str, project: Path) -> list[Path]:
    """The files besides its source that a page's HTML shows."""
    folder = src.removesuffix(".md")
    found = list((project / "snippets" / folder).glob("*.py"))
    found.append(project / "quiz" / f"{folder}.json")
    for marker in markers.find_markers(markdown):
        if marker.kind in ("snippet", "figure"):
            found.append(project / "snippets" / marker.arg.partition(" ")[0])
        elif marker.kind == "quiz" and marker.arg == "review":
            found += (project / "quiz").rglob("*.json")
    return found


def newest(paths: list[Path]) -> float:
    """The latest modification time among `paths` that exist."""
    return max((p.stat().st_mtime for p in paths if p.is_file()), default=0.0)


def mark(files, project: Path) -> list[str]:
    """Delete the built HTML of every page whose other inputs changed after it
    was written; the pages marked (their source paths)."""
    marked = []
    for file in files.documentation_pages():
        output = Path(file.abs_dest_path)
        if not file.src_uri.endswith(".md") or not output.is_file():
            continue
        shown = inputs(file.src_uri, file.content_string, project)
        if newest(shown) > output.stat().st_mtime:
            output.unlink()
            marked.append(file.src_uri)
    return marked
