"""The playground's schedule explorer draws learning-rate curves computed by
docs/javascripts/schedules.js. A reader trusts them to be PyTorch's: run the same
JavaScript in Node on a grid of parameters and compare with torch.optim.lr_scheduler,
and run the PyTorch code the page shows to check it reproduces the curve."""

from __future__ import annotations

import contextlib
import io
import json
import math

import pytest
import torch
from support import ROOT, node
from torch.optim import lr_scheduler

SCHEDULES_JS = ROOT / "docs" / "javascripts" / "lib" / "schedules.js"
PLAYGROUND_MD = ROOT / "docs" / "playground.md"
RTOL, ATOL = 1e-9, 1e-12

# Several settings per scheduler, each over 100+ steps; keys not given take the
# page's defaults. Chosen to hit the branches of PyTorch's recursive updates:
# restarts, cosine past T_max, milestones repeated, warm-up longer than the run...
GRID: dict[str, list[dict]] = {
    "StepLR": [
        {},
        {"step_size": 1, "gamma": 0.97, "steps": 150},
        {"lr": 0.3, "step_size": 7, "gamma": 0.5, "steps": 120},
    ],
    "MultiStepLR": [
        {},
        {"milestones": [10, 10, 60, 99], "gamma": 0.3, "steps": 120},
        {"lr": 1.0, "milestones": [0, 5, 200], "gamma": 0.9, "steps": 100},
    ],
    "ConstantLR": [
        {},
        {"factor": 0.1, "total_iters": 40, "steps": 120},
        {"factor": 1.0, "total_iters": 0, "steps": 100},
        {"lr": 0.7, "factor": 0.3, "total_iters": 150, "steps": 130},
    ],
    "LinearLR": [
        {},
        {"start_factor": 0.001, "end_factor": 1.0, "total_iters": 60, "steps": 120},
        {"start_factor": 1.0, "end_factor": 0.0, "total_iters": 100, "steps": 150},
        {"start_factor": 0.5, "end_factor": 0.2, "total_iters": 1, "steps": 100},
    ],
    "ExponentialLR": [
        {},
        {"gamma": 0.5, "steps": 200},
        {"lr": 3.0, "gamma": 0.999, "steps": 300},
    ],
    "PolynomialLR": [
        {},
        {"total_iters": 80, "power": 2.0, "steps": 120},
        {"total_iters": 150, "power": 0.5, "steps": 140},
        {"lr": 0.02, "total_iters": 7, "power": 3.3, "steps": 100},
    ],
    "CosineAnnealingLR": [
        {},
        {"T_max": 30, "eta_min": 0.001, "steps": 200},
        {"T_max": 1, "steps": 100},
        {"lr": 1.0, "T_max": 77, "eta_min": 0.05, "steps": 400},
    ],
    "CosineAnnealingWarmRestarts": [
        {},
        {"T_0": 10, "T_mult": 1, "eta_min": 0.001, "steps": 150},
        {"T_0": 3, "T_mult": 3, "steps": 200},
        {"lr": 0.5, "T_0": 1, "T_mult": 2, "eta_min": 0.1, "steps": 130},
    ],
    "CyclicLR": [
        {},
        {"mode": "triangular2", "step_size_up": 10, "step_size_down": 30},
        {"mode": "exp_range", "gamma": 0.98, "step_size_up": 15, "steps": 200},
        {"mode": "triangular", "cycle_momentum": False, "step_size_up": 1},
        {"mode": "exp_range", "gamma": 0.9995, "base_lr": 0.01, "max_lr": 2.0},
    ],
    "OneCycleLR": [
        {},
        {"anneal_strategy": "linear", "total_steps": 150, "pct_start": 0.25},
        {"three_phase": True, "total_steps": 200, "pct_start": 0.4},
        {"three_phase": True, "anneal_strategy": "linear", "total_steps": 101},
        {"cycle_momentum": False, "pct_start": 0.0, "total_steps": 120},
        {"max_lr": 1.0, "div_factor": 10.0, "final_div_factor": 100.0},
    ],
    "SequentialLR": [
        {},
        {"warmup": 1, "start_factor": 0.5, "T_max": 50, "steps": 150},
        {"warmup": 30, "T_max": 40, "eta_min": 0.001, "steps": 120},
        {"lr": 0.4, "warmup": 150, "T_max": 10, "steps": 120},
    ],
}

# Explorer keys that are not PyTorch keyword arguments of the scheduler.
NOT_KWARGS = {"lr", "steps"}

# The schedulers the explorer cannot show: the page must say why, by name.
NOT_IN_EXPLORER = {
    "LambdaLR",
    "MultiplicativeLR",
    "ReduceLROnPlateau",
    "ChainedScheduler",
    "SWALR",
}


def run_node(requests: list[dict]) -> list[dict]:
    """One Node process for the whole grid: JSON in on stdin, JSON out."""
    script = (
        "const S = require(process.argv[1]);"
        "let s = '';"
        "process.stdin.on('data', (d) => (s += d)).on('end', () => {"
        "  const out = JSON.parse(s).map(({ name, params }) => {"
        "    const p = Object.assign(S.defaults(name), params);"
        "    return { params: p, ...S.run(name, p), code: S.code(name, p) };"
        "  });"
        "  process.stdout.write(JSON.stringify(out));"
        "});"
    )
    return json.loads(node("-e", script, str(SCHEDULES_JS), stdin=json.dumps(requests)))


def python_kwargs(params: dict, specs: list) -> dict:
    """Explorer parameters as PyTorch wants them (a float stays a float)."""
    types = {spec[0]: spec[1] for spec in specs}
    return {
        key: float(value) if types[key] == "f" else value
        for key, value in params.items()
        if key not in NOT_KWARGS
    }


