"""A lab executed and converted in a process of its own: this file, run as a script
by `LabRun`, executes the lab with mkdocs-jupyter's converter in the build's
kernel and writes the page's HTML to the cache. Only this process imports the
converter (nbconvert costs a fifth of a warm build).

The kernel is `lr-site-labs` (`write_kernelspec`): ipykernel running
lab_kernel.py before a lab's first cell, so its figures are in the site's style.
"""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from mkdocs.exceptions import PluginError

import cache

log = logging.getLogger("mkdocs.hooks.labs")

KERNEL = "lr-site-labs"  # the build's kernel: a lab's figures in the site's style
KERNEL_SETUP = Path(__file__).resolve().parent / "lab_kernel.py"
# Run in a namespace of its own, so a lab that forgets an import fails here too.
KERNEL_SETUP_LINE = f"import runpy; runpy.run_path({str(KERNEL_SETUP)!r}); del runpy"
# How mkdocs-jupyter's converter renders a lab: executed in the build's kernel, a
# failing cell fails the build, no In/Out prompts (code cells look like the site's).
CONVERT = {
    "execute": True,
    "kernel_name": KERNEL,
    "allow_errors": False,
    "no_prompt": True,
}


def write_kernelspec(folder: Path) -> Path:
    """The build's kernel, `folder/kernels/lr-site-labs/kernel.json`: ipykernel that
    runs KERNEL_SETUP first. Returns `folder`, for JUPYTER_PATH."""
    spec = {
        "argv": [
            "python",  # jupyter_client runs it with the build's own Python
            *("-m", "ipykernel_launcher", "-f", "{connection_file}"),
            f"--IPKernelApp.exec_lines={KERNEL_SETUP_LINE}",
            # Its own log only warns that a local kernel talks over TCP; a failing
            # cell still fails the build (allow_errors: false).
            "--IPKernelApp.log_level=ERROR",
        ],
        "display_name": "Python 3 (the site's figure style)",
        "language": "python",
    }
    path = folder / "kernels" / KERNEL / "kernel.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(spec, indent=1) + "\n"
    if not path.is_file() or path.read_text() != text:
        path.write_text(text)
    return folder


class LabRun:
    """A lab executed and converted in a process of its own (this file run as a
    script), which writes the page's HTML to `entry` in the cache. The process
    ends when its standard input does: at `end_input`, or when this build ends
    however it ends."""

    def __init__(self, source: Path, entry: Path) -> None:
        self.entry = entry
        self.errors = tempfile.TemporaryFile()  # a file: a pipe could fill and block
        self.start = time.perf_counter()
        self.process = subprocess.Popen(
            [sys.executable, __file__, str(source), str(entry)],
            stdin=subprocess.PIPE,
            stdout=self.errors,
            stderr=self.errors,
        )

    def html(self, name: str) -> str:
        """The page, once the process ends; PluginError with its error if it failed."""
        status = self.process.wait()
        self.errors.seek(0)
        errors = self.errors.read().decode(errors="replace")[-6000:]
        self.stop()
        if status != 0:
            raise PluginError(f"{name} failed to run (exit status {status}):\n{errors}")
        log.info(f"Ran {name} in {time.perf_counter() - self.start:.1f} s")
        return self.entry.read_text(encoding="utf-8")

    def end_input(self) -> None:
        """Tell the run to end: it exits when its standard input closes."""
        if not self.process.stdin.closed:
            self.process.stdin.close()

    def stop(self) -> None:
        """End the run if it still runs (its kernel ends with it)."""
        self.end_input()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.errors.close()


def convert_lab(source: str, entry: str) -> None:
    """In the lab's own process: execute and convert it, then write the HTML."""
    from mkdocs_jupyter.convert import nb2html

    cache.write_atomically(Path(entry), nb2html(source, **CONVERT))


if __name__ == "__main__":
    # The build holds this pipe open: once it closes, stopped or ended, so does
    # this run, instead of running on alone (the kernel sees its parent go).
    def end_with_the_build() -> None:
        sys.stdin.read()
        os._exit(1)

    threading.Thread(target=end_with_the_build, daemon=True).start()
    convert_lab(*sys.argv[1:])
