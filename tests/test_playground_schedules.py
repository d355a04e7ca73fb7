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
from torch.optim import lr_scheduler, swa_utils

from support import ROOT, node

SCHEDULES_JS = ROOT / "docs" / "javascripts" / "lib" / "schedules.js"
RTOL, ATOL = 1e-9, 1e-12


def part(name: str, **params) -> dict:
    """One scheduler of a SequentialLR or ChainedScheduler."""
    return {"name": name, "params": params}


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
        {
            "schedulers": [
                part("LinearLR", start_factor=0.5, total_iters=1),
                part("CosineAnnealingLR", T_max=50),
            ],
            "steps": 150,
        },
        {
            "schedulers": [
                part("LinearLR", total_iters=30),
                part("CosineAnnealingLR", T_max=40, eta_min=0.001),
            ],
            "milestones": [30],
            "steps": 120,
        },
        {
            "lr": 0.4,
            "schedulers": [
                part("LinearLR", total_iters=150),
                part("CosineAnnealingLR", T_max=10),
            ],
            "milestones": [150],
            "steps": 120,
        },
        # Three parts; a milestone hands over with _update_lr(0): closed forms
        # restart from base_lr, MultiplicativeLR multiplies by lr_lambda(0), SWA-like
        # continuations keep the lr they find.
        {
            "schedulers": [
                part("ConstantLR", factor=0.5, total_iters=5),
                part("ExponentialLR", gamma=0.95),
                part("StepLR", step_size=10, gamma=0.5),
            ],
            "milestones": [20, 50],
            "steps": 110,
        },
        {
            "schedulers": [
                part("LambdaLR", lr_lambda="linear warm-up", warmup=15),
                part(
                    "MultiplicativeLR",
                    lr_lambda="factor every k steps",
                    factor=0.5,
                    every=7,
                ),
            ],
            "milestones": [15],
            "steps": 100,
        },
        {
            "schedulers": [
                part("ExponentialLR", gamma=0.9),
                part("CosineAnnealingWarmRestarts", T_0=10, T_mult=2),
                part("MultiStepLR", milestones=[0, 5, 5], gamma=0.5),
            ],
            "milestones": [10, 80],
            "steps": 120,
        },
        {
            "schedulers": [
                part("PolynomialLR", total_iters=10, power=2.0),
                part("LinearLR", start_factor=0.2, end_factor=0.8, total_iters=20),
            ],
            "milestones": [0],
            "steps": 100,
        },
        {
            "schedulers": [
                part("StepLR", step_size=3),
                part("LambdaLR", lr_lambda="inverse square root"),
            ],
            "milestones": [40],
            "steps": 100,
        },
    ],
    "ChainedScheduler": [
        {},
        # A closed form (LambdaLR) resets what a recursive one multiplied.
        {
            "schedulers": [
                part("LambdaLR", lr_lambda="inverse square root", warmup=5),
                part("MultiplicativeLR", factor=0.9),
            ],
            "steps": 100,
        },
        {
            "schedulers": [
                part("ConstantLR", factor=0.25, total_iters=30),
                part("CosineAnnealingLR", T_max=40, eta_min=0.01),
            ],
            "steps": 150,
        },
        {
            "schedulers": [
                part("LinearLR", start_factor=0.01, total_iters=20),
                part("StepLR", step_size=25, gamma=0.3),
                part("PolynomialLR", total_iters=90, power=0.5),
            ],
            "steps": 120,
        },
        {
            "schedulers": [
                part("CosineAnnealingWarmRestarts", T_0=15, T_mult=1),
                part("ExponentialLR", gamma=0.99),
            ],
            "steps": 100,
        },
        {
            "lr": 1.0,
            "schedulers": [
                part("MultiStepLR", milestones=[0, 10]),
                part(
                    "LambdaLR",
                    lr_lambda="warmup-stable-decay",
                    warmup=5,
                    stable=20,
                    decay=60,
                ),
            ],
            "steps": 100,
        },
    ],
    "LambdaLR": [
        {},
        {"lr_lambda": "linear warm-up", "warmup": 25, "steps": 120},
        {"lr_lambda": "inverse square root", "warmup": 4, "steps": 200},
        {"lr_lambda": "warmup-stable-decay", "warmup": 1, "stable": 0, "decay": 99},
        {"lr_lambda": "warmup-stable-decay", "warmup": 30, "stable": 200, "decay": 1},
        {"lr": 0.03, "lr_lambda": "constant factor", "factor": 3.0},
    ],
    "MultiplicativeLR": [
        {},
        {"lr_lambda": "constant factor", "factor": 1.0, "steps": 100},
        {"lr_lambda": "constant factor", "factor": 0.5, "steps": 150},
        {"lr_lambda": "factor every k steps", "factor": 0.3, "every": 17},
        {"lr_lambda": "factor every k steps", "factor": 1.05, "every": 1},
    ],
    "ReduceLROnPlateau": [
        {},
        {"patience": 0, "cooldown": 3, "plateau": 10, "noise": 0.1, "draw": 7},
        {"patience": 5, "threshold": 0.01, "threshold_mode": "abs", "steps": 150},
        {"mode": "max", "factor": 0.5, "patience": 2, "min_lr": 0.01, "steps": 120},
        {"mode": "max", "threshold_mode": "abs", "threshold": 0.0, "noise": 0.0},
        {"factor": 0.9, "eps": 0.005, "patience": 1, "noise": 0.3, "draw": 12345},
        {"factor": 0.0, "patience": 3, "plateau": 0, "noise": 0.05, "draw": 99},
        {"lr": 1.0, "threshold": 0.5, "cooldown": 10, "plateau": 60, "steps": 200},
    ],
    "SWALR": [
        {},
        {"swa_start": 0, "swa_lr": 0.05, "anneal_epochs": 0, "steps": 100},
        {"swa_start": 70, "anneal_epochs": 1, "anneal_strategy": "linear"},
        {"T_max": 40, "swa_start": 50, "swa_lr": 0.2, "anneal_epochs": 30},
        {"lr": 0.5, "swa_start": 99, "anneal_epochs": 0, "steps": 120},
        {"swa_start": 10, "swa_lr": 0.001, "anneal_epochs": 200, "steps": 150},
    ],
}

