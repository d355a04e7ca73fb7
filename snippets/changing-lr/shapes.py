"""The common schedule shapes, each drawn by stepping a real PyTorch scheduler."""

import torch
from torch.optim import lr_scheduler

LR, STEPS = 0.1, 100


def shape(make_scheduler) -> list[float]:
    """The rate each of STEPS optimizer steps uses under one scheduler."""
    w = torch.zeros(1, requires_grad=True)
    optimizer = torch.optim.SGD([w], lr=LR)
    scheduler = make_scheduler(optimizer)
    rates = []
    for _ in range(STEPS):
        rates.append(optimizer.param_groups[0]["lr"])  # the rate this step uses
        optimizer.step()  # (a real loop computes a loss and its gradients first)
        scheduler.step()  # after optimizer.step(), never before
    return rates


def warmup_cosine(optimizer):
    warmup = lr_scheduler.LinearLR(optimizer, start_factor=0.01, total_iters=10)
    cosine = lr_scheduler.CosineAnnealingLR(optimizer, T_max=STEPS - 10)
    return lr_scheduler.SequentialLR(optimizer, [warmup, cosine], milestones=[10])


SHAPES = {
    "Step: StepLR(step_size=30, gamma=0.1)": lambda o: lr_scheduler.StepLR(
        o, step_size=30, gamma=0.1
    ),
    "Exponential: ExponentialLR(gamma=0.97)": lambda o: lr_scheduler.ExponentialLR(
        o, gamma=0.97
    ),
    "Cosine: CosineAnnealingLR(T_max=100)": lambda o: lr_scheduler.CosineAnnealingLR(
        o, T_max=STEPS
    ),
    "Linear warmup: LinearLR(0.01, total_iters=10)": lambda o: lr_scheduler.LinearLR(
        o, start_factor=0.01, total_iters=10
    ),
    "Warmup + cosine: SequentialLR": warmup_cosine,
    "One-cycle: OneCycleLR(max_lr=0.1)": lambda o: lr_scheduler.OneCycleLR(
        o, max_lr=LR, total_steps=STEPS
    ),
}

# %% The rates of each shape, values for the page, checks and figure
import matplotlib.pyplot as plt  # noqa: E402

rates = {}
for name, make in SHAPES.items():
    title = name.split(": ")[0]
    rates[title] = r = shape(make)
    print(f"{title:<16} first {r[0]:.4f}  max {max(r):.4f}  last {r[-1]:.2e}")

step_cut, step_last = rates["Step"][30], rates["Step"][-1]
exponential_last, cosine_last = rates["Exponential"][-1], rates["Cosine"][-1]
warmup_first, one_cycle_first = rates["Linear warmup"][0], rates["One-cycle"][0]
one_cycle_last = rates["One-cycle"][-1]

# What the page claims: each shape starts or ends where its name says.
assert rates["Step"][29] == LR and abs(step_cut - LR * 0.1) < 1e-12
cosine = rates["Cosine"]
falls = [cosine[i] - cosine[i + 1] for i in (0, 49, STEPS - 2)]
assert falls[0] < falls[1] > falls[2]  # slowly, then fast, then slowly again
assert cosine_last < 1e-3 and warmup_first == LR * 0.01
assert all(abs(rate - LR) < 1e-12 for rate in rates["Linear warmup"][10:])  # stays
assert abs(one_cycle_first - LR / 25) < 1e-12
assert abs(max(rates["One-cycle"]) - LR) < 1e-9
assert one_cycle_last < one_cycle_first / 1000  # far below the start

# Two columns: drawn for the page's column, with text as large as a single figure's.
fig, axes = plt.subplots(3, 2, figsize=(7, 8), sharex=True, layout="constrained")
for ax, name in zip(axes.flat, SHAPES, strict=True):
    title, call = name.split(": ")
    ax.plot(range(STEPS), rates[title], drawstyle="steps-post")
    ax.set_title(f"{title}\n{call}", fontsize=10)
    ax.set_ylim(0, LR * 1.08)
    ax.set_ylabel("learning rate")
for ax in axes[-1]:
    ax.set_xlabel("step")
fig.suptitle(f"Common learning-rate schedules, base lr = {LR}")
plt.show()
