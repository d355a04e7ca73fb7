"""Wrong: scheduler.step() before optimizer.step() skips the schedule's first rate.
Since PyTorch 1.1, the scheduler steps after the optimizer."""

import torch

model = torch.nn.Linear(2, 1)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
scheduler = torch.optim.lr_scheduler.StepLR(optimizer, step_size=1, gamma=0.5)

used = []
for _epoch in range(4):
    scheduler.step()  # wrong place: before the optimizer has stepped
    used.append(optimizer.param_groups[0]["lr"])  # the rate this step will use
    optimizer.step()

planned = [0.1 * 0.5**epoch for epoch in range(4)]  # what StepLR is set up to do
print("epoch  rate used  rate planned")
for epoch, (lr, plan) in enumerate(zip(used, planned, strict=True)):
    print(f"{epoch:5d}  {lr:9.5f}  {plan:12.5f}")
assert used == [0.05, 0.025, 0.0125, 0.00625]  # 0.1 is never used

# %% Every scheduler in PyTorch, stepped in the wrong order
import warnings  # noqa: E402

from torch.optim import lr_scheduler as S  # noqa: E402
from torch.optim.swa_utils import SWALR  # noqa: E402

SCHEDULERS = {  # settings whose first two rates differ, so a skip shows
    "LambdaLR": lambda o: S.LambdaLR(o, lambda epoch: 0.5**epoch),
    "MultiplicativeLR": lambda o: S.MultiplicativeLR(o, lambda epoch: 0.5),
    "StepLR": lambda o: S.StepLR(o, step_size=1, gamma=0.5),
    "MultiStepLR": lambda o: S.MultiStepLR(o, milestones=[1, 3]),
    "ConstantLR": lambda o: S.ConstantLR(o, factor=0.5, total_iters=1),
    "LinearLR": lambda o: S.LinearLR(o, start_factor=0.25, total_iters=3),
    "ExponentialLR": lambda o: S.ExponentialLR(o, gamma=0.5),
    "PolynomialLR": lambda o: S.PolynomialLR(o, total_iters=4),
    "CosineAnnealingLR": lambda o: S.CosineAnnealingLR(o, T_max=4),
    "CyclicLR": lambda o: S.CyclicLR(o, base_lr=0.01, max_lr=0.1, step_size_up=2),
    "OneCycleLR": lambda o: S.OneCycleLR(o, max_lr=0.1, total_steps=5),
    "CosineAnnealingWarmRestarts": lambda o: S.CosineAnnealingWarmRestarts(o, T_0=5),
    "SequentialLR": lambda o: S.SequentialLR(
        o, [S.LinearLR(o, 0.25, total_iters=2), S.ExponentialLR(o, 0.5)], [2]
    ),
    "ChainedScheduler": lambda o: S.ChainedScheduler(
        [S.LinearLR(o, 0.25, total_iters=2), S.ExponentialLR(o, 0.5)]
    ),
    "SWALR": lambda o: SWALR(o, swa_lr=0.01, anneal_epochs=3),
    "ReduceLROnPlateau": lambda o: S.ReduceLROnPlateau(o, patience=0),
}


def run(name: str, wrong_order: bool, **kind) -> tuple[list[float], int]:
    """The rates of four optimizer steps, and how many order warnings came."""
    optimizer = torch.optim.SGD([torch.zeros(1)], lr=0.1, momentum=0.9, **kind)
    scheduler = SCHEDULERS[name](optimizer)
    step = scheduler.step
    if name == "ReduceLROnPlateau":  # its step() takes the metric it watches
        step = lambda: scheduler.step(1.0)  # noqa: E731 - a loss that never improves
    rates = []
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        for _ in range(4):
            if wrong_order:
                step()
            rates.append(optimizer.param_groups[0]["lr"])
            optimizer.step()
            if not wrong_order:
                step()
    order = [w for w in caught if "before `optimizer.step()`" in str(w.message)]
    return rates, len(order)


print(f"\n{'scheduler':<28}{'warnings':>9}{'first rate: planned':>21}{'used':>8}  then")
silent, shifted = [], []
for name in SCHEDULERS:
    planned_rates, _ = run(name, wrong_order=False)
    wrong_rates, warnings_count = run(name, wrong_order=True)
    if not warnings_count:
        silent.append(name)
    early = wrong_rates[:3] == planned_rates[1:]  # each step got the next one's rate
    if early and name != "ReduceLROnPlateau":
        shifted.append(name)
    then = "one step early" if early else "as planned"
    if name == "ReduceLROnPlateau":
        then = "(follows the metric)"
    print(
        f"{name:<28}{warnings_count:>9}{planned_rates[0]:>21.4g}"
        f"{wrong_rates[0]:>8.4g}  {then}"
    )
scheduler_count = len(SCHEDULERS)
warned_count = scheduler_count - len(silent)

# What the page claims: every scheduler in torch.optim (and SWALR) is in the table;
# every one but ReduceLROnPlateau, whose rate follows the metric, skips its first
# rate and gives each step the next one's; all warn but CosineAnnealingWarmRestarts
# and ReduceLROnPlateau, whose own step() has no such check; SequentialLR and
# ChainedScheduler warn through the schedulers they hold (ChainedScheduler once for
# each of its two); foreach and fused optimizers warn the same; with a warmup
# (LinearLR) the rate lost is the smallest.
assert set(SCHEDULERS) == set(S.__all__) - {"LRScheduler"} | {"SWALR"}
assert shifted == [name for name in SCHEDULERS if name != "ReduceLROnPlateau"]
assert silent == ["CosineAnnealingWarmRestarts", "ReduceLROnPlateau"]
assert run("ChainedScheduler", wrong_order=True)[1] == 2
for kind in ({"foreach": True}, {"fused": True}):  # however the step is computed
    assert run("StepLR", wrong_order=True, **kind)[1] == 1
    assert run("StepLR", wrong_order=False, **kind)[1] == 0
warmup_rates, _ = run("LinearLR", wrong_order=False)
assert warmup_rates[0] == min(warmup_rates) < run("LinearLR", wrong_order=True)[0][0]


def replaced_step_warnings(wrong_order: bool) -> list[str]:
    """The warnings when optimizer.step is replaced after the scheduler wrapped it."""
    optimizer = torch.optim.SGD([torch.zeros(1)], lr=0.1)
    scheduler = S.StepLR(optimizer, step_size=1)
    optimizer.step = lambda: None  # e.g. a wrapper installed after the scheduler
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        for step in [scheduler.step, optimizer.step][:: 1 if wrong_order else -1]:
            step()
    return [str(w.message) for w in caught]


for wrong_order in (True, False):  # "has been overridden", in either order
    assert any("has been overridden" in m for m in replaced_step_warnings(wrong_order))
