"""The reference pages' formulas, tested over each scheduler's whole signature.

tests/test_reference.py checks each page's closed form at the page's own arguments.
Here hypothesis draws the arguments from the whole signature instead: every
parameter (a test fails if one is left out), their defaults and their edges (zero
rates, gamma 0 and 1, factors 0 and 1, one-step periods, ``eta_min`` above the base
rate, lists of per-group values), one to three parameter groups with different base
rates, ``step()`` as readers call it, the closed form ``_get_closed_form_lr`` where
the class has one, and resumption with ``last_epoch=``.

Where PyTorch departs from a page's formula, the property test leaves that corner
out (``departs`` below says which) and a test further down pins what PyTorch does
there; the page says so in one sentence.
"""

from __future__ import annotations

import functools
import inspect
import math
from dataclasses import dataclass, field

import pytest
import torch
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from torch.optim import lr_scheduler
from torch.optim.swa_utils import SWALR

from test_reference import (
    FORMULAS,
    anneal_cos,
    anneal_linear,
    constantlr,
    cosineannealinglr,
    exponentiallr,
    lambdalr,
    linearlr,
    multiplicativelr,
    multisteplr,
    onecyclelr,
    page,
    polynomiallr,
    steplr,
    swalr,
    swalr_alpha_cos,
)

