"""Where the best rate goes when the batch grows: a sweep of rates at three batch
sizes, for SGD with momentum and for Adam, at a fixed number of epochs."""

import math
from itertools import pairwise

import matplotlib.pyplot as plt
import torch
from torch import nn

torch.set_num_threads(1)  # a tiny model: more threads only add overhead
# Every run sees each example EPOCHS times: the bigger the batch, the fewer the steps.
EPOCHS, SEEDS = 3, 5
BATCHES = [8, 32, 128]
RATES = {  # log grids, each rate twice the one before
    "SGD": [2.0**k for k in range(-7, 1)],  # 0.0078 ... 1
    "Adam": [2.0**k for k in range(-9, -1)],  # 0.002 ... 0.25
}

# Synthetic 4-class data labelled by a random "teacher" network, 10% labels flipped.
torch.manual_seed(0)
X = torch.randn(1024, 10)
teacher = nn.Sequential(nn.Linear(10, 16), nn.Tanh(), nn.Linear(16, 4))
with torch.no_grad():
    y = teacher(X).argmax(dim=1)
flip = torch.rand(len(y)) < 0.1
y[flip] = torch.randint(0, 4, (int(flip.sum()),))
examples = EPOCHS * len(X)  # what every run sees, whatever its batch size
steps = [examples // batch for batch in BATCHES]
sgd_grid, adam_grid = RATES["SGD"], RATES["Adam"]


def init(*shape: int, fan_in: int) -> torch.Tensor:  # nn.Linear's default init
    bound = 1 / math.sqrt(fan_in)
    return torch.empty(*shape).uniform_(-bound, bound)


# Seed s: its initial weights and its order of the examples in every epoch. All runs
# of seed s share them, whatever the rate, batch size or optimizer: the comparison
# sees only what changed. A run's weights live in one flat vector, cut into the
# layers of a 10-32-4 MLP (w1, b1, w2, b2).
SHAPES = [(10, 32), (1, 32), (32, 4), (1, 4)]
torch.manual_seed(1)
START = torch.cat(
    [
        init(SEEDS, *shape, fan_in=fan_in).flatten(1)
        for shape, fan_in in zip(SHAPES, [10, 10, 32, 32], strict=True)
    ],
    dim=1,
)
ORDER = torch.rand(EPOCHS, SEEDS, len(X)).argsort(dim=2)


def layers(flat: torch.Tensor) -> list[torch.Tensor]:
    """(copies, 484) -> w1 (copies, 10, 32), b1, w2, b2: views, no copy."""
    parts = flat.split([math.prod(shape) for shape in SHAPES], dim=1)
    return [part.unflatten(1, shape) for part, shape in zip(parts, SHAPES, strict=True)]


def make_optimizer(name: str, params, lr: float) -> torch.optim.Optimizer:
    if name == "SGD":
        return torch.optim.SGD(params, lr=lr, momentum=0.9)
    return torch.optim.Adam(params, lr=lr)


def losses(flat: torch.Tensor, xs: torch.Tensor, ys: torch.Tensor) -> torch.Tensor:
    """One mean loss per run: every row of `flat` is one run's network."""
    w1, b1, w2, b2 = layers(flat)
    logits = torch.baddbmm(b2, torch.relu(torch.baddbmm(b1, xs, w1)), w2)
    per_sample = nn.functional.cross_entropy(
        logits.flatten(0, 1), ys.flatten(), reduction="none"
    )
    return per_sample.view(len(flat), -1).mean(dim=1)


def sweep(name: str, batch: int) -> torch.Tensor:
    """Final training loss of every (rate, seed), all runs trained side by side: row
    r * SEEDS + s of `flat` is the run with rate r and seed s. The optimizer steps
    with lr=1, then each run's step is scaled by its own rate. An SGD or Adam step
    (without weight decay) is the rate times a direction that does not depend on
    the rate, so that is the step the run's rate takes. A run's loss depends only
    on its own row, and both optimizers treat every weight on its own, so each run
    trains as it would alone (up to rounding)."""
    rates = RATES[name]
    flat = nn.Parameter(START.repeat(len(rates), 1))
    rate = torch.tensor(rates).repeat_interleave(SEEDS)[:, None]  # one per row
    optimizer = make_optimizer(name, [flat], lr=1.0)
    for epoch in range(EPOCHS):
        for start in range(0, len(X), batch):  # len(X) / batch steps per epoch
            idx = ORDER[epoch, :, start : start + batch].repeat(len(rates), 1)
            optimizer.zero_grad()
            losses(flat, X[idx], y[idx]).sum().backward()
            before = flat.detach().clone()
            optimizer.step()
            with torch.no_grad():  # before + rate * (the step at lr=1)
                flat.copy_(torch.lerp(before, flat, rate))
    with torch.no_grad():  # each run's loss on the whole training set
        final = losses(flat, X.expand(len(flat), -1, -1), y.expand(len(flat), -1))
    return final.view(len(rates), SEEDS).nan_to_num(nan=math.inf)  # diverged: inf


def best_rate(rates: list[float], loss: torch.Tensor) -> float:
    """The lowest point of a parabola through the grid's best rate and its two
    neighbours, in log(rate): finer than the grid, and never more than half a grid
    step from the grid's best rate."""
    k = int(loss.argmin())
    assert 0 < k < len(rates) - 1, "the best rate is at the edge of the grid"
    a, b, c = loss[k - 1 : k + 2].tolist()
    return rates[k] * 2 ** (0.5 * (a - c) / (a - 2 * b + c))  # the grid's step is 2


final, mean_loss, best = {}, {}, {}
for name, rates in RATES.items():
    final[name] = [sweep(name, batch) for batch in BATCHES]
    mean_loss[name] = [loss.mean(dim=1) for loss in final[name]]
    best[name] = [best_rate(rates, loss) for loss in mean_loss[name]]
    for batch, loss, lr in zip(BATCHES, mean_loss[name], best[name], strict=True):
        print(f"{name:>4} batch {batch:>3}: best lr {lr:.3g}  loss per rate", end=" ")
        print(" ".join(f"{v:.3g}" for v in loss))  # inf or huge: diverged

# How the best rate grew from the smallest batch to the largest, as a power of the
# batch's growth: 1 is the linear rule, 0.5 the square-root rule.
batch_growth = BATCHES[-1] // BATCHES[0]
sqrt_growth = math.sqrt(batch_growth)  # what the square-root rule predicts
sgd_growth, adam_growth = (best[name][-1] / best[name][0] for name in RATES)
sgd_exponent, adam_exponent = (
    math.log(g) / math.log(batch_growth) for g in (sgd_growth, adam_growth)
)
sgd_best, adam_best = best["SGD"], best["Adam"]
for name, growth, power in [
    ("SGD", sgd_growth, sgd_exponent),
    ("Adam", adam_growth, adam_exponent),
]:
    print(f"batch x{batch_growth}: best {name} lr x{growth:.3g} (power {power:.2f})")

# %% Checks and figures
# What the page claims: SGD's best rate rises with every step up in batch size, by
# more than one grid step (a factor of 2) each time, and over the whole range by a
# power of the batch closer to the linear rule's 1 than to the square root's 0.5.
SGD_POWER, ADAM_POWER, POWER_GAP = (0.8, 1.25), (0.55, 0.9), 0.2  # the page says these
assert all(b > 2 * a for a, b in pairwise(sgd_best))
assert SGD_POWER[0] < sgd_exponent < SGD_POWER[1]
# Adam's rises too, at every step by more than 1.5 times, but over the whole range by
# less than SGD's: a power between the two rules, and at least 0.2 below SGD's.
assert all(b > 1.5 * a for a, b in pairwise(adam_best))
assert ADAM_POWER[0] < adam_exponent < ADAM_POWER[1]
assert adam_exponent < sgd_exponent - POWER_GAP
# At the smallest rate of each grid, the bigger the batch, the higher the loss: the
# same short steps, fewer of them.
assert all(a[0] < b[0] for curves in mean_loss.values() for a, b in pairwise(curves))


# Each run trained as it would alone: one run of each optimizer, retrained as an
# ordinary nn.Sequential with its own optimizer at its own rate, ends at the same
# loss as its row of the sweep.
def train_alone(name: str, batch: int, r: int, s: int) -> float:
    model = nn.Sequential(nn.Linear(10, 32), nn.ReLU(), nn.Linear(32, 4))
    with torch.no_grad():
        for p, t in zip(model.parameters(), layers(START[s : s + 1]), strict=True):
            p.copy_(t[0].T.reshape(p.shape))  # ours are (in, out); nn's (out, in)
    optimizer = make_optimizer(name, model.parameters(), lr=RATES[name][r])
    for epoch in range(EPOCHS):
        for idx in ORDER[epoch, s].split(batch):
            optimizer.zero_grad()
            nn.functional.cross_entropy(model(X[idx]), y[idx]).backward()
            optimizer.step()
    with torch.no_grad():
        return nn.functional.cross_entropy(model(X), y).item()


for name, r, s in [("SGD", 4, 1), ("Adam", 3, 2)]:
    alone_loss = train_alone(name, BATCHES[-1], r, s)
    assert abs(alone_loss - final[name][-1][r, s].item()) < 1e-4, name

fig, axes = plt.subplots(2, 1, figsize=(7, 7.5))
fig.subplots_adjust(top=0.9, bottom=0.16, hspace=0.45)  # fixed: cheaper than a layout
for ax, (name, rates) in zip(axes, RATES.items(), strict=True):
    for batch, loss, lr in zip(BATCHES, mean_loss[name], best[name], strict=True):
        (line,) = ax.plot(rates, loss, marker="o", label=f"batch {batch}")
        ax.axvline(lr, color=line.get_color(), linestyle=":", linewidth=1.5)
    ax.set_xscale("log")
    ax.set_xticks(rates, [f"{r:.2g}" for r in rates])  # the grid
    ax.minorticks_off()
    ax.set_ylim(0.45, 1.45)  # higher: diverged, or barely learned
    ax.set(
        xlabel="learning rate (log scale)",
        ylabel="final training loss",
        title=f"{name}: mean of {SEEDS} runs, {EPOCHS} epochs; dotted: best rate",
    )
fig.legend(*axes[0].get_legend_handles_labels(), loc="lower center", ncols=3)
fig.suptitle("Loss against rate at three batch sizes, same examples seen")

fig, axes = plt.subplots(2, 1, figsize=(7, 7.5))
fig.subplots_adjust(top=0.9, hspace=0.4)
for ax, name in zip(axes, RATES, strict=True):
    first = best[name][0]
    ratios = [b / BATCHES[0] for b in BATCHES]
    ax.plot(BATCHES, best[name], marker="o", label="measured best rate", zorder=3)
    ax.plot(BATCHES, [first * k for k in ratios], "--", label="linear rule: lr ∝ batch")
    sqrt_rule = [first * math.sqrt(k) for k in ratios]
    ax.plot(BATCHES, sqrt_rule, ":", label="square-root rule: lr ∝ √batch")
    ax.set_xscale("log", base=2)
    ax.set_yscale("log")
    low, high = ax.get_ylim()
    ticks = [r for r in RATES[name] if low <= r <= high]  # the grid's rates in view
    ax.set_yticks(ticks, [f"{r:.3g}" for r in ticks])
    ax.minorticks_off()
    ax.set_xticks(BATCHES, [str(b) for b in BATCHES])
    ax.set(xlabel="batch size", ylabel="best learning rate (log scale)", title=name)
    ax.legend(loc="upper left")
fig.suptitle("Best rate against batch size, rules drawn from batch 8")
plt.show()
