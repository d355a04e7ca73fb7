"""timm's schedulers as plain PyTorch schedulers, stepped the way timm's train.py
steps them: `step(epoch + 1)` at the end of each epoch, `step_update(num_updates)`
after each optimizer update. The rates match timm's own (tests/test_frameworks.py)."""

import bisect
import math

import matplotlib.pyplot as plt
import torch

lr, lr_min = 0.1, 0.0
epochs, updates_per_epoch = 6, 4
updates = epochs * updates_per_epoch


def warmup_then(f, warmup_t: int, warmup_lr_init: float = 0.0, prefix=False):
    """timm's linear warmup from warmup_lr_init (0 by default: step 0 trains at 0),
    then `f(t)`; with warmup_prefix=True, f's clock starts after the warmup."""

    def factor(t: int) -> float:
        if t < warmup_t:
            return (warmup_lr_init + t * (lr - warmup_lr_init) / warmup_t) / lr
        return f(t - warmup_t if prefix else t)

    return factor


def cosine(t_initial: int, cycle_limit=1, cycle_decay=1.0):
    """CosineLRScheduler's curve (cycle_mul=1): from lr to lr_min in t_initial."""

    def f(t: int) -> float:
        cycle, t_curr = divmod(t, t_initial)
        if cycle >= cycle_limit:
            return lr_min / lr
        peak = lr * cycle_decay**cycle
        return (
            lr_min
            + 0.5 * (peak - lr_min) * (1 + math.cos(math.pi * t_curr / t_initial))
        ) / lr

    return f


def wsd(t_initial: int, decay_t: int):
    """WSDLRScheduler's defaults: constant, then 1 - sqrt decay over decay_t."""

    def f(t_s: int) -> float:  # t_s counts from the end of warmup
        t_decay = t_s - (t_initial - decay_t)
        if t_decay <= 0:
            return 1.0
        return (
            lr_min + (lr - lr_min) * (1 - math.sqrt(min(t_decay / decay_t, 1)))
        ) / lr

    return f


def multistep(decay_t: list[int], decay_rate: float):
    """MultiStepLRScheduler counts the milestones up to t + 1, not up to t."""
    return lambda t: decay_rate ** bisect.bisect_right(decay_t, t + 1)


def train(make_scheduler, per_update: bool) -> list[float]:
    """The rate of every update, in timm's loop: t counts epochs (t_in_epochs=True,
    the default) or updates (t_in_epochs=False)."""
    optimizer = torch.optim.SGD([torch.nn.Parameter(torch.zeros(1))], lr=lr)
    scheduler = make_scheduler(optimizer)
    used = []
    for _epoch in range(epochs):
        for _ in range(updates_per_epoch):
            used.append(optimizer.param_groups[0]["lr"])
            optimizer.step()
            if per_update:
                scheduler.step()  # timm: scheduler.step_update(num_updates)
        if not per_update:
            scheduler.step()  # timm: scheduler.step(epoch + 1)
    return used


def lambda_lr(factor):
    return lambda optimizer: torch.optim.lr_scheduler.LambdaLR(optimizer, factor)


