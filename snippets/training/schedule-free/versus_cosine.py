"""Schedule-free AdamW against AdamW with warmup and cosine: the same problem, steps
and seeds, four peak rates for each; then the loss along the way."""

import math

import matplotlib.pyplot as plt
import schedulefree
import torch
from torch import nn
from torch.optim import lr_scheduler

torch.set_num_threads(1)  # a tiny model: more threads only add overhead
STEPS, BATCH, SEEDS, WARMUP, EVERY = 300, 32, 5, 20, 25
RATES = [0.05, 0.1, 0.2, 0.4]  # peak rates, the same four for both methods
SHORTER = [100, 200]  # cosine runs planned for fewer steps, to compare along the way

# The site's comparison problem: 4 classes labelled by a random teacher, 10% flipped.
torch.manual_seed(0)
X = torch.randn(1024, 10)
teacher = nn.Sequential(nn.Linear(10, 16), nn.Tanh(), nn.Linear(16, 4))
with torch.no_grad():
    y = teacher(X).argmax(dim=1)
flip = torch.rand(len(y)) < 0.1
y[flip] = torch.randint(0, 4, (int(flip.sum()),))


def init(*shape: int, fan_in: int) -> torch.Tensor:  # nn.Linear's default init
    bound = 1 / math.sqrt(fan_in)
    return torch.empty(*shape).uniform_(-bound, bound)


def losses(groups, xs: torch.Tensor, ys: torch.Tensor) -> torch.Tensor:
    """One loss per copy: every group's SEEDS 10-32-4 MLPs, side by side."""
    w1, b1, w2, b2 = (torch.cat(ws) for ws in zip(*groups, strict=True))
    logits = torch.baddbmm(b2, torch.relu(torch.baddbmm(b1, xs, w1)), w2)
    per_sample = nn.functional.cross_entropy(
        logits.flatten(0, 1), ys.flatten(), reduction="none"
    )
    return per_sample.view(len(w1), -1).mean(dim=1)


def warmup_cosine(total: int):
    """Linear warmup, the same as schedule-free's warmup_steps, then cosine to 0."""

    def factor(step: int) -> float:
        if step < WARMUP:
            return (step + 1) / WARMUP
        return 0.5 * (1 + math.cos(math.pi * (step - WARMUP) / (total - WARMUP)))

    return factor


def train(schedule_free: bool, rates: list[float], totals: list[int]):
    """SEEDS runs for each (peak rate, planned length), all side by side, a parameter
    group each. Returns the loss on the whole training set every EVERY steps, shaped
    (evaluation, group, seed); for schedule-free, the loss at x."""
    torch.manual_seed(1)  # the same initial weights and batches for every run
    shapes = [((10, 32), 10), ((1, 32), 10), ((32, 4), 32), ((1, 4), 32)]
    start = [init(SEEDS, *shape, fan_in=fan_in) for shape, fan_in in shapes]
    groups = [[nn.Parameter(w.clone()) for w in start] for _ in rates]
    param_groups = [
        {"params": g, "lr": lr} for g, lr in zip(groups, rates, strict=True)
    ]
    if schedule_free:  # no scheduler: the rate is constant after warmup_steps
        optimizer = schedulefree.AdamWScheduleFree(param_groups, warmup_steps=WARMUP)
    else:  # the same betas as schedule-free, and its default: no weight decay
        # (fused=True: one kernel per group, on CPU too; the fastest here)
        optimizer = torch.optim.AdamW(param_groups, weight_decay=0.0, fused=True)
        factors = [warmup_cosine(total) for total in totals]
        scheduler = lr_scheduler.LambdaLR(optimizer, factors)  # one per group
    copies = len(rates) * SEEDS
    whole = X.expand(copies, -1, -1), y.expand(copies, -1)
    curve = []
    for step in range(max(totals)):
        if schedule_free:
            optimizer.train()  # the weights hold y, where gradients are taken
        batch = torch.randint(0, len(X), (SEEDS, BATCH)).repeat(len(rates), 1)
        optimizer.zero_grad()
        losses(groups, X[batch], y[batch]).sum().backward()
        optimizer.step()
        if not schedule_free:
            scheduler.step()
        if (step + 1) % EVERY == 0:
            if schedule_free:
                optimizer.eval()  # the weights hold x, the average
            with torch.no_grad():
                curve.append(losses(groups, *whole).view(len(rates), SEEDS))
    return torch.stack(curve)


free = train(True, RATES, [STEPS] * len(RATES))
cosine = train(False, RATES, [STEPS] * len(RATES))
free_mean, free_std = free[-1].mean(dim=1), free[-1].std(dim=1)
cosine_mean, cosine_std = cosine[-1].mean(dim=1), cosine[-1].std(dim=1)
print("peak lr   schedule-free    warmup + cosine   (final loss, mean ± std)")
for i, lr in enumerate(RATES):
    print(
        f"{lr:<8}  {free_mean[i]:.3f} ± {free_std[i]:.3f}    "
        f"{cosine_mean[i]:.3f} ± {cosine_std[i]:.3f}"
    )

