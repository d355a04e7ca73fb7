"""The worker processes that run snippets: each imports torch once (about 1.3 s),
so one process serves many snippets. A `Pool` holds the workers on one set of CPU
kernels; `shared_pool()` is this process's, kept across `mkdocs serve`'s rebuilds.
"""

from __future__ import annotations

import atexit
import functools
import json
import os
import queue
import subprocess
import sys
import threading
from pathlib import Path

import snippet_worker

# One snippet's run. The heaviest take about 8 s of CPU here (fine-tuning imports
# peft, and peft transformers); the test suite builds while two test processes run.
TIMEOUT_S = 60.0
# Starting a worker imports matplotlib, and before the first snippet that names
# torch it imports torch and torch._dynamo: seconds, and many more on a loaded
# machine; that is no snippet's fault, so it has its own limit. (A worker whose
# snippets never name torch, like a test project's one-liners, never imports it.)
START_TIMEOUT_S = 120.0
# ATEN_CPU_CAPABILITY=default: PyTorch's portable ATen kernels (BLAS keeps its own
# code path). Another CPU prints other last digits; this shows some of them here.
PORTABLE = "default"


class SnippetError(Exception):
    """A snippet raised, timed out, or broke the figure contract."""


def display_path(path: Path, root: Path) -> str:
    try:
        return str(path.resolve().relative_to(root.resolve()))
    except ValueError:
        return str(path)


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
        self.capability, self.figures = capability, figures
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
