"""The torch.compile page counts recompiles under `aot_eager`, not under the default
backend (Inductor) that readers train with, because Inductor's code generation costs
far more. That is sound only while `aot_eager` recompiles exactly as Inductor does:
the guards are decided by Dynamo and by AOTAutograd's passes, which both backends
run. Here the page's snippet runs again under Inductor, from a cold cache as on a
fresh machine: it must pass its own checks and print the same recompiles, guard by
guard, as the build's `aot_eager` run."""

import os
import subprocess
import sys

import snippet_runner
from support import ROOT

SNIPPET = ROOT / "snippets" / "training" / "compile" / "recompiles.py"

# The snippet as a reader would run it, with torch.compile's `backend` argument
# dropped: the default backend, Inductor.
UNDER_INDUCTOR = """
import runpy
import sys

import torch

compile = torch.compile


def default_backend(*args, backend=None, **kwargs):
    return compile(*args, **kwargs)


torch.compile = default_backend
runpy.run_path(sys.argv[1], run_name="__main__")
"""


def test_aot_eager_makes_the_recompiles_inductor_makes(tmp_path):
    env = {
        **os.environ,
        "TORCHINDUCTOR_CACHE_DIR": str(tmp_path),  # cold, nothing from earlier runs
        # Scalar C++ kernels: the same graphs and guards (decided before code
        # generation), a third of gcc's time. About 16 s of one core, all told.
        "TORCHINDUCTOR_VEC_ISA_OK": "0",
    }
    inductor = subprocess.run(
        [sys.executable, "-c", UNDER_INDUCTOR, str(SNIPPET)],
        capture_output=True,
        text=True,
        env=env,
        timeout=240,
        check=False,
    )
    assert inductor.returncode == 0, f"under Inductor:\n{inductor.stderr[-4000:]}"
    aot_eager = snippet_runner.run_snippet(SNIPPET, ROOT)  # the build's run, cached
    assert inductor.stdout.strip() == aot_eager.output.strip(), (
        f"Inductor:\n{inductor.stdout}\naot_eager:\n{aot_eager.output}"
    )