# Along the way: schedule-free's x at its best rate, against cosine at its best
# rate, planned for all the steps or for fewer.
free_i, cosine_i = int(free_mean.argmin()), int(cosine_mean.argmin())
free_best_lr, cosine_best_lr = RATES[free_i], RATES[cosine_i]
shorter = train(False, [cosine_best_lr] * len(SHORTER), SHORTER)
free_curve, cosine_curve = free[:, free_i], cosine[:, cosine_i]
along = []  # at each shorter length: (schedule-free, cosine planned so, cosine-300)
for i, total in enumerate(SHORTER):
    at = total // EVERY - 1
    along.append((free_curve[at], shorter[at, i], cosine_curve[at]))
    print(
        f"at step {total}: schedule-free {free_curve[at].mean():.3f}, cosine "
        f"planned for {total} steps {shorter[at, i].mean():.3f}, for {STEPS} "
        f"{cosine_curve[at].mean():.3f}"
    )

# %% Checks and figures
free_best, free_best_std = free_mean[free_i].item(), free_std[free_i].item()
cosine_best, cosine_best_std = cosine_mean[cosine_i].item(), cosine_std[cosine_i].item()
best_gap = cosine_best - free_best
best_lr_ratio = free_best_lr / cosine_best_lr
top_lr, top_free, top_cosine = RATES[-1], free_mean[-1].item(), cosine_mean[-1].item()
low_lr, low_free, low_cosine = RATES[0], free_mean[0].item(), cosine_mean[0].item()
(early_free, early_cosine, early_cosine_long), (late_free, late_cosine, _) = [
    [run.mean().item() for run in at] for at in along
]
early_step, late_step = SHORTER

# What the page claims. At the end: schedule-free's best rate is higher and its
# best loss lower (by more than either standard deviation); at the highest rate
# cosine is far worse; at the lowest they tie. Along the way: at each shorter
# length schedule-free's x is as good as the cosine run planned to end there (not
# worse by a standard deviation) and better than the 300-step cosine run; early on
# the 300-step run is far behind both.
assert free_best_lr > cosine_best_lr
assert best_gap > max(free_best_std, cosine_best_std)
assert top_cosine - top_free > 2 * (free_std[-1] + cosine_std[-1])
assert abs(low_free - low_cosine) < free_std[0] + cosine_std[0]
for free_at, planned_at, long_at in along:
    assert free_at.mean() < planned_at.mean() + planned_at.std()
    assert long_at.mean() > free_at.mean() + free_at.std()
spread = along[0][0].std() + along[0][1].std()
assert early_cosine_long > max(early_free, early_cosine) + spread

fig, ax = plt.subplots()
for name, mean, std, shift, marker in [
    ("schedule-free AdamW", free_mean, free_std, 1.04, "o"),
    ("AdamW, warmup + cosine", cosine_mean, cosine_std, 1 / 1.04, "s"),
]:  # shifted a little sideways, so the error bars do not hide each other
    rates = [lr * shift for lr in RATES]
    ax.errorbar(rates, mean, yerr=std, marker=marker, capsize=5, label=name)
ax.set_xscale("log")
ax.set_xticks(RATES, [str(lr) for lr in RATES])
ax.minorticks_off()
ax.set(
    xlabel=f"peak learning rate ({STEPS} steps, the first {WARMUP} a warmup)",
    ylabel="final training loss (mean ± std)",
    title=f"{SEEDS} runs per rate, the same seeds for both methods",
)
ax.legend(loc="upper left")

fig, ax = plt.subplots()
steps = [EVERY * (i + 1) for i in range(len(free_curve))]
ax.plot(steps, free_curve.mean(dim=1), label=f"schedule-free at x, lr {free_best_lr}")
long_label = f"cosine planned for {STEPS} steps, lr {cosine_best_lr}"
ax.plot(steps, cosine_curve.mean(dim=1), "--", label=long_label)
for i, total in enumerate(SHORTER):
    n = total // EVERY
    first = i == 0  # one legend entry for all the shorter runs
    label = f"cosine planned for {' or '.join(map(str, SHORTER))} steps"
    ax.plot(
        steps[:n],
        shorter[:n, i].mean(dim=1),
        ":",
        color="C2",
        label=label if first else None,
    )
    end_label = "where it ends"
    ax.plot(
        total,
        shorter[n - 1, i].mean(),
        "D",
        color="C2",
        label=end_label if first else None,
    )
ax.set(
    xlabel="step",
    ylabel=f"training loss (mean of {SEEDS} runs)",
    title="Stopped at any step: schedule-free against cosine",
)
ax.legend(loc="upper right")
plt.show()
