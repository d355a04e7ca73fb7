"""Run snippet files in worker processes and cache what they print and draw.

This is the parent side, used by the MkDocs hook and the tests; the worker that
runs a snippet is `snippet_worker.py`. A `Pool` holds the worker processes: each
imports torch once (about 1.3 s), so one process serves many snippets.
"""

from __future__ import annotations

import atexit
import functools
import hashlib
import json
import os
import platform
import queue
import re
import subprocess
import sys
import threading
from dataclasses import asdict, dataclass, field
from importlib.metadata import version
from pathlib import Path

import figures
import snippet_worker

# One snippet's run. The heaviest take about 8 s of CPU here (fine-tuning imports
# peft, and peft transformers); the test suite builds while two test processes run.
TIMEOUT_S = 60.0
# The installed packages a snippet's output depends on: what the snippets import
# (peft imports transformers). An upgrade of any of them runs every snippet again.
RESULT_PACKAGES = ("torch", "matplotlib", "numpy", "scikit-learn", "scipy")
RESULT_PACKAGES += ("peft", "transformers", "tensorboard", "schedulefree")
# Starting a worker imports matplotlib, and before the first snippet that names
# torch it imports torch and torch._dynamo: seconds, and many more on a loaded
# machine; that is no snippet's fault, so it has its own limit. (A worker whose
# snippets never name torch, like a test project's one-liners, never imports it.)
START_TIMEOUT_S = 120.0
# ATEN_CPU_CAPABILITY=default: PyTorch's portable ATen kernels (BLAS keeps its own
# code path). Another CPU prints other last digits; this shows some of them here.
PORTABLE = "default"
CACHE_DIR = Path(".cache") / "snippets"  # under the project folder


class SnippetError(Exception):
    """A snippet raised, timed out, or broke the figure contract."""


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
    return f"{platform.machine()}-{hashlib.sha256(flags.encode()).hexdigest()[:12]}"


def kernels(capability: str | None = None) -> str:
    """Which CPU kernels PyTorch runs: their last digits differ from CPU to CPU."""
    return capability or os.environ.get("ATEN_CPU_CAPABILITY") or _this_cpu()


@functools.cache  # package metadata takes milliseconds to read: once a process
def _libraries() -> tuple[str, ...]:
    return *(f"{name}=={version(name)}" for name in RESULT_PACKAGES), sys.version


@functools.cache
def _runner_digest() -> bytes:
    """What runs and draws every snippet: the libraries, the worker, and the files
    that draw its figures (figures.FIGURE_CODE). This file (pool, cache) changes
    no result, so it is left out."""
    digest = hashlib.sha256()
    for part in (
        *(library.encode() for library in _libraries()),
        Path(snippet_worker.__file__).read_bytes(),
        *(path.read_bytes() for path in figures.FIGURE_CODE),
    ):
        digest.update(hashlib.sha256(part).digest())
    return digest.digest()


def reload_worker_if_edited() -> None:
    """Read the worker and its figure style again, and restart the workers if
    either changed: `mkdocs serve` loads the hooks once, and rebuilds after such an
    edit must run it, not serve (or cache) what the old code made."""
    before = _runner_digest()
    _runner_digest.cache_clear()
    if _runner_digest() != before:
        close_pools()


def cache_key(path: Path, capability: str | None = None) -> str:
    """Everything that can change a snippet's result: its source, the CPU kernels
    and the libraries that run it, and the worker with its figure style."""
    digest = hashlib.sha256(_runner_digest())
    digest.update(hashlib.sha256(kernels(capability).encode()).digest())
    digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def _from_json(data: dict) -> Result:
    figures = [Figure(**fig) for fig in data["figures"]]
    return Result(data["output"], figures, data["values"], data.get("seconds", 0.0))


class Worker:
    """One long-lived worker process, started on first use."""

    def __init__(self, capability: str | None = None, figures: str = "drawn") -> None:
        self.capability = capability  # ATEN_CPU_CAPABILITY for the worker, if set
        self.figures = figures  # "drawn", or "described" (snippet_worker.py says)
        self._proc: subprocess.Popen | None = None
        self._lines: queue.Queue[str] = queue.Queue()
        self._pump_thread: threading.Thread | None = None

    def _start(self) -> None:
        env = {**os.environ, "MPLBACKEND": "Agg"}
        if self.capability:
            env["ATEN_CPU_CAPABILITY"] = self.capability
        proc = subprocess.Popen(
            [sys.executable, snippet_worker.__file__, self.figures],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            env=env,
        )
        lines: queue.Queue[str] = queue.Queue()  # this process's lines only
        pump = threading.Thread(target=self._pump, args=(proc, lines), daemon=True)
        pump.start()
        self._lines, self._pump_thread, self._proc = lines, pump, proc  # _proc last
        self._read(START_TIMEOUT_S, "starting the snippet worker")

    @staticmethod
    def _pump(proc: subprocess.Popen, lines: queue.Queue[str]) -> None:
        with proc.stdout:
            for line in proc.stdout:
                lines.put(line)
        lines.put("")  # end of file: the worker died

    def _read(self, timeout: float, what: str) -> dict:
        try:
            line = self._lines.get(timeout=timeout)
        except queue.Empty:
            self.close()
            raise SnippetError(f"{what}: timed out after {timeout:.0f} s") from None
        if not line:
            self.close()
            raise SnippetError(f"{what}: the worker process died")
        return json.loads(line)

    @property
    def running(self) -> bool:
        proc = self._proc  # read once: another thread may close it meanwhile
        return proc is not None and proc.poll() is None

    def start(self, with_torch: bool = False) -> None:
        """Start the process unless it is running; `with_torch`, have it import torch
        unless it has (the worker answers at once then)."""
        if not self.running:
            self._start()
        if with_torch:
            self._ask({"import": "torch"}, START_TIMEOUT_S, "importing torch")

    def _ask(self, request: dict, timeout: float, what: str) -> dict:
        proc, died = self._proc, SnippetError(f"{what}: the worker process died")
        if proc is None:  # closed by another thread since it started
            raise died
        try:
            proc.stdin.write(json.dumps(request) + "\n")
            proc.stdin.flush()
        except (OSError, ValueError):  # a closed pipe, or a closed file
            raise died from None
        return self._read(timeout, what)

    def run(self, path: Path, root: Path, timeout: float = TIMEOUT_S) -> dict:
        """Run `path` as `python <path>` would from `root`; the worker's JSON reply."""
        self.start(with_torch="torch" in path.read_text())
        request = {"path": str(path.resolve()), "cwd": str(root)}
        return self._ask(request, timeout, f"running {display_path(path, root)}")

    def close(self) -> None:
        # Taken first: a run that sees the worker die, as this kill makes it, closes
        # it too, from its own thread (at exit, the background start, say).
        proc, pump, self._proc = self._proc, self._pump_thread, None
        if proc is not None:
            proc.kill()
            proc.wait()
            proc.stdin.close()
            pump.join()  # it closes stdout once it reads the end


