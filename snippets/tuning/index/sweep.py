"""A learning-rate sweep you can trust: log-spaced rates, five seeds each, scored on
held-out digits; the best rate, the range within a point of it, the edge, the budget."""

import math

import matplotlib.pyplot as plt
import torch
from sklearn.datasets import load_digits
from torch import nn

torch.set_num_threads(1)  # a tiny model: more threads only add overhead
RATES = [10 ** (k / 3) for k in range(-7, 1)]  # 0.0046 ... 1, three per decade
SEEDS, BATCH = 5, 50
BUDGETS = [1, 4, 12]  # epochs of 20 steps; the headline is the longest
TOLERANCE = 1.0  # "as good as the best": within 1 point of validation error
n_rates = len(RATES)


def in_epochs(n: int) -> str:
    return f"{n} epoch" if n == 1 else f"{n} epochs"


def train(optimizer: torch.optim.Optimizer) -> dict[int, torch.Tensor]:
    """Train every copy for BUDGETS[-1] epochs at a constant rate; return the
    validation error (%) of each (rate, seed) after each budget."""
    errors = {}
    for epoch in range(1, BUDGETS[-1] + 1):
        for xb, yb in batches():  # one shuffled batch per seed
            optimizer.zero_grad()
            loss = losses(xb, yb).sum()  # each copy's own mean loss, summed
            loss.backward()
            optimizer.step()
        if epoch in BUDGETS:
            errors[epoch] = validation_error()
    return errors


# %% The data, and one copy of the network per (rate, seed)
# scikit-learn's 1,797 handwritten digits (8x8 pixels, no download): a fixed split,
# 1,000 images to train on, 797 held out to score every run.
images, labels = load_digits(return_X_y=True)
X = torch.tensor(images / 16.0, dtype=torch.float32)
y = torch.tensor(labels)
order = torch.randperm(len(X), generator=torch.Generator().manual_seed(0))
X_train, y_train = X[order[:1000]], y[order[:1000]]
X_val, y_val = X[order[1000:]], y[order[1000:]]
shuffles = torch.Generator().manual_seed(2)  # seed s: its own order every epoch


def init(*shape: int, fan_in: int) -> torch.Tensor:  # nn.Linear's default init
    bound = 1 / math.sqrt(fan_in)
    return torch.empty(*shape).uniform_(-bound, bound)


# A 64-32-10 MLP, SEEDS copies per rate, all trained as one tensor. Each rate's
# copies are one parameter group with its own lr; copy s of every rate starts from
# the same weights (seed s) and sees the same batches.
torch.manual_seed(1)
start = [init(SEEDS, 64, 32, fan_in=64), init(SEEDS, 1, 32, fan_in=64)]
start += [init(SEEDS, 32, 10, fan_in=32), init(SEEDS, 1, 10, fan_in=32)]
groups = [[w.clone().requires_grad_() for w in start] for _ in RATES]
optimizer = torch.optim.SGD(
    [{"params": g, "lr": lr} for g, lr in zip(groups, RATES, strict=True)],
    momentum=0.9,
    foreach=True,  # one kernel per operation for all groups, not one per tensor
)


def logits(xs: torch.Tensor) -> torch.Tensor:
    """(copies, n, 64) -> (copies, n, 10): every copy's network on its own inputs."""
    w1, b1, w2, b2 = (torch.cat(ws) for ws in zip(*groups, strict=True))
    return torch.baddbmm(b2, torch.relu(torch.baddbmm(b1, xs, w1)), w2)


def batches():
    perm = torch.stack([torch.randperm(1000, generator=shuffles) for _ in range(SEEDS)])
    for idx in perm.split(BATCH, dim=1):  # (SEEDS, BATCH): seed s's batch
        yield X_train[idx].repeat(len(RATES), 1, 1), y_train[idx].repeat(len(RATES), 1)


def losses(xs: torch.Tensor, ys: torch.Tensor) -> torch.Tensor:
    per_sample = nn.functional.cross_entropy(
        logits(xs).flatten(0, 1), ys.flatten(), reduction="none"
    )
    return per_sample.view(len(xs), -1).mean(dim=1)


@torch.no_grad()
def validation_error() -> torch.Tensor:
    wrong = logits(X_val.expand(len(RATES) * SEEDS, -1, -1)).argmax(-1) != y_val
    return 100 * wrong.float().mean(-1).view(len(RATES), SEEDS)


# %% The sweep, and what it says
errors = train(optimizer)


def read(error: torch.Tensor) -> tuple[int, list[int]]:
    """The best rate's index (lowest mean error over seeds) and the indices of the
    rates whose mean is within TOLERANCE of it."""
    mean = error.mean(dim=1)
    best = int(mean.argmin())
    return best, [i for i in range(len(mean)) if mean[i] <= mean[best] + TOLERANCE]


def line_range(mean: list[float], level: float) -> tuple[float, float]:
    """The rates around the best where the sweep's mean error, joined by straight
    lines on a log-rate axis, stays at or under `level`."""
    logs = [math.log10(r) for r in RATES]

    def cross(i: int, j: int) -> float:  # rate i is under the level, rate j over
        t = (level - mean[i]) / (mean[j] - mean[i])
        return 10 ** (logs[i] + t * (logs[j] - logs[i]))

    low = high = min(range(len(mean)), key=mean.__getitem__)
    while low > 0 and mean[low - 1] <= level:
        low -= 1
    while high < len(mean) - 1 and mean[high + 1] <= level:
        high += 1
    first = cross(low, low - 1) if low > 0 else RATES[0]
    return first, cross(high, high + 1) if high < len(mean) - 1 else RATES[-1]


