"""The torch.compile page counts recompiles under `aot_eager`, not under the default
backend (Inductor) that readers train with, because Inductor's code generation costs
far more. That is sound only while `aot_eager` recompiles exactly as Inductor does:
the guards are decided by Dynamo and by AOTAutograd's passes, which both backends
run. Here the page's snippet runs again under Inductor, from a cold cache as on a
fresh machine: it must pass its own checks and print the same recompiles, guard by
guard, as the build's `aot_eager` run."""

import logging
import os
import subprocess
import sys
import warnings

import pytest
import torch

from support import ROOT

RECOMPILES = "training/compile/recompiles.py"  # the page's snippet

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


def test_aot_eager_makes_the_recompiles_inductor_makes(tmp_path, output_of):
    env = {
        **os.environ,
        "TORCHINDUCTOR_CACHE_DIR": str(tmp_path),  # cold, nothing from earlier runs
        # Scalar C++ kernels: the same graphs and guards (decided before code
        # generation), a third of gcc's time: 16-30 s of one core here, all told.
        "TORCHINDUCTOR_VEC_ISA_OK": "0",
    }
    inductor = subprocess.run(
        [sys.executable, "-c", UNDER_INDUCTOR, str(ROOT / "snippets" / RECOMPILES)],
        capture_output=True,
        text=True,
        env=env,
        timeout=240,
        check=False,
    )
    assert inductor.returncode == 0, f"under Inductor:\n{inductor.stderr[-4000:]}"
    aot_eager = output_of(RECOMPILES)  # the build's run, cached
    assert inductor.stdout.strip() == aot_eager.strip(), (
        f"Inductor:\n{inductor.stdout}\naot_eager:\n{aot_eager}"
    )


# The page's warning: beyond the snippet's for-loop Adam, a float rate recompiles at
# every step up to the limit with Adam's foreach implementation (its default on a
# CUDA GPU) and with SGD; a tensor rate recompiles neither. Run under aot_eager,
# which the test above holds to Inductor's guards.
OPTIMIZERS = {
    "Adam(foreach=True)": lambda params, lr: torch.optim.Adam(
        params, lr=lr, foreach=True, capturable=isinstance(lr, torch.Tensor)
    ),
    "SGD": lambda params, lr: torch.optim.SGD(params, lr=lr),
}


def failed_guards(make_optimizer, lr, steps=12) -> list[str]:
    """The guards Dynamo's recompile log names, over `steps` steps of OneCycleLR
    (rate only, cycle_momentum=False) with the optimizer's step compiled."""
    torch._dynamo.reset()
    model = torch.nn.Linear(2, 1)
    optimizer = make_optimizer(model.parameters(), lr)
    scheduler = torch.optim.lr_scheduler.OneCycleLR(
        optimizer, max_lr=0.01, total_steps=steps, cycle_momentum=False
    )

    @torch.compile(backend="aot_eager")
    def optimizer_step():
        optimizer.step()

    guards = []
    handler = logging.Handler()
    handler.emit = lambda record: guards.append(record.getMessage())
    log = logging.getLogger("torch._dynamo.guards.__recompiles")
    torch._logging.set_logs(dynamo=logging.ERROR, recompiles=True)
    log.addHandler(handler)
    log.propagate = False
    try:
        with warnings.catch_warnings():  # aot_eager's import of torch.jit warns
            warnings.simplefilter("ignore", DeprecationWarning)
            for _ in range(steps):
                optimizer.zero_grad()
                model(torch.ones(4, 2)).sum().backward()
                optimizer_step()
                scheduler.step()
    finally:
        log.removeHandler(handler)
        log.propagate = True
        torch._logging.set_logs()
        torch._dynamo.reset()
    return guards


@pytest.mark.parametrize("name", OPTIMIZERS)
def test_a_float_rate_recompiles_foreach_adam_and_sgd_up_to_the_limit(name):
    guards = failed_guards(OPTIMIZERS[name], 0.01)
    assert len(guards) == torch._dynamo.config.recompile_limit, guards
    assert all("param_groups[0]['lr'] ==" in guard for guard in guards), guards


@pytest.mark.parametrize("name", OPTIMIZERS)
def test_a_tensor_rate_recompiles_neither(name):
    assert failed_guards(OPTIMIZERS[name], torch.tensor(0.01)) == []