# Explorer keys that are not PyTorch keyword arguments of the scheduler.
NOT_KWARGS = {"lr", "steps", "plateau", "noise", "draw"}

# The functions of the step the explorer offers LambdaLR and MultiplicativeLR,
# written again here in Python from what the page says they are.
LAMBDAS = {
    "linear warm-up": lambda p: lambda step: min(1.0, (step + 1) / p["warmup"]),
    "inverse square root": lambda p: (
        lambda step: min((step + 1) / p["warmup"], math.sqrt(p["warmup"] / (step + 1)))
    ),
    "warmup-stable-decay": lambda p: (
        lambda step: min(
            (step + 1) / p["warmup"],
            1.0,
            max(0.0, (p["warmup"] + p["stable"] + p["decay"] - step) / p["decay"]),
        )
    ),
    "constant factor": lambda p: lambda step: p["factor"],
    "factor every k steps": lambda p: (
        lambda step: p["factor"] if step % p["every"] == 0 else 1.0
    ),
}


def validation_losses(params: dict) -> list[float]:
    """The validation loss the page gives ReduceLROnPlateau: it falls for 20
    epochs, stays flat for `plateau`, falls again; noise from Park and Miller's
    generator."""
    state, losses = params["draw"], []
    for epoch in range(params["steps"]):
        state = state * 48271 % 2147483647
        progress = min(epoch, 20) + max(0, epoch - 20 - params["plateau"])
        noise = params["noise"] * (2 * state / 2147483647 - 1)
        losses.append((1 + noise) / (1 + progress / 10))
    return losses