# Reproducible in CI (derandomize), no .hypothesis/ folder (database=None), and no
# deadline: a first example that imports or warms up torch is not a failure.
FORMULA_SETTINGS = settings(
    max_examples=50,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
REL = 1e-9
# Where a schedule crosses zero, a relative tolerance means nothing: a cosine from
# a base rate of 0 up to eta_min=1e-3 and back gives -2.2e-19 for 0 (found by
# 800 random examples), LinearLR to end_factor=0 -1.5e-18 (pinned below). There
# the floor is 1e-13 of the largest rate of the case, a few hundred roundings.
ABS = 1e-13

# Not drawn, by design: `optimizer` is the object scheduled, not an argument of
# the formula (the groups and their base rates are drawn instead).
NOT_DRAWN = {"optimizer"}
OMIT = object()  # "leave the argument out": the default is tested too
# Floats without subnormals (below 2.2e-308): no reader passes one, and ConstantLR's
# 1 / factor overflows for them.
floats = functools.partial(st.floats, allow_subnormal=False)


def maybe(strategy):
    """The argument, or the argument left out (for a per-group one too)."""
    if callable(strategy) and not isinstance(strategy, st.SearchStrategy):
        return lambda n: st.just(OMIT) | strategy(n)
    return st.just(OMIT) | strategy


# A base rate: zero, the usual ones, and anything between 1e-4 and 10.
LR = st.sampled_from([0.0, 0.1, 1.0, 3e-4]) | floats(1e-4, 10.0)
FACTOR_0_1 = st.sampled_from([0.0, 1.0, 0.5, 1 / 3]) | floats(0.0, 1.0)
GAMMA = st.sampled_from([0.0, 1.0, 0.1, 0.9, 1.1]) | floats(0.0, 1.5)
LAST_EPOCH = maybe(st.integers(-1, 25))


def per_group(values: st.SearchStrategy):
    """A value for every group, or one list with a value per group."""
    return lambda n: values | st.lists(values, min_size=n, max_size=n)


# lr_lambda: named module-level functions, so a failing example reads well.
def keep(t):
    return 1.0


def warm_from_zero(t):
    return min(1.0, t / 5)


def decay_09(t):
    return 0.9**t


def halve_at_7(t):
    return 0.5 if t >= 7 else 1.0


def zero(t):
    return 0.0


def grow(t):
    return 1.05**t


def every_third_halves(t):
    return 0.5 if t % 3 == 0 else 1.0


def times_095(t):
    return 0.95


LAMBDAS = [keep, warm_from_zero, decay_09, halve_at_7, zero, grow]
FACTORS = [keep, decay_09, every_third_halves, zero, grow, times_095]


def scale_half_life(x):
    return 0.5**x


def scale_inverse(x):
    return 1 / (1 + x)


# ------------------------------------------------------ the drawn arguments

# One strategy per signature parameter but `optimizer`; a callable takes the
# number of groups (for per-group lists). test_every_signature_parameter_is_drawn
# holds these keys to inspect.signature.
PARAMS: dict[str, dict] = {
    "LambdaLR": {
        "lr_lambda": lambda n: (
            st.sampled_from(LAMBDAS)
            | st.lists(st.sampled_from(LAMBDAS), min_size=n, max_size=n)
        ),
        "last_epoch": LAST_EPOCH,
    },
    "MultiplicativeLR": {
        "lr_lambda": lambda n: (
            st.sampled_from(FACTORS)
            | st.lists(st.sampled_from(FACTORS), min_size=n, max_size=n)
        ),
        "last_epoch": LAST_EPOCH,
    },
    "StepLR": {
        "step_size": st.integers(1, 12),
        "gamma": maybe(GAMMA),
        "last_epoch": LAST_EPOCH,
    },
    "MultiStepLR": {
        # Unsorted, repeated, at 0, past the run.
        "milestones": st.lists(st.integers(0, 45), max_size=5),
        "gamma": maybe(GAMMA),
        "last_epoch": LAST_EPOCH,
    },
    "ConstantLR": {
        "factor": maybe(FACTOR_0_1),
        "total_iters": maybe(st.integers(0, 20)),
        "last_epoch": LAST_EPOCH,
    },
    "LinearLR": {
        "start_factor": maybe(st.sampled_from([1.0, 1e-3]) | floats(1e-3, 1.0)),
        "end_factor": maybe(FACTOR_0_1),
        "total_iters": maybe(st.integers(0, 20)),
        "last_epoch": LAST_EPOCH,
    },
    "ExponentialLR": {"gamma": GAMMA, "last_epoch": LAST_EPOCH},
    "PolynomialLR": {
        "total_iters": maybe(st.integers(0, 20)),
        "power": maybe(st.sampled_from([0.0, 1.0, 2.0, 0.9]) | floats(0.0, 3.0)),
        "last_epoch": LAST_EPOCH,
    },
    "CosineAnnealingLR": {
        "T_max": st.integers(1, 15),
        # Up to 0.2, above many drawn base rates: the cosine then rises.
        "eta_min": maybe(st.sampled_from([0.0, 1e-3]) | floats(0.0, 0.2)),
        "last_epoch": LAST_EPOCH,
    },
    "CosineAnnealingWarmRestarts": {
        "T_0": st.integers(1, 8),
        "T_mult": maybe(st.integers(1, 3)),
        "eta_min": maybe(st.sampled_from([0.0, 1e-3]) | floats(0.0, 0.2)),
        "last_epoch": LAST_EPOCH,
    },
    "CyclicLR": {
        "base_lr": per_group(LR),
        "max_lr": per_group(LR),  # below base_lr too: the triangle upside down
        "step_size_up": maybe(st.integers(1, 8)),
        "step_size_down": maybe(st.none() | st.integers(1, 8)),
        "mode": maybe(st.sampled_from(["triangular", "triangular2", "exp_range"])),
        "gamma": maybe(st.sampled_from([1.0, 0.99]) | floats(0.5, 1.0)),
        "scale_fn": maybe(st.sampled_from([None, scale_half_life, scale_inverse])),
        "scale_mode": maybe(st.sampled_from(["cycle", "iterations"])),
        "cycle_momentum": maybe(st.booleans()),
        "base_momentum": maybe(per_group(floats(0.5, 0.9))),
        "max_momentum": maybe(per_group(floats(0.9, 0.99))),
        "last_epoch": LAST_EPOCH,
    },
    "OneCycleLR": {
        "max_lr": per_group(LR),
        "total_steps": st.none() | st.integers(1, 40),
        "epochs": maybe(st.integers(1, 6)),
        "steps_per_epoch": maybe(st.integers(1, 7)),
        "pct_start": maybe(st.sampled_from([0.0, 0.3, 0.5]) | floats(0.0, 1.0)),
        "anneal_strategy": maybe(st.sampled_from(["cos", "linear"])),
        "cycle_momentum": maybe(st.booleans()),
        "base_momentum": maybe(per_group(floats(0.5, 0.9))),
        "max_momentum": maybe(per_group(floats(0.9, 0.99))),
        "div_factor": maybe(st.sampled_from([1.0, 25.0]) | floats(1.0, 1e4)),
        "final_div_factor": maybe(st.sampled_from([1.0, 1e4]) | floats(1.0, 1e5)),
        "three_phase": maybe(st.booleans()),
        "last_epoch": LAST_EPOCH,
    },
    "SWALR": {
        "swa_lr": per_group(LR),
        "anneal_epochs": maybe(st.integers(0, 12)),
        "anneal_strategy": maybe(st.sampled_from(["cos", "linear"])),
        "last_epoch": LAST_EPOCH,
    },
}
CLASSES = {name: getattr(lr_scheduler, name, None) or SWALR for name in PARAMS}
CLOSED_FORM_PAGES = sorted(PARAMS)  # the 13 pages with a formula of t
RULE_PAGES = ["SequentialLR", "ReduceLROnPlateau"]  # rules, tested further down


def test_the_drawn_schedulers_are_the_pages_with_a_closed_form():
    assert CLOSED_FORM_PAGES == sorted(FORMULAS)  # test_reference.py's formulas
    assert CLASSES["SWALR"] is SWALR


@pytest.mark.parametrize("name", CLOSED_FORM_PAGES + RULE_PAGES)
def test_every_signature_parameter_is_drawn(name):
    cls = CLASSES.get(name) or getattr(lr_scheduler, name)
    signature = set(inspect.signature(cls).parameters) - NOT_DRAWN
    drawn = set(PARAMS.get(name) or RULE_PARAMS[name])
    assert drawn == signature, (
        f"{name}: not drawn {signature - drawn}, drawn but not in torch's "
        f"signature {drawn - signature}"
    )


# ------------------------------------------------------------ running torch


@dataclass
class Case:
    name: str
    lrs: list[float]  # each group's lr
    kw: dict  # the arguments passed (OMIT ones left out)
    steps: int
    adam: bool = False
    args: dict = field(default_factory=dict)  # every argument, defaults filled in

    def __post_init__(self):
        bound = inspect.signature(CLASSES[self.name]).bind_partial(**self.kw)
        bound.apply_defaults()
        self.args = dict(bound.arguments)

    def per_group(self, key: str, g: int):
        value = self.args[key]
        return value[g] if isinstance(value, list) else value


@st.composite
def cases(draw, name: str, max_steps: int = 40) -> Case:
    n = draw(st.integers(1, 3))
    lrs = draw(st.lists(LR, min_size=n, max_size=n))
    kw = {}
    for key, strategy in PARAMS[name].items():
        if not isinstance(strategy, st.SearchStrategy):
            strategy = strategy(n)
        value = draw(strategy)
        if value is not OMIT:
            kw[key] = value
    if name == "OneCycleLR" and kw["total_steps"] is None:  # then both are needed
        for key in ("epochs", "steps_per_epoch"):
            kw.setdefault(key, draw(st.integers(1, 6)))
    adam = draw(st.booleans())  # momentum, or Adam's beta1, where it is cycled
    return Case(name, lrs, kw, draw(st.integers(1, max_steps)), adam)


def make_optimizer(case: Case) -> torch.optim.Optimizer:
    groups = [
        {"params": [torch.nn.Parameter(torch.zeros(1, dtype=torch.float64))], "lr": lr}
        for lr in case.lrs
    ]
    if case.adam:
        return torch.optim.AdamW(groups)
    return torch.optim.SGD(groups, momentum=0.9)


def momenta(opt) -> list[float]:
    return [g["betas"][0] if "betas" in g else g["momentum"] for g in opt.param_groups]


def start(case: Case):
    """The optimizer and scheduler as a reader has them at the first drawn step.

    With last_epoch=L >= 0: a run of L + 1 steps is checkpointed, a new optimizer
    loads its state (which holds "initial_lr"), and the scheduler is built on it
    with last_epoch=L. Returns (optimizer, scheduler, t of the first rate)."""
    kw = dict(case.kw)
    last_epoch = kw.pop("last_epoch", -1)
    cls = CLASSES[case.name]
    opt = make_optimizer(case)
    if last_epoch == -1:
        return opt, cls(opt, **kw), 0
    earlier = cls(opt, **kw)
    for _ in range(last_epoch + 1):
        opt.step()
        earlier.step()
    resumed = make_optimizer(case)
    resumed.load_state_dict(opt.state_dict())
    return resumed, cls(resumed, last_epoch=last_epoch, **kw), last_epoch + 1


def rates_of(case: Case) -> list[float]:
    """Every rate the case names: the groups', and base/max/swa/eta_min ones."""
    found = list(case.lrs)
    for key in ("base_lr", "max_lr", "swa_lr", "eta_min"):
        value = case.args.get(key)
        if isinstance(value, float | int):
            found.append(value)
        elif isinstance(value, list):
            found.extend(value)
    return [abs(v) for v in found] + [1e-300]


def assert_close(got: float, want: float, scale: float, what: str) -> None:
    assert math.isclose(got, want, rel_tol=REL, abs_tol=ABS * scale + 1e-300), (
        f"{what}: torch {got!r}, formula {want!r}"
    )


# ------------------------------------------------------- the formulas of t


def warm_restarts_exact(e, lr0, T_0, T_mult=1, eta_min=0.0):
    """The page's formula with n counted exactly: the last restart at or before
    e (torch takes a floating-point logarithm; see the departure below)."""
    n, begun = 0, 0
    while begun + T_0 * T_mult**n <= e:
        begun += T_0 * T_mult**n
        n += 1
    T_i, T_cur = T_0 * T_mult**n, e - begun
    return eta_min + (lr0 - eta_min) / 2 * (1 + math.cos(math.pi * T_cur / T_i))


def cyclic(c: Case, t: int, g: int) -> tuple[float, float]:
    """The page's CyclicLR formula, g(c) from scale_fn when one is given."""
    u = c.args["step_size_up"]
    d = c.args["step_size_down"] or u
    cycle = math.floor(1 + t / (u + d))
    x = t - (cycle - 1) * (u + d)
    h = x / u if x <= u else (u + d - x) / d
    if c.args["scale_fn"] is not None:
        arg = cycle if c.args["scale_mode"] == "cycle" else t
        scale = c.args["scale_fn"](arg)
    else:
        scale = {
            "triangular": 1.0,
            "triangular2": 1 / 2 ** (cycle - 1),
            "exp_range": c.args["gamma"] ** t,
        }[c.args["mode"]]
    base, top = c.per_group("base_lr", g), c.per_group("max_lr", g)
    low_m, high_m = c.per_group("base_momentum", g), c.per_group("max_momentum", g)
    return base + (top - base) * h * scale, high_m - (high_m - low_m) * h * scale


def onecycle_total(c: Case) -> int:
    a = c.args
    return a["total_steps"] or a["epochs"] * a["steps_per_epoch"]


def onecycle(c: Case, t: int, g: int) -> tuple[float, float]:
    """The page's two phases; with three_phase=True the phases the docstring
    describes: up to max_lr by p T - 1, back to the initial rate by 2 p T - 2, then
    to the final rate at T - 1, the momentum back up in the second and flat in the
    third."""
    a, T = c.args, onecycle_total(c)
    anneal = anneal_cos if a["anneal_strategy"] == "cos" else anneal_linear
    top = c.per_group("max_lr", g)
    init = top / a["div_factor"]
    final = init / a["final_div_factor"]
    high_m, low_m = c.per_group("max_momentum", g), c.per_group("base_momentum", g)
    p = a["pct_start"]
    if not a["three_phase"]:
        t1 = p * T - 1
        lr = onecyclelr(t, top, T, p, a["div_factor"], a["final_div_factor"], anneal)
        if t <= t1:
            return lr, anneal(high_m, low_m, t / t1)
        return lr, anneal(low_m, high_m, (t - t1) / (T - 1 - t1))
    phases = [
        (p * T - 1, init, top, high_m, low_m),
        (2 * p * T - 2, top, init, low_m, high_m),
        (T - 1, init, final, high_m, high_m),
    ]
    begun = 0.0
    for i, (end, lr_a, lr_b, m_a, m_b) in enumerate(phases):
        if t <= end or i == 2:
            x = (t - begun) / (end - begun)
            return anneal(lr_a, lr_b, x), anneal(m_a, m_b, x)
        begun = end
    raise AssertionError("unreachable")


def want(c: Case, t: int, g: int, lr0: float, k: int) -> tuple[float, float | None]:
    """The page's rate (and momentum, where cycled) for group g at step t; lr0 is
    the group's base rate, k the step.() calls since the scheduler was built."""
    a = c.args
    match c.name:
        case "LambdaLR":
            return lambdalr(t, lr0, c.per_group("lr_lambda", g)), None
        case "MultiplicativeLR":
            return multiplicativelr(t, lr0, c.per_group("lr_lambda", g)), None
        case "StepLR":
            return steplr(t, lr0, a["step_size"], a["gamma"]), None
        case "MultiStepLR":
            return multisteplr(t, lr0, a["milestones"], a["gamma"]), None
        case "ConstantLR":
            return constantlr(t, lr0, a["factor"], a["total_iters"]), None
        case "LinearLR":
            s, e, T = a["start_factor"], a["end_factor"], a["total_iters"]
            return linearlr(t, lr0, s, e, T), None
        case "ExponentialLR":
            return exponentiallr(t, lr0, a["gamma"]), None
        case "PolynomialLR":
            return polynomiallr(t, lr0, a["total_iters"], a["power"]), None
        case "CosineAnnealingLR":
            return cosineannealinglr(t, lr0, a["T_max"], a["eta_min"]), None
        case "CosineAnnealingWarmRestarts":
            return warm_restarts_exact(
                t, lr0, a["T_0"], a["T_mult"], a["eta_min"]
            ), None
        case "CyclicLR":
            lr, m = cyclic(c, t, g)
            return lr, (m if a["cycle_momentum"] else None)
        case "OneCycleLR":
            lr, m = onecycle(c, t, g)
            return lr, (m if a["cycle_momentum"] else None)
        case "SWALR":
            alpha = swalr_alpha_cos if a["anneal_strategy"] == "cos" else (lambda x: x)
            return swalr(
                k, lr0, c.per_group("swa_lr", g), a["anneal_epochs"], alpha
            ), None
    raise KeyError(c.name)


def departs(c: Case) -> str | None:
    """Where torch leaves the page's formula: each reason is pinned by a test below
    and said on the page. The property test leaves these corners out."""
    a, resumed_at = c.args, c.args.get("last_epoch", -1) + 1
    match c.name:
        case "ConstantLR" if a["total_iters"] == 0:
            return "ConstantLR total_iters=0 keeps the factor forever"
        case "ConstantLR" if a["factor"] == 0:
            return "ConstantLR factor=0 divides by zero at total_iters"
        case "LinearLR" | "PolynomialLR" if a["total_iters"] == 0:
            return f"{c.name} total_iters=0: the formula divides by zero"
        case "StepLR" if resumed_at > 0 and resumed_at % a["step_size"] == 0:
            return "StepLR built with last_epoch at a step applies gamma twice"
        case "MultiStepLR" if resumed_at in a["milestones"]:
            return "MultiStepLR built with last_epoch at a milestone applies it twice"
        case "ConstantLR" if resumed_at > 0 and resumed_at == a["total_iters"]:
            return "ConstantLR built with last_epoch at total_iters divides again"
        case "CosineAnnealingWarmRestarts" if (
            a["T_mult"] > 1 and resumed_at >= 2 * a["T_0"]
        ):
            return "CosineAnnealingWarmRestarts resumed from 2 T_0 on: wrong period"
        case "OneCycleLR":
            T, p = onecycle_total(c), a["pct_start"]
            if p * T == 1 or (a["three_phase"] and 2 * p * T - 2 == T - 1):
                return "OneCycleLR: a phase of no steps divides by zero"
            if p == 1.0:
                return "OneCycleLR pct_start=1 divides by zero at the last step()"
        case "SWALR" if a["anneal_epochs"] == 0:
            return "SWALR anneal_epochs=0: swa_lr at construction"
    return None


# ------------------------------------------------- the property, per page


@pytest.mark.parametrize("name", CLOSED_FORM_PAGES)
@FORMULA_SETTINGS
@given(data=st.data())
def test_torch_follows_the_page_formula_over_the_whole_signature(name, data):
    case = data.draw(cases(name), label="case")
    assume(departs(case) is None)
    if case.name == "OneCycleLR":  # a checkpoint within its total_steps
        assume(case.args["last_epoch"] + 1 < onecycle_total(case))
    opt, scheduler, t0 = start(case)
    base = [g.get("initial_lr", g["lr"]) for g in opt.param_groups]
    # SWALR's formula starts from the rate it finds (and counts its own calls).
    if case.name == "SWALR":
        base = [g["lr"] for g in opt.param_groups]
    scale = max(rates_of(case))
    steps = case.steps
    if case.name == "OneCycleLR":
        steps = min(steps, onecycle_total(case) - t0)
    closed_form = getattr(scheduler, "_get_closed_form_lr", None)
    for k in range(steps):
        t = t0 + k
        for g, group in enumerate(opt.param_groups):
            lr, momentum = want(case, t, g, base[g], k)
            what = f"{case.name} {case.kw} groups {case.lrs} step {t} group {g}"
            assert_close(group["lr"], lr, scale, what)
            if momentum is not None:
                assert_close(momenta(opt)[g], momentum, 1.0, what + " momentum")
            if closed_form is not None:
                assert_close(closed_form()[g], lr, scale, what + " closed form")
        opt.step()
        scheduler.step()


# ------------------------------------------------- the departures, pinned


@FORMULA_SETTINGS
@given(
    T_0=st.integers(1, 6),
    T_mult=st.integers(1, 3),
    eta_min=st.sampled_from([0.0, 1e-3]),
    iters=st.integers(1, 6),
    epochs=st.integers(1, 16),
)
def test_warm_restarts_with_fractional_epochs_follow_the_exact_formula(
    T_0, T_mult, eta_min, iters, epochs
):
    """step(epoch + (i + 1) / iters) after batch i, as the page's snippet does:
    restarts land on whole epochs, which float division reaches exactly."""
    opt = torch.optim.SGD([torch.nn.Parameter(torch.zeros(1))], lr=0.1)
    scheduler = lr_scheduler.CosineAnnealingWarmRestarts(opt, T_0, T_mult, eta_min)
    for epoch in range(epochs):
        for i in range(iters):
            e = epoch + i / iters
            want_lr = warm_restarts_exact(e, 0.1, T_0, T_mult, eta_min)
            assert_close(opt.param_groups[0]["lr"], want_lr, 0.1, f"epoch {e}")
            opt.step()
            scheduler.step(epoch + (i + 1) / iters)


# ------------------------------------------- rules: SequentialLR, plateau

# SequentialLR's parts: the schedulers whose step 0 is their formula's t = 0.
SEQUENTIAL_PARTS = [
    "StepLR",
    "MultiStepLR",
    "ConstantLR",
    "LinearLR",
    "ExponentialLR",
    "PolynomialLR",
    "CosineAnnealingLR",
    "CosineAnnealingWarmRestarts",
    "LambdaLR",
]


@st.composite
def sequential_parts(draw, n_groups: int) -> list[Case]:
    parts = []
    for name in draw(
        st.lists(st.sampled_from(SEQUENTIAL_PARTS), min_size=1, max_size=3)
    ):
        case = draw(cases(name))
        case = Case(name, [0.0] * n_groups, dict(case.kw), 0)
        case.kw.pop("last_epoch", None)
        case.__post_init__()
        assume(departs(case) is None)
        if isinstance(case.kw.get("lr_lambda"), list):  # one per group, as drawn
            case.kw["lr_lambda"] = (case.kw["lr_lambda"] * 3)[:n_groups]
            case.__post_init__()
        parts.append(case)
    return parts


RULE_PARAMS: dict[str, dict] = {
    "SequentialLR": {
        "schedulers": sequential_parts,
        # One fewer than the parts, increasing, 0 included.
        "milestones": lambda n: st.lists(
            st.integers(0, 30), min_size=n, max_size=n, unique=True
        ).map(sorted),
        # -1 (or left out) here; a resumed SequentialLR is pinned further down.
        "last_epoch": st.sampled_from([OMIT, -1]),
    },
    "ReduceLROnPlateau": {
        "mode": maybe(st.sampled_from(["min", "max"])),
        "factor": maybe(st.sampled_from([0.0, 0.1, 0.5]) | floats(0.0, 0.99)),
        "patience": maybe(st.integers(0, 4)),
        "threshold": maybe(st.sampled_from([0.0, 1e-4, 0.1]) | floats(0.0, 0.5)),
        "threshold_mode": maybe(st.sampled_from(["rel", "abs"])),
        "cooldown": maybe(st.integers(0, 3)),
        "min_lr": lambda n: maybe(
            st.sampled_from([0.0, 1e-3]) | st.lists(LR, min_size=n, max_size=n)
        ),
        "eps": maybe(st.sampled_from([0.0, 1e-8, 1e-3])),
    },
}


@FORMULA_SETTINGS
@given(data=st.data())
def test_sequentiallr_runs_each_part_formula_from_its_milestone(data):
    """The page's rule: the rate is the active part's formula, t counted from the
    milestone where it started, from the optimizer's initial rate."""
    n = data.draw(st.integers(1, 3))
    lrs = data.draw(st.lists(LR, min_size=n, max_size=n))
    draw = {k: v for k, v in RULE_PARAMS["SequentialLR"].items()}
    parts = data.draw(draw["schedulers"](n))
    milestones = data.draw(draw["milestones"](len(parts) - 1))
    last_epoch = data.draw(draw["last_epoch"])
    carrier = Case(parts[0].name, lrs, parts[0].kw, 0)
    opt = make_optimizer(carrier)
    built = [CLASSES[p.name](opt, **p.kw) for p in parts]
    extra = {} if last_epoch is OMIT else {"last_epoch": last_epoch}
    scheduler = lr_scheduler.SequentialLR(opt, built, milestones, **extra)
    for t in range(data.draw(st.integers(0, 40))):
        i = sum(m <= t for m in milestones)
        since = milestones[i - 1] if i else 0
        for g, group in enumerate(opt.param_groups):
            lr, _ = want(parts[i], t - since, g, lrs[g], t - since)
            what = f"{[(p.name, p.kw) for p in parts]} {milestones} step {t} group {g}"
            assert_close(group["lr"], lr, max(rates_of(parts[i]) + lrs), what)
        opt.step()
        scheduler.step()


def plateau_rule(kw: dict, lrs: list[float], metrics: list[float]) -> list[list]:
    """The page's three rules (mode="max" mirrors "min"): the rates after each
    step(metric)."""
    a = inspect.signature(lr_scheduler.ReduceLROnPlateau).bind_partial(None, **kw)
    a.apply_defaults()
    a = a.arguments
    minimum = a["mode"] == "min"
    th = a["threshold"]
    best, bad, cooling = (math.inf if minimum else -math.inf), 0, 0
    min_lrs = a["min_lr"] if isinstance(a["min_lr"], list) else [a["min_lr"]] * len(lrs)
    lrs, out = list(lrs), []
    for m in metrics:
        if a["threshold_mode"] == "rel":
            bar = best * (1 - th) if minimum else best * (1 + th)
        else:
            bar = best - th if minimum else best + th
        if (m < bar) if minimum else (m > bar):  # 1. an improvement
            best, bad = m, 0
        else:
            bad += 1
        if cooling:  # 2. bad epochs in the cooldown are not counted
            cooling -= 1
            bad = 0
        if bad > a["patience"]:  # 3. the cut
            for g, lr in enumerate(lrs):
                new = max(lr * a["factor"], min_lrs[g])
                if lr - new > a["eps"]:  # the page: "by eps or less" is no change
                    lrs[g] = new
            bad, cooling = 0, a["cooldown"]
        out.append(list(lrs))
    return out


@FORMULA_SETTINGS
@given(data=st.data())
def test_reducelronplateau_follows_the_page_rules_over_its_signature(data):
    n = data.draw(st.integers(1, 3))
    lrs = data.draw(st.lists(LR, min_size=n, max_size=n))
    kw = {}
    for key, strategy in RULE_PARAMS["ReduceLROnPlateau"].items():
        if not isinstance(strategy, st.SearchStrategy):
            strategy = strategy(n)
        if (value := data.draw(strategy, label=key)) is not OMIT:
            kw[key] = value
    # Plateaus, ties, tiny changes, negative values (where "rel" flips).
    metric = st.sampled_from([3.0, 2.0, 1.0, 1.0, 0.99995, 0.0, -1.0]) | floats(-5, 5)
    metrics = data.draw(st.lists(metric, max_size=30), label="metrics")
    case = Case("StepLR", lrs, {"step_size": 1}, 0)
    opt = make_optimizer(case)
    scheduler = lr_scheduler.ReduceLROnPlateau(opt, **kw)
    got = []
    for m in metrics:
        opt.step()
        scheduler.step(m)
        got.append([g["lr"] for g in opt.param_groups])
    assert got == plateau_rule(kw, lrs, metrics)


# ------------------------------------------------- the departures, pinned


def sgd(*lrs: float) -> torch.optim.Optimizer:
    return make_optimizer(Case("StepLR", list(lrs or [0.1]), {"step_size": 1}, 0))


def lrs_run(opt, scheduler, steps: int) -> list[float]:
    out = []
    for _ in range(steps):
        out.append(opt.param_groups[0]["lr"])
        opt.step()
        scheduler.step()
    return out


def says(name: str, *phrases: str) -> None:
    """The page tells the reader about the departure the test pins."""
    text = " ".join(page(name).split()).lower()
    for phrase in phrases:
        assert phrase.lower() in text, f"{name.lower()}.md does not say: {phrase}"


def test_constantlr_total_iters_0_keeps_the_factor_for_ever():
    # The formula (and torch's closed form) give the full rate at every t >= 0;
    # step() applies the factor at t = 0 and never takes it back.
    opt = sgd(0.1)
    scheduler = lr_scheduler.ConstantLR(opt, factor=0.5, total_iters=0)
    assert lrs_run(opt, scheduler, 4) == [0.05] * 4
    assert scheduler._get_closed_form_lr() == [0.1]
    says("ConstantLR", "`total_iters=0`", "keeps `factor`")


def test_constantlr_factor_0_divides_by_zero_at_total_iters():
    opt = sgd(0.1)
    scheduler = lr_scheduler.ConstantLR(opt, factor=0.0, total_iters=3)
    with pytest.raises(ZeroDivisionError):
        lrs_run(opt, scheduler, 4)
    assert scheduler.last_epoch == 3  # the call that gives the rate back
    says("ConstantLR", "`factor=0`", "`ZeroDivisionError`")


@pytest.mark.parametrize("name", ["LinearLR", "PolynomialLR"])
def test_total_iters_0_where_the_formula_divides_by_zero(name):
    # LinearLR stays at start_factor for ever, PolynomialLR at the full rate: neither
    # reaches its end; the closed form raises.
    opt = sgd(0.1)
    kw = {"start_factor": 0.5} if name == "LinearLR" else {}
    scheduler = getattr(lr_scheduler, name)(opt, total_iters=0, **kw)
    assert lrs_run(opt, scheduler, 4) == [0.05 if kw else 0.1] * 4
    with pytest.raises(ZeroDivisionError):
        scheduler._get_closed_form_lr()
    says(name, "`total_iters=0`")


@pytest.mark.parametrize(
    "make, fails_at",
    [
        (lambda o: lr_scheduler.StepLR(o, step_size=0), 1),
        (lambda o: lr_scheduler.CosineAnnealingLR(o, T_max=0), 1),
        (lambda o: lr_scheduler.CyclicLR(o, 0.01, 0.1, step_size_up=0), 0),
        (lambda o: lr_scheduler.OneCycleLR(o, 0.1, total_steps=10, pct_start=0.1), 0),
        (lambda o: lr_scheduler.OneCycleLR(o, 0.1, total_steps=10, pct_start=1.0), 10),
        (
            lambda o: lr_scheduler.OneCycleLR(
                o, 0.1, total_steps=4, pct_start=0.625, three_phase=True
            ),
            4,  # the second phase ends at the last batch: the third has no length
        ),
    ],
    ids=[
        "StepLR-0",
        "CosineAnnealingLR-0",
        "CyclicLR-up-0",
        "OneCycle-pT=1",
        "pct1",
        "three-phase",
    ],
)
def test_a_zero_length_where_the_formula_divides_by_zero_raises(make, fails_at):
    """Construction succeeds (but for `fails_at` 0); the step() call number
    `fails_at` raises. OneCycleLR with pct_start=1.0 trains all its steps and fails
    on the step() after the last batch, which a training loop makes."""
    opt = sgd(0.1)
    if fails_at == 0:
        with pytest.raises(ZeroDivisionError):
            make(opt)
        return
    scheduler = make(opt)
    lrs_run(opt, scheduler, fails_at - 1)
    opt.step()
    with pytest.raises(ZeroDivisionError):
        scheduler.step()


def test_onecyclelr_pages_say_where_it_divides_by_zero():
    says("OneCycleLR", "`pct_start × total_steps` is 1", "`pct_start=1.0`")


def test_warm_restarts_floating_log_misses_a_restart():
    """step(epoch) finds the period with a floating-point logarithm: at epoch 121
    with T_0=1, T_mult=3 (1 + 3 + 9 + 27 + 81), log_3(243) comes out just under 5,
    so torch puts epoch 121 at the end of the 81-epoch period (eta_min) instead of
    the start of the next (the full rate). step() without an epoch counts in
    integers and restarts."""
    opt = sgd(0.1)
    scheduler = lr_scheduler.CosineAnnealingWarmRestarts(opt, T_0=1, T_mult=3)
    scheduler.step(121.0)
    assert (scheduler.T_cur, scheduler.T_i) == (81.0, 81)
    assert opt.param_groups[0]["lr"] == pytest.approx(0.0, abs=1e-15)
    assert warm_restarts_exact(121, 0.1, 1, 3) == pytest.approx(0.1, rel=REL)
    opt = sgd(0.1)
    counted = lr_scheduler.CosineAnnealingWarmRestarts(opt, T_0=1, T_mult=3)
    assert lrs_run(opt, counted, 122)[121] == pytest.approx(0.1, rel=REL)
    says("CosineAnnealingWarmRestarts", "`scheduler.step(121.0)`")


def test_swalr_anneal_epochs_0_sets_swa_lr_at_construction():
    """x_k = k / 0: torch takes x = 1 from the start. Built at the start of
    training as the page advises, it sets the rate to swa_lr before the main
    scheduler's first epoch, and the main (recursive) scheduler goes on from it."""
    opt = sgd(0.1)
    cosine = lr_scheduler.CosineAnnealingLR(opt, T_max=10)
    SWALR(opt, swa_lr=0.02, anneal_epochs=0)
    rates = lrs_run(opt, cosine, 3)
    assert rates[0] == 0.02  # not 0.1
    assert rates[1] == pytest.approx(cosineannealinglr(1, 0.02, 10), rel=REL)
    says("SWALR", "`anneal_epochs=0`")


def test_swalr_counts_its_calls_not_last_epoch():
    """SWALR counts its own step() calls: built with last_epoch=L on a resumed
    optimizer, it starts a new anneal from the rate it finds."""
    opt = sgd(0.1)
    swa = SWALR(opt, swa_lr=0.02, anneal_epochs=4, anneal_strategy="linear")
    lrs_run(opt, swa, 2)  # half way: 0.06
    resumed = sgd(0.1)
    resumed.load_state_dict(opt.state_dict())
    again = SWALR(
        resumed, swa_lr=0.02, anneal_epochs=4, anneal_strategy="linear", last_epoch=1
    )
    got = lrs_run(resumed, again, 5)
    want_lr = [swalr(k, 0.06, 0.02, 4, lambda x: x) for k in range(5)]
    assert got == pytest.approx(want_lr, rel=REL)  # 0.06 0.05 0.04 0.03 0.02
    says("SWALR", "built with `last_epoch=`")


@pytest.mark.parametrize(
    "name, kw, resumed_at",
    [
        ("StepLR", {"step_size": 3}, 6),
        ("MultiStepLR", {"milestones": [4]}, 4),
        ("ConstantLR", {"factor": 0.5, "total_iters": 4}, 4),
        ("CosineAnnealingWarmRestarts", {"T_0": 5, "T_mult": 2}, 21),
    ],
)
def test_last_epoch_resumption_departs_at_a_boundary(name, kw, resumed_at):
    """A run checkpointed after `resumed_at` steps, a new optimizer loading its
    state, the scheduler built with last_epoch=resumed_at - 1: every other
    scheduler then goes on exactly (the property test above). These do not:
    StepLR, MultiStepLR and ConstantLR apply their change at resumed_at a second
    time, CosineAnnealingWarmRestarts with T_mult > 1 forgets the longer periods."""
    case = Case(name, [0.1], {**kw, "last_epoch": resumed_at - 1}, 0)
    opt, scheduler, t0 = start(case)
    got = lrs_run(opt, scheduler, 6)
    fresh_opt = sgd(0.1)
    fresh = lrs_run(fresh_opt, CLASSES[name](fresh_opt, **kw), resumed_at + 6)
    assert got != pytest.approx(fresh[resumed_at:], rel=1e-6)
    says(name, "resumed by `last_epoch=` (the steps taken minus one")


def test_sequentiallr_last_epoch_moves_only_its_own_count():
    """SequentialLR(..., last_epoch=L) counts from L + 1 for its milestones, but
    its parts start at their own step 0."""
    opt = sgd(0.1)
    parts = [
        lr_scheduler.ConstantLR(opt, factor=0.5, total_iters=20),
        lr_scheduler.ExponentialLR(opt, gamma=0.9),
    ]
    seq = lr_scheduler.SequentialLR(opt, parts, milestones=[10], last_epoch=7)
    got = lrs_run(opt, seq, 4)
    # Steps 8 and 9 in ConstantLR's half rate, then ExponentialLR from step 10 on.
    assert got == pytest.approx([0.05, 0.05, 0.1, 0.09], rel=REL)
    assert seq.last_epoch == 12 and parts[0].last_epoch == 1
    says("SequentialLR", "`SequentialLR(..., last_epoch=L)` moves only its own")


def test_sequentiallr_multiplicativelr_after_a_milestone_multiplies_the_rate_it_finds():
    """The rule restarts a part at its formula's t = 0; MultiplicativeLR has no
    closed form, so at its milestone torch multiplies the rate the previous part
    left by f(0) instead of starting from the initial rate."""
    opt = sgd(0.1)
    parts = [
        lr_scheduler.ConstantLR(opt, factor=0.5, total_iters=20),
        lr_scheduler.MultiplicativeLR(opt, lambda t: 0.9),
    ]
    seq = lr_scheduler.SequentialLR(opt, parts, milestones=[3])
    got = lrs_run(opt, seq, 5)
    assert got == pytest.approx([0.05, 0.05, 0.05, 0.045, 0.0405], rel=REL)
    says("SequentialLR", "multiplies the rate the previous scheduler left by")


def test_reducelronplateau_a_cut_of_exactly_eps_is_skipped():
    # 2e-8 x 0.5 changes the rate by 1e-8, the default eps: torch needs more.
    opt = sgd(2e-8)
    scheduler = lr_scheduler.ReduceLROnPlateau(opt, factor=0.5, patience=0)
    for metric in (1.0, 2.0, 2.0):
        scheduler.step(metric)
    assert opt.param_groups[0]["lr"] == 2e-8
    says("ReduceLROnPlateau", "`eps` or less")


def test_linearlr_decay_to_zero_ends_a_rounding_below_zero():
    """The recursion's last factor, 1 + (e - s) / (T s + (T - 1)(e - s)), is 0 only
    to rounding: with the default start_factor 1/3 it is -2.2e-16. Python floats,
    so the same on every CPU."""
    opt = sgd(0.1)
    scheduler = lr_scheduler.LinearLR(opt, end_factor=0.0)
    assert lrs_run(opt, scheduler, 6)[5] == -1.480297366166875e-18
    says("LinearLR", "`end_factor=0`", "−1.5e-18")


@pytest.mark.parametrize(
    "name, kw, formula",
    [
        (
            "CosineAnnealingLR",
            {"T_max": 1000, "eta_min": 1e-3},
            lambda t: cosineannealinglr(t, 0.1, 1000, 1e-3),
        ),
        (
            "PolynomialLR",
            {"total_iters": 4000, "power": 0.9},
            lambda t: polynomiallr(t, 0.1, 4000, 0.9),
        ),
        (
            "LinearLR",
            {"start_factor": 1e-3, "total_iters": 4000},
            lambda t: linearlr(t, 0.1, 1e-3, 1.0, 4000),
        ),
        ("ExponentialLR", {"gamma": 0.999}, lambda t: exponentiallr(t, 0.1, 0.999)),
    ],
    ids=["CosineAnnealingLR", "PolynomialLR", "LinearLR", "ExponentialLR"],
)
def test_recursive_schedules_stay_on_the_formula_over_a_per_batch_run(
    name, kw, formula
):
    """4000 steps, per-batch lengths: PyTorch's step-by-step products do not drift
    from the closed form beyond 1e-9 (the cosine goes down, back up and down
    again, to eta_min > 0, where the page says it follows the formula past T_max)."""
    opt = sgd(0.1)
    got = lrs_run(opt, CLASSES[name](opt, **kw), 4000)
    for t in range(0, 4000, 7):
        assert_close(got[t], formula(t), 0.1, f"{name} step {t}")


# ChainedScheduler's page: a chain of factors is the product of their schedules.
CHAIN_FACTORS = [
    "ConstantLR",
    "LinearLR",
    "StepLR",
    "MultiStepLR",
    "ExponentialLR",
    "PolynomialLR",
    "MultiplicativeLR",
    "CosineAnnealingLR",  # a factor with eta_min=0, up to T_max: drawn so below
]


@FORMULA_SETTINGS
@given(data=st.data())
def test_a_chain_of_factors_is_the_product_of_their_schedules(data):
    n = data.draw(st.integers(1, 3))
    lrs = data.draw(st.lists(LR, min_size=n, max_size=n))
    parts = []
    for name in data.draw(
        st.lists(st.sampled_from(CHAIN_FACTORS), min_size=1, max_size=3)
    ):
        kw = dict(data.draw(cases(name)).kw)
        kw.pop("last_epoch", None)
        if name == "CosineAnnealingLR":
            kw["eta_min"] = 0.0
        if isinstance(kw.get("lr_lambda"), list):  # one per group, as drawn
            kw["lr_lambda"] = (kw["lr_lambda"] * 3)[:n]
        part = Case(name, lrs, kw, 0)
        assume(departs(part) is None)
        parts.append(part)
    opt = make_optimizer(parts[0])
    chain = lr_scheduler.ChainedScheduler([CLASSES[p.name](opt, **p.kw) for p in parts])
    ends = [p.args["T_max"] for p in parts if p.name == "CosineAnnealingLR"]
    for t in range(min([data.draw(st.integers(0, 40)), *ends])):
        for g, group in enumerate(opt.param_groups):
            factors = [want(p, t, g, 1.0, t)[0] for p in parts]
            what = f"{[(p.name, p.kw) for p in parts]} step {t} group {g}"
            assert_close(group["lr"], lrs[g] * math.prod(factors), max(lrs), what)
        opt.step()
        chain.step()
