"""The common schedule shapes, each drawn by stepping a real PyTorch scheduler."""

import matplotlib.pyplot as plt
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

fig, axes = plt.subplots(2, 3, figsize=(11, 6), layout="constrained")
for ax, (name, make) in zip(axes.flat, SHAPES.items(), strict=True):
    rates = shape(make)
    title, call = name.split(": ")
    print(
        f"{title:<16} first {rates[0]:.4f}  max {max(rates):.4f}  last {rates[-1]:.2e}"
    )
    ax.plot(range(STEPS), rates)
    ax.set_title(f"{title}\n{call}", fontsize=9.5)
    ax.set_ylim(0, LR * 1.08)
    ax.set(xlabel="step", ylabel="learning rate")
fig.suptitle(f"Common learning-rate schedules, base lr = {LR}")

# Each shape starts or ends where its name says.
rates = {name.split(":")[0]: shape(make) for name, make in SHAPES.items()}
assert rates["Step"][29] == LR and abs(rates["Step"][30] - LR * 0.1) < 1e-12
assert rates["Cosine"][-1] < 1e-3 and rates["Linear warmup"][0] == LR * 0.01
assert rates["One-cycle"][0] < LR / 10 and abs(max(rates["One-cycle"]) - LR) < 1e-9
plt.show()
