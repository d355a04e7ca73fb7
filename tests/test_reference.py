"""The scheduler reference: every PyTorch scheduler has a page, and every formula a
page shows is the schedule PyTorch actually produces.

Each closed form is kept twice, side by side below: the LaTeX that the page shows
(the test checks that the page contains it verbatim) and the same expression as a
Python function of the step t, in float64, compared with PyTorch to 1e-9 relative.
Schedulers without a closed form are checked against values worked out by hand.
"""

from __future__ import annotations

import inspect
import math
import re
from collections.abc import Callable
from dataclasses import dataclass

import pytest
import torch
from torch.optim import lr_scheduler, swa_utils
from torch.optim.swa_utils import SWALR

from support import ROOT

REFERENCE = ROOT / "docs" / "reference"
REL = 1e-9


# ----------------------------------------------------------------- coverage


def installed_schedulers() -> dict[str, type]:
    """Every public scheduler class torch ships: the LRScheduler subclasses (and
    ReduceLROnPlateau, whatever its base) in torch.optim.lr_scheduler and
    torch.optim.swa_utils, where SWALR lives."""
    found = {}
    for module in (lr_scheduler, swa_utils):
        for name, cls in inspect.getmembers(module, inspect.isclass):
            if name.startswith("_") or cls is lr_scheduler.LRScheduler:
                continue
            if issubclass(cls, lr_scheduler.LRScheduler) or (
                cls is lr_scheduler.ReduceLROnPlateau
            ):
                found[name] = cls
    return found


def page(name: str) -> str:
    return (REFERENCE / f"{name.lower()}.md").read_text()


def test_installed_torch_has_the_schedulers_this_reference_was_written_for():
    assert len(installed_schedulers()) >= 16  # the finder itself finds them


@pytest.mark.parametrize("name", sorted(installed_schedulers()))
def test_every_scheduler_in_torch_has_a_reference_page(name):
    path = REFERENCE / f"{name.lower()}.md"
    assert path.is_file(), f"torch has {name}, the site has no {path.relative_to(ROOT)}"
    cls = installed_schedulers()[name]
    marker = f"<!-- signature: {cls.__module__}.{name} -->"
    assert marker in path.read_text(), f"{path.name} does not show {name}'s signature"


def test_every_reference_page_is_in_the_nav_and_linked_from_the_overview():
    nav = (ROOT / "mkdocs.yml").read_text()
    overview = page("index")
    for name in installed_schedulers():
        assert f"reference/{name.lower()}.md" in nav, f"{name} is missing from nav"
        assert f"({name.lower()}.md" in overview, f"overview does not link {name}"
    assert "reference/composition.md" in nav


def test_no_page_for_a_scheduler_torch_does_not_have():
    known = {n.lower() for n in installed_schedulers()} | {"index", "composition"}
    extra = {p.stem for p in REFERENCE.glob("*.md")} - known
    assert not extra, f"pages for schedulers torch does not have: {extra}"


# ------------------------------------------------------------ running torch


def optimizer(lr: float = 0.1, kind: str = "sgd") -> torch.optim.Optimizer:
    w = torch.nn.Parameter(torch.zeros(2, dtype=torch.float64))
    if kind == "adamw":
        return torch.optim.AdamW([w], lr=lr)
    return torch.optim.SGD([w], lr=lr, momentum=0.9)


def run(opt, scheduler, steps: int, metrics=None, key: str = "lr") -> list[float]:
    """The value of param_groups[0][key] in force for each of `steps` steps."""
    values = []
    for t in range(steps):
        group = opt.param_groups[0]
        values.append(group["betas"][0] if key == "beta1" else group[key])
        opt.step()  # no gradient: the parameters stay, the schedule is what we test
        scheduler.step() if metrics is None else scheduler.step(metrics[t])
    return values


def assert_close(got: list[float], want: list[float], what: str) -> None:
    assert len(got) == len(want)
    for t, (g, w) in enumerate(zip(got, want, strict=True)):
        # Relative, except where the schedule is exactly zero.
        assert math.isclose(g, w, rel_tol=REL, abs_tol=1e-300), (
            f"{what}: step {t}: torch {g!r}, formula {w!r}"
        )