W = updates_per_epoch  # one epoch of warmup, counted in updates
runs = {  # timm's call: (the torch scheduler, stepped per update?)
    "CosineLRScheduler(t_initial=6, warmup_t=1)": (
        lambda_lr(warmup_then(cosine(epochs), 1)),
        False,
    ),
    "CosineLRScheduler(t_initial=24, warmup_t=4, t_in_epochs=False)": (
        lambda_lr(warmup_then(cosine(updates), W)),
        True,
    ),
    "CosineLRScheduler(t_initial=20, warmup_t=4, warmup_prefix=True,"
    " t_in_epochs=False)": (
        lambda_lr(warmup_then(cosine(updates - W), W, prefix=True)),
        True,
    ),
    "CosineLRScheduler(t_initial=12, cycle_limit=2, cycle_decay=0.5,"
    " t_in_epochs=False)": (
        lambda_lr(cosine(updates // 2, cycle_limit=2, cycle_decay=0.5)),
        True,
    ),
    "WSDLRScheduler(t_initial=20, decay_t=8, warmup_t=4, t_in_epochs=False)": (
        lambda_lr(warmup_then(wsd(updates - W, 8), W, prefix=True)),
        True,
    ),
    "StepLRScheduler(decay_t=3, decay_rate=0.5)": (
        lambda optimizer: torch.optim.lr_scheduler.StepLR(optimizer, 3, gamma=0.5),
        False,
    ),
    "MultiStepLRScheduler(decay_t=[2, 4], decay_rate=0.5)": (
        lambda_lr(multistep([2, 4], 0.5)),
        False,
    ),
    "PolyLRScheduler(t_initial=6)": (  # power=0.5 by default
        lambda o: torch.optim.lr_scheduler.PolynomialLR(o, epochs, power=0.5),
        False,
    ),
}
scheduler_calls = list(runs)
rates = [train(*runs[name]) for name in scheduler_calls]
rate = dict(zip(scheduler_calls, rates, strict=True))
# torch's own MultiStepLR with the same milestones, for comparison
torch_multistep = train(
    lambda o: torch.optim.lr_scheduler.MultiStepLR(o, [2, 4], gamma=0.5), False
)
per_epoch, per_update, prefixed = rates[:3]
for name, r in zip(scheduler_calls, rates, strict=True):
    print(name)
    print("   ", " ".join(f"{x:.3f}" for x in r[::2]), "(every 2nd update)")
prefixed_peak = max(prefixed)
overlapped_peak = max(per_update)
first_epoch_rates = per_epoch[:updates_per_epoch]
multistep_epochs = rate[scheduler_calls[6]][::updates_per_epoch]
torch_multistep_epochs = torch_multistep[::updates_per_epoch]

# %% Checks and figure
assert per_update[0] == 0.0 == per_epoch[0]  # warmup_lr_init=0: update 0 at rate 0
assert first_epoch_rates == [0.0] * updates_per_epoch  # per epoch: a whole epoch
assert len(set(per_epoch)) == epochs  # a staircase: one rate per epoch
assert prefixed_peak == lr  # with warmup_prefix the cosine starts at the peak
assert overlapped_peak < lr  # without, the warmup eats the top of the cosine
assert multistep_epochs == [lr, lr / 2, lr / 2, lr / 4, lr / 4, lr / 4]
assert torch_multistep_epochs == [lr, lr, lr / 2, lr / 2, lr / 4, lr / 4]

names = [  # (run, its label) in the order of scheduler_calls
    "cosine, t_in_epochs=True",
    "cosine, t_in_epochs=False",
    "cosine, warmup_prefix=True",
    "cosine, 2 cycles",
    "WSD",
    "StepLRScheduler",
    "MultiStepLRScheduler",
    "PolyLRScheduler",
]
lines = dict(zip(names, (rate[name] for name in scheduler_calls), strict=True))
lines["torch MultiStepLR"] = torch_multistep
panels = {  # at most three lines a panel
    "cosine, per epoch or per update": names[:3],
    "cosine with restarts, and WSD": names[3:5],
    "MultiStep: timm's and torch's": ["MultiStepLRScheduler", "torch MultiStepLR"],
    "per-epoch decays": ["StepLRScheduler", "PolyLRScheduler"],
}
fig, axes = plt.subplots(len(panels), 1, figsize=(7, 12.4), layout="constrained")
for ax, (title, labels) in zip(axes, panels.items(), strict=True):
    for label in labels:
        dashed = "--" if label.startswith("torch") else "-"
        ax.step(
            range(updates), lines[label], where="post", linestyle=dashed, label=label
        )
    for epoch in range(1, epochs):
        ax.axvline(
            epoch * updates_per_epoch, color="grey", linewidth=0.5, linestyle=":"
        )
    ax.set(
        xlabel=f"update ({updates_per_epoch} per epoch)",
        ylabel="learning rate",
        title=title,
    )
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.3), ncols=3)
fig.suptitle("timm's schedulers, stepped as in timm's train.py")
plt.show()
