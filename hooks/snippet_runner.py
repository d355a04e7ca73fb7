"""Run snippet files in worker processes and cache what they print and draw.

This is the parent side, used by the build (snippets.py) and the tests. The worker
processes are in snippet_pool.py, and what runs a snippet in one in
snippet_worker.py.
"""

from __future__ import annotations

import functools
import json
import os
import platform
import re
import sys
from dataclasses import asdict, dataclass, field
from pathlib import Path

import cache
import figures
import snippet_pool
import snippet_worker
from snippet_pool import PORTABLE as PORTABLE  # the portable kernels, for callers
from snippet_pool import TIMEOUT_S, Pool, display_path
from snippet_pool import SnippetError as SnippetError  # what a failed run raises

# The installed packages a snippet's output depends on: what the snippets import
# (peft imports transformers). An upgrade of any of them runs every snippet again.
RESULT_PACKAGES = ("torch", "matplotlib", "numpy", "scikit-learn", "scipy")
RESULT_PACKAGES += ("peft", "transformers", "tensorboard", "schedulefree")
CACHE_DIR = Path(".cache") / "snippets"  # under the project folder


@dataclass(frozen=True)
class Figure:
    light: str  # SVG text for Material's light palette
    dark: str  # the same figure recoloured for the dark palette
    phone_light: str  # the figure re-laid for a phone's column (panels stacked)
    phone_dark: str  # that one recoloured for the dark palette
    alt: str  # text alternative built from title, axis labels and legend
    title: str  # the figure's suptitle, "" if none
    axes: list[dict]  # per axes: title, xlabel, ylabel, yscale, legend (for tests)


# matplotlib writes an SVG's size in points, 72 to the inch; CSS has 96 px to it.
SVG_SIZE_RE = re.compile(r'<svg\b[^>]*?\bwidth="([\d.]+)pt" height="([\d.]+)pt"')


def svg_size(svg: str) -> tuple[int, int]:
    """The CSS pixel width and height of a figure's SVG: an <img> given them keeps
    its room while it loads, so the page does not move (a link to a heading below
    it lands on the heading)."""
    if (size := SVG_SIZE_RE.search(svg)) is None:
        raise ValueError(f"an SVG without its size in pt: {svg[:200]!r}")
    return tuple(round(float(points) * 4 / 3) for points in size.groups())


@dataclass(frozen=True)
class Result:
    output: str  # stdout, stderr and warnings, in the order they happened
    figures: list[Figure]
    values: dict  # the snippet's module-level numbers and strings (values.py)
    seconds: float = field(default=0.0, compare=False)  # its run took (cached too)


@functools.cache
def _this_cpu() -> str:
    try:  # the CPU's instruction sets (Linux); PyTorch picks its kernels by them
        cpuinfo = Path("/proc/cpuinfo").read_text()
        flags = next(line for line in cpuinfo.splitlines() if line.startswith("flags"))
    except (OSError, StopIteration):
        flags = platform.processor()
    return f"{platform.machine()}-{cache.key(flags)[:12]}"


def kernels(capability: str | None = None) -> str:
    """Which CPU kernels PyTorch runs: their last digits differ from CPU to CPU."""
    return capability or os.environ.get("ATEN_CPU_CAPABILITY") or _this_cpu()


@functools.cache
def _runner_digest() -> str:
    """What runs and draws every snippet: the libraries and Python, the worker,
    and the files that draw its figures (figures.FIGURE_CODE). This file (pool,
    cache) changes no result, so it is left out."""
    worker = Path(snippet_worker.__file__)
    code = (worker, *figures.FIGURE_CODE)
    return cache.key(sys.version, *code, packages=RESULT_PACKAGES)


def reload_worker_if_edited() -> None:
    """Read the worker and its figure style again, and restart the workers if
    either changed: `mkdocs serve` loads the hooks once, and rebuilds after such an
    edit must run it, not serve (or cache) what the old code made."""
    before = _runner_digest()
    _runner_digest.cache_clear()
    if _runner_digest() != before:
        snippet_pool.close_pools()


def cache_key(path: Path, capability: str | None = None) -> str:
    """Everything that can change a snippet's result: its source, the CPU kernels
    and the libraries that run it, and the worker with its figure style."""
    return cache.key(_runner_digest(), kernels(capability), path)


def _from_json(data: dict) -> Result:
    figures = [Figure(**fig) for fig in data["figures"]]
    return Result(data["output"], figures, data["values"], data.get("seconds", 0.0))


def output_title() -> str:
    """The title of a printed output, snippet or lab: which torch printed it, since
    its behaviour and its digits change across versions."""
    return f"Output with torch {cache.package_version('torch')}"


def cache_file(path: Path, root: Path, capability: str | None = None) -> Path:
    return root / CACHE_DIR / f"{cache_key(path, capability)}.json"


# cache file -> (its inode, mtime and size, its result): a `serve` rebuild reads
# again only what changed on disk (parsing every result was most of its file step).
_read: dict[Path, tuple[tuple[int, int, int], Result]] = {}


def cached_result(
    path: Path, root: Path, capability: str | None = None
) -> Result | None:
    """The stored result of running exactly this source with this runner, if any."""
    file = cache_file(path, root, capability)
    seen = cache.stamp(file)
    if seen is None:
        return None
    if (read := _read.get(file)) and read[0] == seen:
        return read[1]
    try:
        result = _from_json(json.loads(file.read_text()))
    except (OSError, ValueError, KeyError, TypeError):
        return None  # missing or unreadable (say, cut short by a full disk): run it
    _read[file] = (seen, result)
    return result


def run_snippet(
    path: Path,
    root: Path,
    *,
    use_cache: bool = True,
    timeout: float = TIMEOUT_S,
    pool: Pool | None = None,
) -> Result:
    """Result of running one snippet from the project folder `root` in `pool` (by
    default this process's pool on this CPU's kernels), cached in
    `root/.cache/snippets`. Raises SnippetError naming the file, with its traceback."""
    pool = pool or snippet_pool.shared_pool()
    if pool.figures != "drawn":  # a described run has no SVG: never a page's result
        raise ValueError("run_snippet needs a pool that draws figures")
    if use_cache and (result := cached_result(path, root, pool.capability)) is not None:
        return result
    reply = pool.run(path, root, timeout)
    if "error" in reply:
        raise SnippetError(f"{display_path(path, root)} failed:\n{reply['error']}")
    result = _from_json(reply)  # its seconds: the run alone, imports before it not
    if use_cache:
        cached = cache_file(path, root, pool.capability)
        cached.parent.mkdir(parents=True, exist_ok=True)
        cache.write_atomically(cached, json.dumps(asdict(result)))
    return result


def prune_cache(paths: list[Path], root: Path) -> int:
    """Delete the cached results of sources no page uses any more, keeping each
    used snippet's results on this CPU's kernels and on the portable ones. The
    number of files deleted."""
    keep = {cache_key(p, c) for p in paths for c in (None, PORTABLE)}
    deleted = 0
    for entry in (root / CACHE_DIR).glob("*.json"):
        if entry.stem not in keep:
            entry.unlink(missing_ok=True)
            _read.pop(entry, None)
            deleted += 1
    return deleted
