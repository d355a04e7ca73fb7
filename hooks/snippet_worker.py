"""The snippet worker: run as a script, it imports matplotlib once (torch once too,
when asked, before the first snippet that names it), then reads one JSON request
per line on stdin (a snippet's path and the folder to run it from) and answers
one JSON line: what the snippet printed, its figures as light and dark SVG (each
also re-laid for a phone), and its module-level values; or its traceback. Started
with the argument `described`, it draws no figure: it gives each one's alt text,
title and axes only: the tests' second run, on the portable kernels, checks the
run, its values and what its figures show, not the figure contract, in a third of
the time.
snippet_pool.py starts and feeds it; figures.py draws the figures.

Every cached result is keyed on this file and the figures' files (FIGURE_CODE): any
edit here runs every snippet again, so the pool and the cache live apart
(snippet_pool.py, snippet_runner.py).
"""

from __future__ import annotations

import io
import json
import os
import sys
from pathlib import Path

from figure_contract import FigureContractError
from figures import STYLE_FILE, SVG_SALT, describe_figure, render_figure


def _plain(value, depth: int = 0):
    """`value` as JSON numbers, strings and lists of them, or None if it is not."""
    if isinstance(value, bool | int | float | str):
        return value
    if getattr(value, "ndim", None) == 0 and hasattr(value, "item"):
        return value.item()  # a 0-d tensor or a NumPy scalar
    if isinstance(value, list | tuple) and depth < 2 and len(value) <= 10_000:
        items = [_plain(item, depth + 1) for item in value]
        return None if any(item is None for item in items) else items
    return None


def _values(namespace: dict) -> dict:
    """What a page can quote from the run: every public module-level value that is
    a number, a string, or a list of them (a 0-d tensor becomes its number)."""
    found = {}
    for name, value in namespace.items():
        if not name.startswith("_") and (plain := _plain(value)) is not None:
            found[name] = plain
    return found


def _snippet_traceback(exc: BaseException, path: Path) -> str:
    """The traceback from the snippet's first frame on; the runner's are noise."""
    import traceback

    tb = exc.__traceback__
    while tb is not None and tb.tb_frame.f_code.co_filename != str(path):
        tb = tb.tb_next
    return "".join(traceback.format_exception(type(exc), exc, tb or exc.__traceback__))


def _run_one(path: Path, draw: bool = True) -> dict:
    import contextlib
    import runpy
    import time
    import warnings

    import matplotlib.pyplot as plt

    had_torch = "torch" in sys.modules
    if had_torch:
        import torch

        torch.set_default_dtype(torch.float32)
        # One thread: tiny models run several times faster than with torch's
        # default on a busy 2-core machine, and results do not depend on the cores.
        torch.set_num_threads(1)
    start = time.perf_counter()
    plt.close("all")
    plt.rcdefaults()
    plt.style.use(STYLE_FILE)
    plt.rcParams["svg.hashsalt"] = SVG_SALT
    # A new filter list also empties every module's "already warned" registry, so a
    # snippet shows its warnings whatever ran in this worker before it.
    warnings.resetwarnings()
    warnings.simplefilter("default")
    out = io.StringIO()
    shown = []

    def showwarning(message, category, *_args, **_kwargs):
        out.write(f"{category.__name__}: {message}\n")

    warnings.showwarning = showwarning
    plt.show = lambda *a, **k: shown.append(len(plt.get_fignums()))
    sys.argv = [str(path)]
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
            namespace = runpy.run_path(str(path), run_name="__main__")
    except BaseException as exc:  # noqa: BLE001 - SystemExit included: report all
        return {"error": _snippet_traceback(exc, path)}
    if not had_torch and "torch" in sys.modules:  # it ran with torch's defaults
        return {"error": "imports torch without naming it: add `import torch`"}
    figures = [plt.figure(n) for n in plt.get_fignums()]
    if shown and not shown[-1]:
        return {"error": "calls plt.show() but had drawn no figure when it did"}
    if figures and not shown:
        return {"error": f"drew {len(figures)} figure(s) but never calls plt.show()"}
    results = []
    for number, fig in enumerate(figures, 1):
        try:
            results.append(render_figure(fig) if draw else describe_figure(fig))
        except FigureContractError as err:
            return {"error": f"figure {number} breaks the figure contract:\n  {err}"}
    plt.close("all")
    return {
        "output": out.getvalue(),
        "figures": results,
        "values": _values(namespace),
        "seconds": time.perf_counter() - start,
    }


def _serve() -> None:
    protocol = os.fdopen(os.dup(1), "w", buffering=1)
    os.dup2(2, 1)  # stray writes to fd 1 (C code) must not corrupt the protocol
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot  # noqa: F401 - imported once, here

    draw = sys.argv[1:] != ["described"]
    protocol.write(json.dumps({"ready": True}) + "\n")
    for line in sys.stdin:
        request = json.loads(line)
        if request.get("import") == "torch":
            import torch  # noqa: F401 - imported once, here
            import torch._dynamo  # noqa: F401 - the first optimizer imports it: seconds

            protocol.write(json.dumps({"imported": "torch"}) + "\n")
            continue
        os.chdir(request["cwd"])
        protocol.write(json.dumps(_run_one(Path(request["path"]), draw)) + "\n")


if __name__ == "__main__":
    _serve()
