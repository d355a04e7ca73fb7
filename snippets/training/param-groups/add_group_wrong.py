"""Wrong: optimizer.add_param_group() after the scheduler was built. The scheduler
knows one base rate per group it saw: depending on the scheduler, the new group
raises at the next step, or is scheduled from whatever rate it was given."""

import torch
from torch.optim import lr_scheduler


def unfreeze_later(make):
    backbone, head = torch.nn.Linear(4, 4), torch.nn.Linear(4, 1)
    optimizer = torch.optim.SGD(head.parameters(), lr=0.1)
    scheduler = make(optimizer)
    optimizer.step()
    scheduler.step()
    optimizer.add_param_group({"params": backbone.parameters(), "lr": 0.01})
    optimizer.step()
    scheduler.step()  # the first step() that sees the new group
    return [group["lr"] for group in optimizer.param_groups]


for name, make in {
    "LambdaLR": lambda o: lr_scheduler.LambdaLR(o, lambda epoch: 0.5**epoch),
    "OneCycleLR": lambda o: lr_scheduler.OneCycleLR(o, max_lr=0.1, total_steps=10),
}.items():
    try:
        unfreeze_later(make)
    except (ValueError, KeyError) as error:
        print(f"{name}: {type(error).__name__}: {error}")
        if name == "LambdaLR":
            lambda_error = f"{type(error).__name__}: {error}"
        else:
            onecycle_error = f"{type(error).__name__}: {error}"
step_rates = unfreeze_later(lambda o: lr_scheduler.StepLR(o, step_size=1, gamma=0.5))
print("StepLR: no error; rates after the step:", step_rates)

# %% Checks
assert lambda_error == "ValueError: zip() argument 2 is shorter than argument 1"
assert onecycle_error == "KeyError: 'initial_lr'"
assert step_rates == [0.025, 0.005]  # the new group halved from its own 0.01
# ReduceLROnPlateau reduces the new group too (with one min_lr, as by default).
optimizer = torch.optim.SGD([torch.nn.Parameter(torch.zeros(1))], lr=0.1)
plateau = lr_scheduler.ReduceLROnPlateau(optimizer, patience=0, factor=0.5)
plateau.step(1.0)
optimizer.add_param_group({"params": [torch.nn.Parameter(torch.zeros(1))], "lr": 0.01})
plateau.step(1.0)  # no improvement: a cut, in every group
assert [group["lr"] for group in optimizer.param_groups] == [0.05, 0.005]
# With one min_lr per group, a list, it raises instead.
optimizer = torch.optim.SGD([torch.nn.Parameter(torch.zeros(1))], lr=0.1)
plateau = lr_scheduler.ReduceLROnPlateau(optimizer, patience=0, min_lr=[0.0])
plateau.step(1.0)
optimizer.add_param_group({"params": [torch.nn.Parameter(torch.zeros(1))], "lr": 0.01})
try:
    plateau.step(1.0)
    raise AssertionError("no error")
except RuntimeError as error:
    assert "differs from when `ReduceLROnPlateau` was initialized" in str(error)