def pytorch_curve(name: str, params: dict, specs: list) -> tuple[list, list | None]:
    """lr (and momentum where it cycles) before each optimizer.step(), by PyTorch."""
    weight = torch.zeros(1, dtype=torch.float64, requires_grad=True)
    lr = float(params.get("lr", 0.001))  # CyclicLR and OneCycleLR set their own
    optimizer = torch.optim.SGD([weight], lr=lr, momentum=0.9)
    kwargs = python_kwargs(params, specs)
    if name == "SequentialLR":
        warmup = lr_scheduler.LinearLR(
            optimizer, start_factor=kwargs["start_factor"], total_iters=params["warmup"]
        )
        cosine = lr_scheduler.CosineAnnealingLR(
            optimizer, T_max=params["T_max"], eta_min=kwargs["eta_min"]
        )
        scheduler = lr_scheduler.SequentialLR(
            optimizer, [warmup, cosine], milestones=[params["warmup"]]
        )
    else:
        scheduler = getattr(lr_scheduler, name)(optimizer, **kwargs)
    steps = params["total_steps"] if name == "OneCycleLR" else params["steps"]
    cycles = name in ("CyclicLR", "OneCycleLR") and params["cycle_momentum"]
    lrs, momentums = [], []
    for _ in range(steps):
        lrs.append(scheduler.get_last_lr()[0])
        momentums.append(optimizer.param_groups[0]["momentum"])
        optimizer.step()
        scheduler.step()
    assert all(isinstance(value, float) for value in lrs)
    return lrs, momentums if cycles else None


def assert_same_curve(label: str, expected: list[float], actual: list[float]) -> None:
    assert len(actual) == len(expected), f"{label}: {len(actual)} values"
    for step, (want, got) in enumerate(zip(expected, actual, strict=True)):
        assert math.isclose(got, want, rel_tol=RTOL, abs_tol=ATOL), (
            f"{label} at step {step}: JavaScript {got!r}, PyTorch {want!r}"
        )


@pytest.fixture(scope="module")
def specs() -> dict:
    script = "process.stdout.write(JSON.stringify(require(process.argv[1]).SPECS))"
    return json.loads(node("-e", script, str(SCHEDULES_JS)))


@pytest.fixture(scope="module")
def grid_results() -> list[tuple[str, dict]]:
    requests = [
        {"name": name, "params": params}
        for name, settings in GRID.items()
        for params in settings
    ]
    results = run_node(requests)
    return [(r["name"], out) for r, out in zip(requests, results, strict=True)]


def test_every_explorer_scheduler_is_on_the_grid(specs):
    assert set(specs) == set(GRID)


def test_every_pytorch_scheduler_is_in_the_explorer_or_explained(specs):
    classes = {
        name
        for name, obj in vars(lr_scheduler).items()
        if isinstance(obj, type)
        and issubclass(obj, lr_scheduler.LRScheduler)
        and not name.startswith("_")
        and name != "LRScheduler"
    }
    assert classes - set(specs) <= NOT_IN_EXPLORER
    page = PLAYGROUND_MD.read_text()
    for name in NOT_IN_EXPLORER:
        assert name in page, f"the playground page does not say why {name} is missing"


def test_explorer_curves_equal_pytorch(grid_results, specs):
    assert len(grid_results) >= 3 * len(GRID)
    for name, out in grid_results:
        label = f"{name}({out['params']})"
        lrs, momentums = pytorch_curve(name, out["params"], specs[name])
        assert len(lrs) >= 100
        assert_same_curve(label + " lr", lrs, out["lr"])
        if momentums is None:
            assert out["momentum"] is None, label
        else:
            assert_same_curve(label + " momentum", momentums, out["momentum"])


def test_code_shown_reproduces_the_curve(grid_results):
    for name, out in grid_results:
        namespace: dict = {}
        with contextlib.redirect_stdout(io.StringIO()) as printed:
            exec(compile(out["code"], f"<{name} code>", "exec"), namespace)
        assert printed.getvalue().startswith("lr: first"), out["code"]
        assert_same_curve(f"{name} code", namespace["lrs"], out["lr"])
        if out["momentum"] is not None:
            assert_same_curve(
                f"{name} code momentum", namespace["momentums"], out["momentum"]
            )
        assert all(len(line) <= 88 for line in out["code"].splitlines()), out["code"]


def test_impossible_parameters_are_refused_not_drawn():
    script = (
        "const S = require(process.argv[1]); const out = [];"
        "for (const [n, p] of JSON.parse(process.argv[2])) {"
        "  try { S.run(n, Object.assign(S.defaults(n), p)); out.push(null); }"
        "  catch (e) { out.push(e.message); } }"
        "process.stdout.write(JSON.stringify(out));"
    )
    cases = [
        ("StepLR", {"step_size": 0}),
        ("LinearLR", {"start_factor": 0}),
        ("ExponentialLR", {"steps": 2.5}),
        ("MultiStepLR", {"milestones": [1.5]}),
        ("OneCycleLR", {"pct_start": 0.01, "total_steps": 100}),  # PyTorch: 0/0
    ]
    messages = json.loads(node("-e", script, str(SCHEDULES_JS), json.dumps(cases)))
    assert all(messages), list(zip(cases, messages, strict=True))
    # The last case really fails in PyTorch too.
    weight = torch.zeros(1, requires_grad=True)
    with pytest.raises(ZeroDivisionError):
        lr_scheduler.OneCycleLR(
            torch.optim.SGD([weight], momentum=0.9),
            max_lr=0.1,
            total_steps=100,
            pct_start=0.01,
        )