# ------------------------------------------------------- the closed forms


@dataclass(frozen=True)
class Formula:
    latex: str  # exactly as on the page
    lr: Callable[..., float]  # the same expression: the lr at step t


# Each LaTeX string below is on the scheduler's page; the function after it is the
# same expression in Python. t counts scheduler.step() calls; lr0 is the base lr.

STEPLR = r"\eta_t = \eta_0 \, \gamma^{\lfloor t / s \rfloor}"


def steplr(t, lr0, step_size, gamma=0.1):
    return lr0 * gamma ** (t // step_size)


MULTISTEPLR = r"\eta_t = \eta_0 \, \gamma^{\#\{m \in M \,:\, m \le t\}}"


def multisteplr(t, lr0, milestones, gamma=0.1):
    return lr0 * gamma ** sum(m <= t for m in milestones)


CONSTANTLR = (
    r"\eta_t = \begin{cases} f \, \eta_0 & t < T \\ \eta_0 & t \ge T \end{cases}"
)


def constantlr(t, lr0, factor=1 / 3, total_iters=5):
    return factor * lr0 if t < total_iters else lr0


LINEARLR = r"\eta_t = \eta_0 \left( s + (e - s) \, \frac{\min(t, T)}{T} \right)"


def linearlr(t, lr0, start_factor=1 / 3, end_factor=1.0, total_iters=5):
    s, e, T = start_factor, end_factor, total_iters
    return lr0 * (s + (e - s) * min(t, T) / T)


EXPONENTIALLR = r"\eta_t = \eta_0 \, \gamma^{t}"


def exponentiallr(t, lr0, gamma):
    return lr0 * gamma**t


POLYNOMIALLR = r"\eta_t = \eta_0 \left( 1 - \frac{\min(t, T)}{T} \right)^{p}"


def polynomiallr(t, lr0, total_iters=5, power=1.0):
    T, p = total_iters, power
    return lr0 * (1 - min(t, T) / T) ** p


COSINEANNEALINGLR = (
    r"\eta_t = \eta_{\min} + \frac{1}{2} (\eta_0 - \eta_{\min})"
    r" \left( 1 + \cos \frac{\pi t}{T_{\max}} \right)"
)


def cosineannealinglr(t, lr0, T_max, eta_min=0.0):
    return eta_min + (lr0 - eta_min) / 2 * (1 + math.cos(math.pi * t / T_max))


COSINEANNEALINGWARMRESTARTS = (
    r"\eta_e = \eta_{\min} + \frac{1}{2} (\eta_0 - \eta_{\min})"
    r" \left( 1 + \cos \frac{\pi T_{\mathrm{cur}}}{T_i} \right)"
)
# where, at (fractional) epoch e, restart n has begun:
WARM_RESTART_N = (
    r"n = \left\lfloor \log_{T_{\mathrm{mult}}}"
    r" \left( \frac{e \, (T_{\mathrm{mult}} - 1)}{T_0} + 1 \right) \right\rfloor"
)
WARM_RESTART_T = (
    r"T_i = T_0 \, T_{\mathrm{mult}}^{\,n}, \quad"
    r" T_{\mathrm{cur}} = e - T_0 \, \frac{T_{\mathrm{mult}}^{\,n} - 1}"
    r"{T_{\mathrm{mult}} - 1}"
)
WARM_RESTART_T1 = r"T_i = T_0, \quad T_{\mathrm{cur}} = e \bmod T_0"


def cosineannealingwarmrestarts(e, lr0, T_0, T_mult=1, eta_min=0.0):
    if T_mult == 1:
        T_i, T_cur = T_0, e % T_0
    else:
        n = math.floor(math.log(e * (T_mult - 1) / T_0 + 1, T_mult))
        T_i, T_cur = T_0 * T_mult**n, e - T_0 * (T_mult**n - 1) / (T_mult - 1)
    return eta_min + (lr0 - eta_min) / 2 * (1 + math.cos(math.pi * T_cur / T_i))


CYCLICLR = (
    r"\eta_t = \eta_{\mathrm{base}} + (\eta_{\max} - \eta_{\mathrm{base}})"
    r" \, h_t \, g(c_t)"
)
CYCLIC_C = r"c_t = \left\lfloor 1 + \frac{t}{u + d} \right\rfloor"
CYCLIC_H = (
    r"h_t = \begin{cases} x / u & x \le u \\ (u + d - x) / d & x > u \end{cases},"
    r" \quad x = t - (c_t - 1)(u + d)"
)
CYCLIC_G = {  # g(c) per mode; exp_range scales by the step t, not the cycle
    "triangular": lambda c, t, gamma: 1.0,
    "triangular2": lambda c, t, gamma: 1 / 2 ** (c - 1),
    "exp_range": lambda c, t, gamma: gamma**t,
}


def cycliclr(t, base_lr, max_lr, up, down, mode="triangular", gamma=1.0):
    u, d = up, down
    c = math.floor(1 + t / (u + d))
    x = t - (c - 1) * (u + d)
    h = x / u if x <= u else (u + d - x) / d
    return base_lr + (max_lr - base_lr) * h * CYCLIC_G[mode](c, t, gamma)


ONECYCLELR = (
    r"\eta_t = \begin{cases}"
    r" \operatorname{anneal}(\eta_{\mathrm{init}}, \eta_{\max}, t / t_1) & t \le t_1 \\"
    r" \operatorname{anneal}\left(\eta_{\max}, \eta_{\mathrm{final}},"
    r" \frac{t - t_1}{T - 1 - t_1}\right) & t > t_1"
    r" \end{cases}"
)
ANNEAL_COS = (
    r"\operatorname{anneal}(a, b, x) = b + \frac{a - b}{2}"
    r" \left( 1 + \cos \pi x \right)"
)
ONECYCLE_CONSTANTS = [  # inline, each whole
    r"\(t_1 = p \, T - 1\)",
    r"\(\eta_{\mathrm{init}} = \eta_{\max} / d\)",
    r"\(\eta_{\mathrm{final}} = \eta_{\mathrm{init}} / d_{\mathrm{final}}\)",
]


def anneal_cos(a, b, x):
    return b + (a - b) / 2 * (1 + math.cos(math.pi * x))


def anneal_linear(a, b, x):
    return a + (b - a) * x


def onecyclelr(
    t,
    max_lr,
    total_steps,
    pct_start=0.3,
    div_factor=25.0,
    final_div_factor=1e4,
    anneal=anneal_cos,
):
    T = total_steps
    t1 = pct_start * T - 1
    eta_init = max_lr / div_factor
    eta_final = eta_init / final_div_factor
    if t <= t1:
        return anneal(eta_init, max_lr, t / t1)
    return anneal(max_lr, eta_final, (t - t1) / (T - 1 - t1))


SWALR_FORMULA = (
    r"\eta_k = \alpha(x_k) \, \eta_{\mathrm{swa}}"
    r" + \left( 1 - \alpha(x_k) \right) \eta_{\mathrm{start}}, \quad"
    r" x_k = \min\left(1, \frac{k}{A}\right)"
)
SWALR_ALPHA = r"\alpha_{\mathrm{cos}}(x) = \frac{1 - \cos \pi x}{2}"


def swalr_alpha_cos(x):
    return (1 - math.cos(math.pi * x)) / 2


def swalr(k, lr_start, swa_lr, anneal_epochs=10, alpha=swalr_alpha_cos):
    x = min(1, k / anneal_epochs)
    return alpha(x) * swa_lr + (1 - alpha(x)) * lr_start


LAMBDALR = r"\eta_t = \eta_0 \, \lambda(t)"


def lambdalr(t, lr0, lr_lambda):
    return lr0 * lr_lambda(t)


MULTIPLICATIVELR = r"\eta_t = \eta_0 \prod_{k=1}^{t} f(k)"


def multiplicativelr(t, lr0, lr_lambda):
    return lr0 * math.prod(lr_lambda(k) for k in range(1, t + 1))


FORMULAS: dict[str, Formula] = {
    "StepLR": Formula(STEPLR, steplr),
    "MultiStepLR": Formula(MULTISTEPLR, multisteplr),
    "ConstantLR": Formula(CONSTANTLR, constantlr),
    "LinearLR": Formula(LINEARLR, linearlr),
    "ExponentialLR": Formula(EXPONENTIALLR, exponentiallr),
    "PolynomialLR": Formula(POLYNOMIALLR, polynomiallr),
    "CosineAnnealingLR": Formula(COSINEANNEALINGLR, cosineannealinglr),
    "CosineAnnealingWarmRestarts": Formula(
        COSINEANNEALINGWARMRESTARTS, cosineannealingwarmrestarts
    ),
    "CyclicLR": Formula(CYCLICLR, cycliclr),
    "OneCycleLR": Formula(ONECYCLELR, onecyclelr),
    "SWALR": Formula(SWALR_FORMULA, swalr),
    "LambdaLR": Formula(LAMBDALR, lambdalr),
    "MultiplicativeLR": Formula(MULTIPLICATIVELR, multiplicativelr),
}
# The definitions a page needs beside its main formula.
DEFINITIONS = {
    "CosineAnnealingWarmRestarts": [WARM_RESTART_N, WARM_RESTART_T, WARM_RESTART_T1],
    "CyclicLR": [CYCLIC_C, CYCLIC_H],
    "OneCycleLR": [ANNEAL_COS, *ONECYCLE_CONSTANTS],
    "SWALR": [SWALR_ALPHA],
}


def _normalise(latex: str) -> str:
    return re.sub(r"\s+", " ", latex).strip()


@pytest.mark.parametrize("name", sorted(FORMULAS))
def test_page_shows_the_formula_the_test_checks(name):
    shown = _normalise(page(name))
    for latex in [FORMULAS[name].latex, *DEFINITIONS.get(name, [])]:
        assert _normalise(latex) in shown, (
            f"{name.lower()}.md does not show this formula tested here: {latex}"
        )


def _cases():
    """(scheduler name, params, make the scheduler, steps, formula kwargs)."""
    for step_size, gamma in [(10, 0.1), (3, 0.5), (1, 0.9)]:
        yield (
            "StepLR",
            lambda o, s=step_size, g=gamma: lr_scheduler.StepLR(o, s, g),
            {
                "step_size": step_size,
                "gamma": gamma,
            },
        )
    for milestones in ([20, 30], [5, 5, 12], [12, 3]):
        yield (
            "MultiStepLR",
            lambda o, m=milestones: lr_scheduler.MultiStepLR(o, m),
            {"milestones": milestones},
        )
    for kw in (
        {},
        {"factor": 0.25, "total_iters": 5},
        {"factor": 0.5, "total_iters": 1},
    ):
        yield "ConstantLR", lambda o, kw=kw: lr_scheduler.ConstantLR(o, **kw), kw
    for kw in (
        {},
        {"start_factor": 0.1, "total_iters": 10},
        {"start_factor": 1.0, "end_factor": 0.0, "total_iters": 30},
        {"start_factor": 0.5, "end_factor": 0.2, "total_iters": 7},
    ):
        yield "LinearLR", lambda o, kw=kw: lr_scheduler.LinearLR(o, **kw), kw
    for gamma in (0.9, 0.5, 1.1):
        yield (
            "ExponentialLR",
            lambda o, g=gamma: lr_scheduler.ExponentialLR(o, g),
            {"gamma": gamma},
        )
    for kw in (
        {},
        {"total_iters": 30, "power": 2.0},
        {"total_iters": 30, "power": 0.5},
    ):
        yield "PolynomialLR", lambda o, kw=kw: lr_scheduler.PolynomialLR(o, **kw), kw
    for kw in ({"T_max": 40, "eta_min": 1e-3}, {"T_max": 15}, {"T_max": 7}):
        # 40 steps: T_max=15 and 7 go past T_max, where the lr climbs again.
        yield (
            "CosineAnnealingLR",
            lambda o, kw=kw: lr_scheduler.CosineAnnealingLR(o, **kw),
            kw,
        )
    for kw in (
        {"T_0": 10},
        {"T_0": 5, "T_mult": 2, "eta_min": 1e-3},
        {"T_0": 3, "T_mult": 3},
    ):
        yield (
            "CosineAnnealingWarmRestarts",
            lambda o, kw=kw: lr_scheduler.CosineAnnealingWarmRestarts(o, **kw),
            kw,
        )


@pytest.mark.parametrize(
    "name, make, params",
    list(_cases()),
    ids=[f"{c[0]}-{i}" for i, c in enumerate(_cases())],
)
def test_pytorch_epoch_schedule_matches_the_formula_on_its_page(name, make, params):
    opt = optimizer(lr=0.1)
    got = run(opt, make(opt), steps=40)
    want = [FORMULAS[name].lr(t, 0.1, **params) for t in range(40)]
    assert_close(got, want, f"{name}({params})")


@pytest.mark.parametrize("T_0, T_mult, iters", [(5, 2, 4), (4, 1, 10), (3, 3, 7)])
def test_warm_restarts_per_batch_with_fractional_epochs_match_the_formula(
    T_0, T_mult, iters
):
    opt = optimizer(lr=0.1)
    scheduler = lr_scheduler.CosineAnnealingWarmRestarts(opt, T_0=T_0, T_mult=T_mult)
    got, want = [], []
    for epoch in range(40):
        for i in range(iters):
            got.append(opt.param_groups[0]["lr"])
            e = epoch + i / iters
            want.append(FORMULAS["CosineAnnealingWarmRestarts"].lr(e, 0.1, T_0, T_mult))
            opt.step()
            scheduler.step(epoch + (i + 1) / iters)
    assert_close(got, want, "CosineAnnealingWarmRestarts per batch")


@pytest.mark.parametrize(
    "kw",
    [
        {"base_lr": 0.01, "max_lr": 0.1, "up": 20, "down": 20, "mode": "triangular2"},
        {"base_lr": 0.01, "max_lr": 0.1, "up": 5, "down": 15, "mode": "triangular"},
        {
            "base_lr": 0.001,
            "max_lr": 0.1,
            "up": 10,
            "down": 10,
            "mode": "exp_range",
            "gamma": 0.99,
        },
    ],
)
def test_cycliclr_lr_and_momentum_match_the_formula(kw):
    opt = optimizer()
    scheduler = lr_scheduler.CyclicLR(
        opt,
        kw["base_lr"],
        kw["max_lr"],
        step_size_up=kw["up"],
        step_size_down=kw["down"],
        mode=kw["mode"],
        gamma=kw.get("gamma", 1.0),
        base_momentum=0.8,
        max_momentum=0.9,
    )
    lrs, momenta = [], []
    for _ in range(100):
        lrs.append(opt.param_groups[0]["lr"])
        momenta.append(opt.param_groups[0]["momentum"])
        opt.step()
        scheduler.step()
    f = FORMULAS["CyclicLR"].lr
    assert_close(lrs, [f(t, **kw) for t in range(100)], "CyclicLR lr")
    # Momentum: the same shape upside down, from max_momentum to base_momentum.
    want_m = [
        0.9
        - (f(t, **kw) - kw["base_lr"]) / (kw["max_lr"] - kw["base_lr"]) * (0.9 - 0.8)
        for t in range(100)
    ]
    assert_close(momenta, want_m, "CyclicLR momentum")


def test_cycliclr_known_values_by_hand():
    # triangular2, 0.01 -> 0.1 in 20 batches: peak 0.1, then the next peak half as high.
    opt = optimizer()
    scheduler = lr_scheduler.CyclicLR(
        opt, 0.01, 0.1, step_size_up=20, mode="triangular2"
    )
    lrs = run(opt, scheduler, 81)
    assert lrs[0] == pytest.approx(0.01, rel=REL)
    assert lrs[10] == pytest.approx(0.055, rel=REL)
    assert lrs[20] == pytest.approx(0.1, rel=REL)
    assert lrs[40] == pytest.approx(0.01, rel=REL)
    assert lrs[60] == pytest.approx(0.01 + 0.09 / 2, rel=REL)
    assert lrs[80] == pytest.approx(0.01, rel=REL)


@pytest.mark.parametrize(
    "kw, anneal",
    [
        ({"max_lr": 0.01, "total_steps": 80}, "cos"),
        ({"max_lr": 0.1, "total_steps": 100, "pct_start": 0.25}, "linear"),
        ({"max_lr": 1.0, "total_steps": 7, "div_factor": 10.0}, "cos"),
    ],
)
@pytest.mark.parametrize("kind", ["sgd", "adamw"])
def test_onecyclelr_lr_and_momentum_match_the_formula(kw, anneal, kind):
    anneal_fn = anneal_cos if anneal == "cos" else anneal_linear
    opt = optimizer(kind=kind)
    scheduler = lr_scheduler.OneCycleLR(opt, anneal_strategy=anneal, **kw)
    key = "beta1" if kind == "adamw" else "momentum"
    lrs, momenta = [], []
    for _ in range(kw["total_steps"]):
        lrs.append(opt.param_groups[0]["lr"])
        group = opt.param_groups[0]
        momenta.append(group["betas"][0] if key == "beta1" else group["momentum"])
        opt.step()
        scheduler.step()
    f = FORMULAS["OneCycleLR"].lr
    want = [f(t, anneal=anneal_fn, **kw) for t in range(kw["total_steps"])]
    assert_close(lrs, want, "OneCycleLR lr")
    # Momentum (or beta1) runs the same phases from 0.95 down to 0.85 and back.
    t1 = kw.get("pct_start", 0.3) * kw["total_steps"] - 1
    T = kw["total_steps"]
    want_m = [
        anneal_fn(0.95, 0.85, t / t1)
        if t <= t1
        else anneal_fn(0.85, 0.95, (t - t1) / (T - 1 - t1))
        for t in range(T)
    ]
    assert_close(momenta, want_m, f"OneCycleLR {key}")


def test_onecyclelr_refuses_a_step_past_total_steps():
    opt = optimizer()
    scheduler = lr_scheduler.OneCycleLR(opt, max_lr=0.1, total_steps=10)
    for _ in range(10):
        opt.step()
        scheduler.step()
    opt.step()
    with pytest.raises(ValueError, match="Tried to step 11 times"):
        scheduler.step()


@pytest.mark.parametrize("strategy", ["cos", "linear"])
def test_swalr_after_cosine_matches_the_formula(strategy):
    opt = optimizer(lr=0.1)
    cosine = lr_scheduler.CosineAnnealingLR(opt, T_max=40)
    swa = SWALR(opt, swa_lr=0.02, anneal_epochs=5, anneal_strategy=strategy)
    lrs = []
    for epoch in range(40):
        lrs.append(opt.param_groups[0]["lr"])
        opt.step()
        swa.step() if epoch >= 24 else cosine.step()
    lr_start = lrs[24]  # the rate when SWALR takes over
    alpha = swalr_alpha_cos if strategy == "cos" else (lambda x: x)
    want = [swalr(k, lr_start, 0.02, 5, alpha) for k in range(16)]
    assert_close(lrs[24:], want, f"SWALR {strategy}")


def test_lambdalr_and_multiplicativelr_match_their_formulas_and_hand_values():
    def f(epoch):
        return 1.0 if epoch < 10 else 0.9

    opt = optimizer(lr=0.1)
    scaled = run(opt, lr_scheduler.LambdaLR(opt, f), 30)
    opt = optimizer(lr=0.1)
    multiplied = run(opt, lr_scheduler.MultiplicativeLR(opt, f), 30)
    assert_close(scaled, [FORMULAS["LambdaLR"].lr(t, 0.1, f) for t in range(30)], "λ")
    assert_close(
        multiplied,
        [FORMULAS["MultiplicativeLR"].lr(t, 0.1, f) for t in range(30)],
        "MultiplicativeLR",
    )
    # By hand: LambdaLR applies 0.9 once; MultiplicativeLR once per epoch from 10 on.
    assert scaled[20] == pytest.approx(0.09, rel=REL)
    assert multiplied[10] == pytest.approx(0.09, rel=REL)
    assert multiplied[20] == pytest.approx(0.1 * 0.9**11, rel=REL)


# ------------------------------------------- no closed form: known values


def docstring_example_rates() -> list[float]:
    """40 epochs of ChainedScheduler's docstring example: ConstantLR(0.1, 20) then
    ExponentialLR(0.9), on lr=0.05."""
    opt = optimizer(lr=0.05)
    chained = lr_scheduler.ChainedScheduler(
        [
            lr_scheduler.ConstantLR(opt, factor=0.1, total_iters=20),
            lr_scheduler.ExponentialLR(opt, gamma=0.9),
        ],
        optimizer=opt,
    )
    return run(opt, chained, 40)


def test_chainedscheduler_multiplies_its_parts_known_values():
    lrs = docstring_example_rates()
    assert lrs[0] == pytest.approx(0.005, rel=REL)  # 0.05 x 0.1
    assert lrs[1] == pytest.approx(0.0045, rel=REL)  # 0.05 x 0.1 x 0.9
    assert lrs[19] == pytest.approx(0.05 * 0.1 * 0.9**19, rel=REL)
    assert lrs[20] == pytest.approx(0.05 * 0.9**20, rel=REL)  # ConstantLR ends
    assert lrs[39] == pytest.approx(0.05 * 0.9**39, rel=REL)


def test_chainedscheduler_docstring_quoted_on_its_page_is_ten_times_too_high():
    """chainedscheduler.md quotes the example of ChainedScheduler's docstring and
    says its values are ten times what torch computes. Both halves are checked: the
    quotes are in the installed torch's docstring, and they are 10x the real rates
    (the example above, which is the docstring's: ConstantLR(0.1, 20) then
    ExponentialLR(0.9) on lr=0.05)."""
    documented = {
        int(epoch): value
        for value, epoch in re.findall(
            r"# lr = ([\d.]+)\s+if epoch == (\d+)",
            lr_scheduler.ChainedScheduler.__doc__ or "",
        )
    }
    text = re.sub(r"\s+", " ", page("ChainedScheduler"))
    quoted = re.search(
        r"docstring of torch [\d.]+ lists ([\d.]+) for epoch (\d+), ([\d.]+) for "
        r"epoch (\d+) and ([\d.]+) for epoch (\d+), ten times the values above",
        text,
    )
    assert quoted, "chainedscheduler.md no longer quotes the docstring as tested"
    pairs = list(zip(quoted.groups()[1::2], quoted.groups()[0::2], strict=True))
    lrs = docstring_example_rates()
    for epoch, value in pairs:
        assert documented.get(int(epoch)) == value, (
            f"torch's docstring no longer says lr = {value} at epoch {epoch}"
        )
    for epoch, value in documented.items():  # every line of it, not only the quotes
        # To the docstring's 3 or 4 digits (it truncates): far from a factor of 10.
        assert float(value) == pytest.approx(10 * lrs[epoch], rel=1e-3), (
            f"docstring epoch {epoch}: {value}, ten times torch's is {10 * lrs[epoch]}"
        )


def test_sequentiallr_switches_at_the_milestone_known_values():
    opt = optimizer(lr=0.05)
    seq = lr_scheduler.SequentialLR(
        opt,
        [
            lr_scheduler.ConstantLR(opt, factor=0.1, total_iters=20),
            lr_scheduler.ExponentialLR(opt, gamma=0.9),
        ],
        milestones=[20],
    )
    lrs = run(opt, seq, 40)
    assert lrs[:20] == pytest.approx([0.005] * 20, rel=REL)
    assert lrs[20] == pytest.approx(0.05, rel=REL)  # ExponentialLR starts afresh
    assert lrs[21] == pytest.approx(0.045, rel=REL)
    assert lrs[39] == pytest.approx(0.05 * 0.9**19, rel=REL)


def test_warmup_then_cosine_with_sequentiallr_known_values():
    opt = optimizer(lr=1e-3)
    seq = lr_scheduler.SequentialLR(
        opt,
        [
            lr_scheduler.LinearLR(opt, start_factor=0.01, total_iters=16),
            lr_scheduler.CosineAnnealingLR(opt, T_max=144),
        ],
        milestones=[16],
    )
    lrs = run(opt, seq, 160)
    assert lrs[0] == pytest.approx(1e-5, rel=REL)
    assert lrs[8] == pytest.approx(1e-3 * (0.01 + 0.99 * 8 / 16), rel=REL)
    assert lrs[16] == pytest.approx(1e-3, rel=REL)  # the peak: warmup done
    assert lrs[16 + 72] == pytest.approx(0.5e-3, rel=REL)  # half way down the cosine


@pytest.mark.parametrize("composite", ["SequentialLR", "ChainedScheduler"])
def test_composites_reject_reduce_on_plateau(composite):
    opt = optimizer()
    parts = [lr_scheduler.LinearLR(opt), lr_scheduler.ReduceLROnPlateau(opt)]
    with pytest.raises(ValueError, match="does not support `ReduceLROnPlateau`"):
        if composite == "SequentialLR":
            lr_scheduler.SequentialLR(opt, parts, milestones=[5])
        else:
            lr_scheduler.ChainedScheduler(parts)


def test_linearlr_cannot_start_from_zero():
    with pytest.raises(ValueError, match="greater than 0"):
        lr_scheduler.LinearLR(optimizer(), start_factor=0.0)


def test_reducelronplateau_patience_and_cooldown_known_values():
    # Worked by hand, patience=2, cooldown=1, factor=0.5, lr=1:
    # 5 and 4 improve; three 4s in a row are 3 bad epochs > 2 -> cut after step 5.
    # The 3 at step 6 improves (cooldown eats that step), then bad at 7, 8, 9 -> cut.
    # Step 10 is in cooldown, not counted; bad at 11, 12, 13 -> cut after step 13.
    metrics = [5, 4, 4, 4, 4, 3, 3, 3, 3, 3, 3, 3, 3, 3]
    opt = optimizer(lr=1.0)
    scheduler = lr_scheduler.ReduceLROnPlateau(opt, factor=0.5, patience=2, cooldown=1)
    after = []
    for m in metrics:
        scheduler.step(m)
        after.append(opt.param_groups[0]["lr"])
    assert after == [
        1,
        1,
        1,
        1,
        0.5,
        0.5,
        0.5,
        0.5,
        0.25,
        0.25,
        0.25,
        0.25,
        0.125,
        0.125,
    ]


def test_cosineannealinglr_climbs_again_after_t_max():
    opt = optimizer(lr=0.1)
    lrs = run(opt, lr_scheduler.CosineAnnealingLR(opt, T_max=15), 31)
    assert lrs[15] == pytest.approx(0.0, abs=1e-15)
    assert lrs[22] > lrs[15] and lrs[30] == pytest.approx(0.1, rel=REL)


def test_polynomiallr_default_reaches_zero_after_five_steps():
    opt = optimizer(lr=0.1)
    lrs = run(opt, lr_scheduler.PolynomialLR(opt), 10)
    assert lrs[4] > 0 and lrs[5:] == [0.0] * 5


# ------------------------------------------------------------ the built site


@pytest.mark.parametrize("name", sorted(installed_schedulers()))
def test_built_page_shows_signature_formula_and_figure(built_site, name):
    html = (built_site / "reference" / name.lower() / "index.html").read_text()
    text = re.sub(r"<[^>]+>", "", html)
    assert f"Signature in torch {torch.__version__}" in text
    assert f"{name}(" in text  # the generated signature, not the marker
    assert "<!-- signature" not in html
    assert "<math" in html, "no formula rendered to MathML"
    assert "\\(" not in text and "\\[" not in text, "a formula was left as LaTeX"
    figure = f"assets/snippets/reference/{name.lower()}/{name.lower()}-1"
    assert f"{figure}.svg" in html and f"{figure}-dark.svg" in html
    assert (built_site / f"{figure}.svg").is_file()