final = errors[BUDGETS[-1]]
best, good = read(final)
best_lr, best_error = RATES[best], final[best].mean().item()
best_std = final[best].std().item()
good_low, good_high = RATES[good[0]], RATES[good[-1]]
good_factor = good_high / good_low
# Between the grid's rates, read along the line: where it crosses best + TOLERANCE.
line_low, line_high = line_range(final.mean(dim=1).tolist(), best_error + TOLERANCE)
line_factor = line_high / line_low
contiguous = good == list(range(good[0], good[-1] + 1))
cliff = good[-1] + 1  # one grid step above the good range
cliff_error, cliff_std = final[cliff].mean().item(), final[cliff].std().item()
runner_up = sorted(final.mean(dim=1).tolist())[1]  # the second-best rate's mean
tie_gap = runner_up - best_error
print(f"{BUDGETS[-1]} epochs: best lr {best_lr:.3g}, validation error", end=" ")
print(f"{best_error:.2f}% ± {best_std:.2f} over {SEEDS} seeds")
print(f"within {TOLERANCE:g} point of it: lr {good_low:.3g} to {good_high:.3g}")
print(f"along the line between them: lr {line_low:.2g} to {line_high:.2g}")

# The boundary check: had the sweep stopped at 0.022, its best would sit at its edge.
NARROW = 3  # the first three rates, 0.0046 ... 0.022
narrow_best, _ = read(final[:NARROW])
narrow_lr, narrow_error = RATES[NARROW - 1], final[NARROW - 1].mean().item()
narrow_cost = narrow_error - best_error
print(f"a sweep up to {narrow_lr:.3g} only: its best is its edge,", end=" ")
print(f"{narrow_error:.2f}%, {narrow_cost:.2f} points worse than the full sweep's")

best_by_budget, low_by_budget, error_by_budget = [], [], []
for epochs in BUDGETS:
    b, g = read(errors[epochs])
    best_by_budget.append(RATES[b])
    low_by_budget.append(RATES[g[0]])
    error_by_budget.append(errors[epochs][b].mean().item())
    print(f"{in_epochs(epochs):>9}: best lr {RATES[b]:.3g}", end=" ")
    print(f"({error_by_budget[-1]:.2f}%), good from {RATES[g[0]]:.3g}")
budget_spread = max(best_by_budget) / min(best_by_budget)

# %% Checks and figures
# What the page claims. The curve is a valley on a log axis: the smallest rate and
# the largest are both far worse than the best, which is inside the sweep. The
# good range is one unbroken stretch of at least two rates, and the runner-up is
# closer to the best than the best's own spread over seeds. One step above the
# good range the error rises past the tolerance and its spread over seeds is wider
# than the best's.
# Stopped at 0.022, the sweep's best is its last rate, more than the tolerance
# worse than the full sweep's. With more epochs, the best rate moves by at most a
# factor of 4.7 (two grid steps) while the good range reaches down to smaller rates
# and the best error falls; the shortest budget's best is above the longest's good
# range.
assert 0 < best < len(RATES) - 1
assert final[0].mean() > best_error + 10 and final[-1].mean() > best_error + 10
assert contiguous and len(good) >= 2 and good_factor >= 1.7
assert tie_gap < best_std  # the runner-up is within the best's spread over seeds
assert cliff_error > best_error + TOLERANCE and cliff_std > best_std
assert cliff == len(RATES) - 2  # and one more step is the last rate, which fails
assert narrow_best == NARROW - 1 and narrow_cost > TOLERANCE
assert budget_spread <= 4.7
assert low_by_budget[-1] < low_by_budget[0]
assert best_by_budget[0] > good_high  # the shortest budget's best: too high
assert error_by_budget[0] > error_by_budget[1] > error_by_budget[2]

fig, ax = plt.subplots()
mean, std = final.mean(dim=1), final.std(dim=1)
ax.axvspan(line_low, line_high, color="C2", alpha=0.15, label="within 1 point")
ax.fill_between(RATES, mean - std, mean + std, color="C0", alpha=0.25, lw=0)
ax.plot(RATES, mean, "o-", color="C0", label=f"mean ± std of {SEEDS} seeds")
ax.axvline(
    narrow_lr, 0.4, 1, color="C1", linestyle="--", label="a sweep that stops here"
)
ax.set_xscale("log")
ax.set_yscale("log")
ax.set_ylim(1, 100)  # room for the legend below the curve
ax.set_yticks([1, 2, 5, 10, 20, 50, 100], ["1", "2", "5", "10", "20", "50", "100"])
ax.tick_params(axis="y", which="minor", labelleft=False)
ax.set(
    xlabel="learning rate (log scale; SGD, momentum 0.9)",
    ylabel="validation error, % (log scale)",
    title=f"Digits, 64-32-10 MLP, {BUDGETS[-1]} epochs at a constant rate",
)
ax.legend(loc="lower left")

fig2, ax2 = plt.subplots()
for epochs, color in zip(BUDGETS, ["C1", "C2", "C0"], strict=True):
    mean = errors[epochs].mean(dim=1)
    ax2.plot(RATES, mean, "o-", color=color, label=in_epochs(epochs), markersize=4)
    b = int(mean.argmin())
    ax2.plot(RATES[b], mean[b], "*", color=color, markersize=16)
ax2.set_xscale("log")
ax2.set_yscale("log")
ax2.set_ylim(1, 100)
ax2.set_yticks([1, 2, 5, 10, 20, 50, 100], ["1", "2", "5", "10", "20", "50", "100"])
ax2.tick_params(axis="y", which="minor", labelleft=False)
ax2.set(
    xlabel="learning rate (log scale)",
    ylabel="validation error, % (log scale)",
    title="Three budgets: the best rate (star) and the curve below it",
)
ax2.legend(loc="lower left", title=f"mean of {SEEDS} seeds")
plt.show()
