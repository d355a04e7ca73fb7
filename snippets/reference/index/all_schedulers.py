"""Every PyTorch scheduler on one grid: the lr for 40 calls of scheduler.step()."""

import matplotlib.pyplot as plt
import torch
from torch.optim import lr_scheduler as sched
from torch.optim.swa_utils import SWALR

STEPS = 40
# A plateauing validation loss for ReduceLROnPlateau: it improves, then stalls.
PLATEAU = [1.0 / (t + 1) if t < 8 else 0.12 + 0.01 * (t % 2) for t in range(STEPS)]


def lr_curve(make_scheduler) -> list[float]:
    w = torch.nn.Parameter(torch.tensor([3.0]))
    optimizer = torch.optim.SGD([w], lr=0.1, momentum=0.9)
    scheduler = make_scheduler(optimizer)
    lrs = []
    for t in range(STEPS):
        lrs.append(optimizer.param_groups[0]["lr"])
        optimizer.zero_grad()
        (w**2).sum().backward()  # a stand-in for one epoch (or batch) of training
        optimizer.step()
        if isinstance(scheduler, sched.ReduceLROnPlateau):
            scheduler.step(PLATEAU[t])  # it needs the metric it watches
        else:
            scheduler.step()
    return lrs


# %% Every scheduler, with the settings its title on the figure names
SCHEDULERS = {
    "LambdaLR\nlambda t: 0.95 ** t": lambda o: sched.LambdaLR(o, lambda t: 0.95**t),
    "MultiplicativeLR\nlambda t: 0.9 if t > 10 else 1": lambda o: (
        sched.MultiplicativeLR(o, lambda t: 0.9 if t > 10 else 1.0)
    ),
    "StepLR\nstep_size=10, gamma=0.5": lambda o: sched.StepLR(o, 10, gamma=0.5),
    "MultiStepLR\nmilestones=[20, 30]": lambda o: sched.MultiStepLR(o, [20, 30]),
    "ConstantLR\nfactor=1/3, total_iters=5": lambda o: sched.ConstantLR(o),
    "LinearLR\nstart_factor=0.1, total_iters=10": lambda o: sched.LinearLR(
        o, start_factor=0.1, total_iters=10
    ),
    "ExponentialLR\ngamma=0.9": lambda o: sched.ExponentialLR(o, gamma=0.9),
    "PolynomialLR\ntotal_iters=30, power=2": lambda o: sched.PolynomialLR(
        o, total_iters=30, power=2.0
    ),
    "CosineAnnealingLR\nT_max=40": lambda o: sched.CosineAnnealingLR(o, T_max=40),
    "ChainedScheduler\nLinearLR(0.1, 10)\nx ExponentialLR(0.95)": lambda o: (
        sched.ChainedScheduler(
            [sched.LinearLR(o, 0.1, total_iters=10), sched.ExponentialLR(o, 0.95)]
        )
    ),
    "SequentialLR\nLinearLR(0.1, 5),\nthen CosineAnnealingLR(35)": lambda o: (
        sched.SequentialLR(
            o,
            [sched.LinearLR(o, 0.1, total_iters=5), sched.CosineAnnealingLR(o, 35)],
            milestones=[5],
        )
    ),
    "ReduceLROnPlateau\nfactor=0.5, patience=5": lambda o: sched.ReduceLROnPlateau(
        o, factor=0.5, patience=5
    ),
    "CyclicLR (per batch)\n0.01 to 0.1, step_size_up=10": lambda o: sched.CyclicLR(
        o, base_lr=0.01, max_lr=0.1, step_size_up=10
    ),
    "OneCycleLR (per batch)\nmax_lr=0.1, total_steps=40": lambda o: sched.OneCycleLR(
        o, max_lr=0.1, total_steps=STEPS
    ),
    "CosineAnnealingWarmRestarts\nT_0=5, T_mult=2": lambda o: (
        sched.CosineAnnealingWarmRestarts(o, T_0=5, T_mult=2)
    ),
    "SWALR\nswa_lr=0.02, anneal_epochs=10": lambda o: SWALR(
        o, swa_lr=0.02, anneal_epochs=10
    ),
}

curves = {}  # the first line of each title -> its lr per step
for name, make in SCHEDULERS.items():
    lrs = curves[name.splitlines()[0]] = lr_curve(make)
    print(f"{name.splitlines()[0]:28} first {lrs[0]:.4f}  last {lrs[-1]:.2e}")


# %% Checks and figure
def rises(lrs: list[float]) -> int:
    return sum(b > a + 1e-12 for a, b in zip(lrs, lrs[1:], strict=False))


# What the page claims, the shapes to read the panels by: staircases of a few
# constant steps, smooth decays that never rise, warmups that end higher than they
# start, cycles that rise again after falling, a plateau rate that is cut only after
# the loss stalls, and SWA's constant tail.
assert len(set(curves["StepLR"])) == 4 and len(set(curves["MultiStepLR"])) == 3
for name in ("ExponentialLR", "PolynomialLR", "CosineAnnealingLR"):
    assert rises(curves[name]) == 0 and curves[name][-1] < curves[name][0] / 10
for name in ("ConstantLR", "LinearLR"):
    assert curves[name][-1] > curves[name][0]
for name in ("CyclicLR (per batch)", "CosineAnnealingWarmRestarts"):
    assert rises(curves[name]) > 0 and min(curves[name]) < max(curves[name]) / 2
plateau = curves["ReduceLROnPlateau"]
assert plateau[:9] == [0.1] * 9 and plateau[-1] < 0.1
assert curves["SWALR"][-10:] == [curves["SWALR"][-1]] * 10

# Two columns, eight rows: drawn for the page's column, with text as large as a
# single figure's, not a wide grid shrunk into it.
fig, axes = plt.subplots(8, 2, figsize=(7, 17), sharex=True, layout="constrained")
for ax, name in zip(axes.flat, SCHEDULERS, strict=True):
    ax.plot(range(STEPS), curves[name.splitlines()[0]], drawstyle="steps-post")
    ax.set_title(name, fontsize=10)
    ax.set_ylim(bottom=0)
    ax.set_ylabel("learning rate")
for ax in axes[-1]:
    ax.set_xlabel("step")
fig.suptitle("PyTorch's LR schedulers, lr=0.1 (SGD with momentum)")
plt.show()