def run_node(requests: list[dict]) -> list[dict]:
    """One Node process for the whole grid: JSON in on stdin, JSON out."""
    script = (
        "const S = require(process.argv[1]);"
        "let s = '';"
        "process.stdin.on('data', (d) => (s += d)).on('end', () => {"
        "  const out = JSON.parse(s).map(({ name, params }) => {"
        "    const p = S.complete(name, params);"
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


def make_scheduler(optimizer, name: str, params: dict, specs: dict):
    """lr_scheduler.<name> for the explorer's parameters, built by PyTorch."""
    if name in ("LambdaLR", "MultiplicativeLR"):
        lr_lambda = LAMBDAS[params["lr_lambda"]](params)
        return getattr(lr_scheduler, name)(optimizer, lr_lambda)
    if name in ("SequentialLR", "ChainedScheduler"):
        parts = [
            make_scheduler(optimizer, part["name"], part["params"], specs)
            for part in params["schedulers"]
        ]
        if name == "ChainedScheduler":
            return lr_scheduler.ChainedScheduler(parts)
        return lr_scheduler.SequentialLR(
            optimizer, parts, milestones=params["milestones"]
        )
    return getattr(lr_scheduler, name)(optimizer, **python_kwargs(params, specs[name]))


def pytorch_curve(name: str, params: dict, specs: dict) -> tuple[list, list | None]:
    """lr (and momentum where it cycles) before each optimizer.step(), by PyTorch."""
    weight = torch.zeros(1, dtype=torch.float64, requires_grad=True)
    lr = float(params.get("lr", 0.001))  # CyclicLR and OneCycleLR set their own
    optimizer = torch.optim.SGD([weight], lr=lr, momentum=0.9)
    if name == "SWALR":  # as swa_utils is used: a schedule, then SWALR
        before = lr_scheduler.CosineAnnealingLR(optimizer, T_max=params["T_max"])
        swa = swa_utils.SWALR(
            optimizer,
            swa_lr=float(params["swa_lr"]),
            anneal_epochs=params["anneal_epochs"],
            anneal_strategy=params["anneal_strategy"],
        )

        def step(epoch):
            (swa if epoch > params["swa_start"] else before).step()

    elif name == "ReduceLROnPlateau":
        scheduler = make_scheduler(optimizer, name, params, specs)
        losses = validation_losses(params)

        def step(epoch):
            scheduler.step(losses[epoch])

    else:
        scheduler = make_scheduler(optimizer, name, params, specs)

        def step(epoch):
            scheduler.step()

    steps = params["total_steps"] if name == "OneCycleLR" else params["steps"]
    cycles = name in ("CyclicLR", "OneCycleLR") and params["cycle_momentum"]
    lrs, momentums = [], []
    for epoch in range(steps):
        lrs.append(optimizer.param_groups[0]["lr"])
        momentums.append(optimizer.param_groups[0]["momentum"])
        optimizer.step()
        step(epoch)
    assert all(isinstance(value, float) for value in lrs)
    return lrs, momentums if cycles else None


WORST: list[float] = []  # the relative differences of every compared value


def assert_same_curve(label: str, expected: list[float], actual: list[float]) -> None:
    assert len(actual) == len(expected), f"{label}: {len(actual)} values"
    for step, (want, got) in enumerate(zip(expected, actual, strict=True)):
        WORST.append(abs(got - want) / abs(want) if want else abs(got))
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


def test_every_pytorch_scheduler_is_in_the_explorer(specs):
    classes = {
        name
        for name, obj in vars(lr_scheduler).items()
        if isinstance(obj, type)
        and issubclass(obj, lr_scheduler.LRScheduler)
        and not name.startswith("_")
        and name != "LRScheduler"
    }
    assert classes | {"SWALR"} == set(specs)
    assert len(specs) == 16


def test_compositions_use_every_scheduler_they_accept(specs):
    script = "process.stdout.write(JSON.stringify(require(process.argv[1]).COMPOSABLE))"
    composable = set(json.loads(node("-e", script, str(SCHEDULES_JS))))
    used = {
        part["name"]
        for name in ("SequentialLR", "ChainedScheduler")
        for params in GRID[name]
        for part in params.get("schedulers", [])
    }
    assert used == composable


def test_explorer_curves_equal_pytorch(grid_results, specs):
    assert len(grid_results) >= 3 * len(GRID)
    for name, out in grid_results:
        label = f"{name}({out['params']})"
        lrs, momentums = pytorch_curve(name, out["params"], specs)
        assert len(lrs) >= 100
        assert_same_curve(label + " lr", lrs, out["lr"])
        if name == "ReduceLROnPlateau":  # bit for bit: decisions compare it
            assert out["metric"] == validation_losses(out["params"]), label
        if momentums is None:
            assert out["momentum"] is None, label
        else:
            assert_same_curve(label + " momentum", momentums, out["momentum"])
    print(f"\nworst relative difference from PyTorch: {max(WORST):.3g}", end=" ")
    assert max(WORST) <= RTOL


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
        ("SequentialLR", {"milestones": [10, 20]}),  # PyTorch: ValueError
        ("SequentialLR", {"milestones": [-1]}),
        ("ReduceLROnPlateau", {"factor": 1.0}),  # PyTorch: ValueError
        ("ReduceLROnPlateau", {"mode": "median"}),
        ("LambdaLR", {"lr_lambda": "print"}),
        ("ChainedScheduler", {"schedulers": [{"name": "OneCycleLR", "params": {}}]}),
        ("SWALR", {"anneal_epochs": -1}),
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