class Pool:
    """Worker processes on one set of CPU kernels; a worker starts on first use,
    so a build that finds everything cached starts none (`serve` starts one at
    once). Last in, first out: one snippet at a time keeps using one worker, and
    the second starts only when two snippets run at once (a cold build).
    With figures="described" its workers give each figure's alt text, title and
    axes but no SVG (the tests' run on the portable kernels): such replies are for
    `run`'s callers only, never for run_snippet and its cache."""

    def __init__(
        self, size: int, capability: str | None = None, figures: str = "drawn"
    ) -> None:
        self.workers = [Worker(capability, figures) for _ in range(size)]
        self.capability = capability
        self._idle: queue.LifoQueue[Worker] = queue.LifoQueue()
        for worker in self.workers:
            self._idle.put(worker)

    def run(self, path: Path, root: Path, timeout: float = TIMEOUT_S) -> dict:
        worker = self._idle.get()  # blocks while every worker is busy
        try:
            return worker.run(path, root, timeout)
        finally:
            self._idle.put(worker)

    def start_one_in_background(self) -> threading.Thread:
        """Start a worker now, in a thread, so that the first snippet edit in
        `mkdocs serve` waits for its run only, not for the worker's imports."""

        def start() -> None:
            worker = self._idle.get()
            try:
                worker.start(with_torch=True)  # as nearly every snippet needs
            except SnippetError:
                pass  # the run that needs this worker starts it and reports why
            finally:
                self._idle.put(worker)  # on top: the next run takes this one

        thread = threading.Thread(target=start, daemon=True)
        thread.start()
        return thread

    def close(self) -> None:
        for worker in self.workers:
            worker.close()


@functools.cache
def shared_pool() -> Pool:
    """The pool of this process, made on first use, kept across the rebuilds of
    `serve`: one worker per core (two at most)."""
    pool = Pool(min(2, os.cpu_count() or 1))
    atexit.register(pool.close)
    return pool


def close_pools() -> None:
    shared_pool().close()


@functools.cache  # reading a package's metadata takes milliseconds: once a process
def output_title() -> str:
    """The title of a printed output, snippet or lab: which torch printed it, since
    its behaviour and its digits change across versions."""
    return f"Output with torch {version('torch')}"


def display_path(path: Path, root: Path) -> str:
    try:
        return str(path.resolve().relative_to(root.resolve()))
    except ValueError:
        return str(path)


def cache_file(path: Path, root: Path, capability: str | None = None) -> Path:
    return root / CACHE_DIR / f"{cache_key(path, capability)}.json"


# cache file -> (its inode, mtime and size, its result): a `serve` rebuild reads
# again only what changed on disk (parsing every result was most of its on_files).
_read: dict[Path, tuple[tuple[int, int, int], Result]] = {}


def cached_result(
    path: Path, root: Path, capability: str | None = None
) -> Result | None:
    """The stored result of running exactly this source with this runner, if any."""
    file = cache_file(path, root, capability)
    try:
        stat = file.stat()
        seen = (stat.st_ino, stat.st_mtime_ns, stat.st_size)
        if (read := _read.get(file)) and read[0] == seen:
            return read[1]
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
    pool = pool or shared_pool()
    if use_cache and (result := cached_result(path, root, pool.capability)) is not None:
        return result
    reply = pool.run(path, root, timeout)
    if "error" in reply:
        raise SnippetError(f"{display_path(path, root)} failed:\n{reply['error']}")
    result = _from_json(reply)  # its seconds: the run alone, imports before it not
    if use_cache:
        cached = cache_file(path, root, pool.capability)
        cached.parent.mkdir(parents=True, exist_ok=True)
        # One temporary name per writer: two builds or threads may write one key.
        writer = f"{os.getpid()}-{threading.get_ident()}"
        tmp = cached.with_name(f"{cached.stem}.{writer}.tmp")
        tmp.write_text(json.dumps(asdict(result)))
        os.replace(tmp, cached)  # atomic: a killed build never leaves half a file
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
