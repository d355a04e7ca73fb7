"""Wrong: a checkpoint without the scheduler's state."""

import torch


def make():
    model = torch.nn.Linear(2, 1)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=8)
    return model, optimizer, scheduler


def run(optimizer, scheduler, epochs):
    lrs = []
    for _epoch in range(epochs):
        lrs.append(optimizer.param_groups[0]["lr"])
        optimizer.step()  # stands for an epoch of training
        scheduler.step()
    return lrs


model, optimizer, scheduler = make()
straight = run(optimizer, scheduler, 8)  # the run without a break

model, optimizer, scheduler = make()
first = run(optimizer, scheduler, 4)
checkpoint = {"model": model.state_dict(), "optimizer": optimizer.state_dict()}

model, optimizer, scheduler = make()  # resume: the scheduler starts from scratch
model.load_state_dict(checkpoint["model"])
optimizer.load_state_dict(checkpoint["optimizer"])
second = run(optimizer, scheduler, 4)

print("epoch   without a break   resumed")
for epoch, (a, b) in enumerate(zip(straight, first + second, strict=True)):
    note = "   <- differs" if abs(a - b) > 1e-12 else ""
    print(f"{epoch:5d}   {a:15.4f}   {b:7.4f}{note}")

resumed_from = second[0]  # the rate the optimizer's state held: the curve restarts
planned_end, resumed_end = straight[-3:], second[-3:]  # the last three epochs
end_ratio = resumed_end[-1] / planned_end[-1]
print(
    f"last epoch: {resumed_end[-1]:.4f} instead of {planned_end[-1]:.4f},"
    f" {end_ratio:.1f} times the planned rate"
)

# %% Checks
# What the page claims: the fresh scheduler starts over from the stored rate, every
# one of the last three epochs runs above the plan, and the run ends at about nine
# times the planned rate, never reaching the schedule's small final steps.
assert resumed_from == straight[4] and second[1] < resumed_from
assert all(r > p for r, p in zip(resumed_end, planned_end, strict=True))
assert 8.5 < end_ratio < 9.5 and min(second) > max(planned_end)
