"""Five schedules, one small model, five runs each: final training loss with spread."""

import math

import matplotlib.pyplot as plt
import torch
from torch import nn
from torch.optim import lr_scheduler

torch.set_num_threads(1)  # a tiny model: more threads only add overhead
STEPS, BATCH, PEAK, SEEDS = 300, 32, 0.1, 5


def wsd(step: int) -> float:  # warmup 5%, stable, linear decay in the last 20%
    warmup, decay = STEPS // 20, STEPS // 5
    if step < warmup:
        return (step + 1) / warmup
    return min(1.0, (STEPS - step) / decay)


SCHEDULES = {  # every one peaks at the same rate, PEAK, and is stepped per batch
    "constant": lambda opt: lr_scheduler.ConstantLR(opt, factor=1.0),
    "step decay": lambda opt: lr_scheduler.MultiStepLR(opt, [150, 225], gamma=0.1),
    "warmup + cosine": lambda opt: lr_scheduler.SequentialLR(
        opt,
        [
            lr_scheduler.LinearLR(opt, start_factor=0.1, total_iters=20),
            lr_scheduler.CosineAnnealingLR(opt, T_max=STEPS - 20),
        ],
        milestones=[20],
    ),
    "one-cycle": lambda opt: lr_scheduler.OneCycleLR(
        opt, max_lr=PEAK, total_steps=STEPS
    ),
    "warmup-stable-decay": lambda opt: lr_scheduler.LambdaLR(opt, wsd),
}


# %% The data, the five-seed ensemble, and the runs
# Synthetic 4-class data labelled by a random "teacher" network, 10% labels flipped.
torch.manual_seed(0)
X = torch.randn(1024, 10)
teacher = nn.Sequential(nn.Linear(10, 16), nn.Tanh(), nn.Linear(16, 4))
with torch.no_grad():
    y = teacher(X).argmax(dim=1)
flip = torch.rand(len(y)) < 0.1
y[flip] = torch.randint(0, 4, (int(flip.sum()),))


def init(*shape: int, fan_in: int) -> nn.Parameter:  # nn.Linear's default init
    bound = 1 / math.sqrt(fan_in)
    return nn.Parameter(torch.empty(*shape).uniform_(-bound, bound))


def train(make_scheduler) -> tuple[torch.Tensor, list[float]]:
    """Train SEEDS independent 10-32-4 MLPs side by side: copy s has its own weights
    and batches; its loss depends only on its own weights, so each copy's gradient
    and SGD update are exactly those of a separate run."""
    torch.manual_seed(1)  # the same initial weights and batches for every schedule
    w1, b1 = init(SEEDS, 10, 32, fan_in=10), init(SEEDS, 1, 32, fan_in=10)
    w2, b2 = init(SEEDS, 32, 4, fan_in=32), init(SEEDS, 1, 4, fan_in=32)
    optimizer = torch.optim.SGD([w1, b1, w2, b2], lr=PEAK, momentum=0.9)
    scheduler = make_scheduler(optimizer)

    def losses(xs: torch.Tensor, ys: torch.Tensor) -> torch.Tensor:
        logits = torch.baddbmm(b2, torch.relu(torch.baddbmm(b1, xs, w1)), w2)
        per_sample = nn.functional.cross_entropy(
            logits.flatten(0, 1), ys.flatten(), reduction="none"
        )
        return per_sample.view(SEEDS, -1).mean(dim=1)  # one loss per copy

    lrs = []
    for _step in range(STEPS):
        lrs.append(scheduler.get_last_lr()[0])
        batch = torch.randint(0, len(X), (SEEDS, BATCH))
        optimizer.zero_grad()
        losses(X[batch], y[batch]).sum().backward()
        optimizer.step()
        scheduler.step()
    with torch.no_grad():  # each copy's loss on the whole training set
        return losses(X.expand(SEEDS, -1, -1), y.expand(SEEDS, -1)), lrs


results, rates = {}, {}
for name, make_scheduler in SCHEDULES.items():
    results[name], rates[name] = train(make_scheduler)
for name, final in results.items():
    print(
        f"{name:>20}: {final.mean():.3f} ± {final.std():.3f}  (runs: "
        + " ".join(f"{v:.3f}" for v in final)
        + ")"
    )

# %% Checks and figures
assert all(torch.isfinite(final).all() for final in results.values())

# The numbers the page quotes: the constant rate, the best and the worst of the
# schedules that decay, and how far apart the decaying schedules' means are.
means = {name: final.mean().item() for name, final in results.items()}
stds = {name: final.std().item() for name, final in results.items()}
decaying = [name for name in results if name != "constant"]
best, worst = min(decaying, key=means.get), max(decaying, key=means.get)
constant_mean, constant_std = means["constant"], stds["constant"]
best_mean, best_std = means[best], stds[best]
worst_mean, worst_std = means[worst], stds[worst]
decaying_gap = worst_mean - best_mean
decaying_std_max = max(stds[name] for name in decaying)
print(
    f"decaying schedules: means {decaying_gap:.3f} apart, std up to "
    f"{decaying_std_max:.3f}"
)
# What the page claims: every decaying schedule beats the constant rate, with less
# spread; the constant rate's spread is by far the widest (over twice any other);
# the decaying schedules' means are less than 0.02 apart, not much more than their
# standard deviations (under twice the largest).
assert all(constant_mean > means[name] for name in decaying)
assert all(constant_std > 2 * stds[name] for name in decaying)
assert decaying_gap < 0.02 and decaying_gap < 2 * decaying_std_max

fig, ax = plt.subplots()
for name, lrs in rates.items():
    style = "--" if name == "constant" else "-"  # dashed: visible under the others
    ax.plot(lrs, style, label=name, zorder=3 if name == "constant" else 2)
ax.set(xlabel="step", ylabel="learning rate", title="The five schedules compared")
ax.set_ylim(top=0.14)  # room for the legend, above the peak rate
ax.legend(loc="upper center", ncols=3)

fig, ax = plt.subplots()
for i, final in enumerate(results.values()):
    ax.scatter([i + 0.12] * SEEDS, final, color="C1", s=14, zorder=3)
    ax.errorbar(i, final.mean(), yerr=final.std(), fmt="o", color="C0", capsize=6)
ax.scatter([], [], color="C1", s=14, label="one run")
ax.errorbar([], [], yerr=[], fmt="o", color="C0", capsize=6, label="mean ± std")
ax.set_xticks(range(len(results)), list(results), rotation=12)
ax.set(
    xlabel=f"schedule ({STEPS} steps of batch {BATCH}, peak lr {PEAK})",
    ylabel="final training loss (cross-entropy)",
    title=f"Final loss of {SEEDS} runs per schedule, same model and data",
)
ax.legend()
plt.show()
