"""Writing group["lr"] by hand: a closed-form scheduler writes over it at its next
step(), a recursive one multiplies on from it; get_last_lr() does not see it."""

import math

import torch
from torch.optim import lr_scheduler


def after_a_manual_write(make):
    optimizer = torch.optim.SGD([torch.nn.Parameter(torch.zeros(1))], lr=0.1)
    scheduler = make(optimizer)
    optimizer.step()
    scheduler.step()  # the rate is now 0.1 * 0.9 = 0.09
    for group in optimizer.param_groups:
        group["lr"] = 0.01  # by hand: say, a smaller rate on resume
    stale = scheduler.get_last_lr()[0]  # still the scheduler's last value
    optimizer.step()  # trains at 0.01
    scheduler.step()
    return stale, optimizer.param_groups[0]["lr"]


closed_form = after_a_manual_write(lambda o: lr_scheduler.LambdaLR(o, lambda e: 0.9**e))
recursive = after_a_manual_write(lambda o: lr_scheduler.ExponentialLR(o, gamma=0.9))
print(f"LambdaLR:      get_last_lr() after the write {closed_form[0]:.4g},", end=" ")
print(f"after the next step() {closed_form[1]:.4g}")
print(f"ExponentialLR: get_last_lr() after the write {recursive[0]:.4g},", end=" ")
print(f"after the next step() {recursive[1]:.4g}")

# To change a closed-form schedule for good, change what it computes from.
optimizer = torch.optim.SGD([torch.nn.Parameter(torch.zeros(1))], lr=0.1)
scheduler = lr_scheduler.LambdaLR(optimizer, lambda e: 0.9**e)
optimizer.step()
scheduler.step()
scheduler.base_lrs = [0.01]  # the new peak: from now on 0.01 * 0.9**epoch
optimizer.step()
scheduler.step()
rescaled = optimizer.param_groups[0]["lr"]
print(f"LambdaLR with base_lrs = [0.01]: after the next step() {rescaled:.4g}")

# %% Checks
assert math.isclose(closed_form[0], 0.09) and math.isclose(recursive[0], 0.09)  # stale
assert math.isclose(closed_form[1], 0.1 * 0.9**2)  # back on its curve
assert math.isclose(recursive[1], 0.01 * 0.9)  # built on the manual rate
assert math.isclose(rescaled, 0.01 * 0.9**2)


def disturbed_and_not(make) -> tuple[float, float, float]:
    """The rate two steps on, with and without a write of 0.01 after step one, and
    the rate the write replaced."""
    rates = []
    for write in (True, False):
        optimizer = torch.optim.SGD([torch.nn.Parameter(torch.zeros(1))], lr=0.1)
        scheduler = make(optimizer)
        optimizer.step()
        scheduler.step()
        replaced = optimizer.param_groups[0]["lr"]
        if write:
            optimizer.param_groups[0]["lr"] = 0.01
        optimizer.step()
        scheduler.step()
        rates.append(optimizer.param_groups[0]["lr"])
    return rates[0], rates[1], replaced


S = lr_scheduler
CLOSED_FORM = {  # write over a hand-written rate
    "LambdaLR": lambda o: S.LambdaLR(o, lambda e: 0.9**e),
    "OneCycleLR": lambda o: S.OneCycleLR(
        o, max_lr=0.1, total_steps=10, cycle_momentum=False
    ),
    "CyclicLR": lambda o: S.CyclicLR(
        o, 0.01, 0.1, step_size_up=3, cycle_momentum=False
    ),
    "CosineAnnealingWarmRestarts": lambda o: S.CosineAnnealingWarmRestarts(o, T_0=5),
}
RECURSIVE = {  # multiply on from it
    "ExponentialLR": lambda o: S.ExponentialLR(o, gamma=0.9),
    "StepLR": lambda o: S.StepLR(o, step_size=1, gamma=0.9),
    "MultiStepLR": lambda o: S.MultiStepLR(o, milestones=[2]),
    "CosineAnnealingLR": lambda o: S.CosineAnnealingLR(o, T_max=10),
    "LinearLR": lambda o: S.LinearLR(o, start_factor=0.5, total_iters=4),
}
for name, make in CLOSED_FORM.items():
    disturbed, undisturbed, _ = disturbed_and_not(make)
    assert math.isclose(disturbed, undisturbed), name
for name, make in RECURSIVE.items():
    disturbed, undisturbed, replaced = disturbed_and_not(make)
    assert math.isclose(disturbed, undisturbed * 0.01 / replaced), name

# A rate given to the new optimizer does not survive loading the old one's state.
saved = torch.optim.SGD([torch.nn.Parameter(torch.zeros(1))], lr=0.1).state_dict()
resumed = torch.optim.SGD([torch.nn.Parameter(torch.zeros(1))], lr=0.01)
resumed.load_state_dict(saved)
assert resumed.param_groups[0]["lr"] == 0.1
