"""The LR range test against the truth: four ways to read a rate off it (fastai's
steep, minimum / 10 and valley, Lightning's suggestion), each against the rates a
seeded sweep on held-out data found good."""

import math

import matplotlib.pyplot as plt
import torch
from sklearn.datasets import load_digits
from torch import nn

torch.set_num_threads(1)  # a tiny model: more threads only add overhead
SEEDS, BATCH = 5, 50
STARTS = [1e-7, 1e-4]  # fastai's lr_find default start, and a narrower test
END, ITERATIONS = 10.0, 100  # fastai's lr_find defaults
BETA = 0.98  # the loss smoothing of fastai's and Lightning's finders


def range_test() -> tuple[torch.Tensor, torch.Tensor]:
    """One test per start and seed, side by side: every step multiplies the rate by
    the same factor. Returns the rates, (ITERATIONS, starts), and every smoothed
    loss, (ITERATIONS, starts, SEEDS)."""
    model = copies(rates=STARTS)  # one parameter group per start, SEEDS copies each
    optimizer = torch.optim.SGD(model, momentum=0.9)
    factors = [lambda i, s=s: (END / s) ** (i / ITERATIONS) for s in STARTS]
    scheduler = torch.optim.lr_scheduler.LambdaLR(optimizer, factors)
    lrs, smoothed, average = [], [], torch.zeros(len(STARTS), SEEDS)
    for step, (xb, yb) in enumerate(batches(ITERATIONS // 20, runs=len(STARTS))):
        optimizer.zero_grad()
        loss = losses(model, xb, yb)  # each copy's mean loss on its batch
        loss.sum().backward()
        optimizer.step()
        lrs.append(scheduler.get_last_lr())  # the rates this step trained with
        average = BETA * average + (1 - BETA) * loss.detach().view(-1, SEEDS)
        smoothed.append(average / (1 - BETA ** (step + 1)))  # bias-corrected
        scheduler.step()
    return torch.tensor(lrs), torch.stack(smoothed)


# %% The data, and the copies of the network
# scikit-learn's digits, split as on the sweep page: 1,000 to train, 797 held out.
images, labels = load_digits(return_X_y=True)
X = torch.tensor(images / 16.0, dtype=torch.float32)
y = torch.tensor(labels)
order = torch.randperm(len(X), generator=torch.Generator().manual_seed(0))
X_train, y_train = X[order[:1000]], y[order[:1000]]
X_val, y_val = X[order[1000:]], y[order[1000:]]


def init(*shape: int, fan_in: int) -> torch.Tensor:  # nn.Linear's default init
    bound = 1 / math.sqrt(fan_in)
    return torch.empty(*shape).uniform_(-bound, bound)


def copies(rates: list[float]) -> list[dict]:
    """A 64-32-10 MLP, SEEDS copies per rate: one parameter group per rate, copy s
    of every group starting from seed s's weights (the sweep page's)."""
    torch.manual_seed(1)
    start = [init(SEEDS, 64, 32, fan_in=64), init(SEEDS, 1, 32, fan_in=64)]
    start += [init(SEEDS, 32, 10, fan_in=32), init(SEEDS, 1, 10, fan_in=32)]
    return [
        {"params": [w.clone().requires_grad_() for w in start], "lr": lr}
        for lr in rates
    ]


def batches(epochs: int, runs: int):
    shuffles = torch.Generator().manual_seed(2)  # seed s: its own order per epoch
    for _ in range(epochs):
        perm = torch.stack(
            [torch.randperm(1000, generator=shuffles) for _ in range(SEEDS)]
        )
        for idx in perm.split(BATCH, dim=1):
            yield X_train[idx].repeat(runs, 1, 1), y_train[idx].repeat(runs, 1)


def logits(model: list[dict], xs: torch.Tensor) -> torch.Tensor:
    w1, b1, w2, b2 = (
        torch.cat(ws) for ws in zip(*(g["params"] for g in model), strict=True)
    )
    return torch.baddbmm(b2, torch.relu(torch.baddbmm(b1, xs, w1)), w2)


def losses(model: list[dict], xs: torch.Tensor, ys: torch.Tensor) -> torch.Tensor:
    per_sample = nn.functional.cross_entropy(
        logits(model, xs).flatten(0, 1), ys.flatten(), reduction="none"
    )
    return per_sample.view(len(xs), -1).mean(dim=1)


# %% The four readings, as fastai's and Lightning's source write them
# fastai (fastai/callback/schedule.py, lr_find): the suggestions read the recorded
# curve without its first tenth and its last 5 points. Lightning (lightning 2.6,
# tuner/lr_finder.py, _LRFinder.suggestion): skips the first 10 and the last 1.
def stop(smoothed: list[float]) -> int:
    """Both finders stop once the smoothed loss passes 4 times its best."""
    best = math.inf
    for i, loss in enumerate(smoothed):
        best = min(best, loss)
        if not math.isfinite(loss) or loss > 4 * best:
            return i + 1  # the step that stopped it is recorded
    return len(smoothed)


def steep(lrs: list[float], loss: list[float]) -> float:
    """fastai's steep: the most negative slope of the loss against log(lr)."""
    slopes = [
        (loss[i + 1] - loss[i]) / (math.log(lrs[i + 1]) - math.log(lrs[i]))
        for i in range(len(loss) - 1)
    ]
    return lrs[min(range(len(slopes)), key=slopes.__getitem__)]


def minimum_tenth(lrs: list[float], loss: list[float]) -> float:
    """fastai's minimum: a tenth of the rate at the lowest loss."""
    return lrs[min(range(len(loss)), key=loss.__getitem__)] / 10


def valley(lrs: list[float], loss: list[float]) -> float:
    """fastai's valley: the longest run of falling losses (a longest decreasing
    subsequence), then a point about halfway along it."""
    longest, start, end = [1] * len(loss), 0, 0
    for i in range(1, len(loss)):
        for j in range(i):
            if loss[i] < loss[j] and longest[i] < longest[j] + 1:
                longest[i] = longest[j] + 1
            if longest[end] < longest[i]:
                end, start = i, i - longest[i]
    sections = (end - start) / 3
    return lrs[start + int(sections) + int(sections / 2)]


def lightning(lrs: list[float], loss: list[float]) -> float:
    """Lightning's suggestion: the most negative slope of the loss against lr."""
    kept_losses, kept_lrs = torch.tensor(loss[10:-1]), torch.tensor(lrs[10:-1])
    slopes = torch.gradient(kept_losses, spacing=[kept_lrs])[0]
    return lrs[10 + int(slopes.argmin())]


def fastai(rule):
    return lambda lrs, loss: rule(lrs[10:-5], loss[10:-5])


READINGS = {  # fastai's three (valley is its default), then Lightning's
    "steep": fastai(steep),
    "minimum / 10": fastai(minimum_tenth),
    "valley": fastai(valley),
    "Lightning": lightning,
}


# %% The truth: the sweep page's sweep (8 rates x 5 seeds, 12 epochs)
RATES = [10 ** (k / 3) for k in range(-7, 1)]  # 0.0046 ... 1, three per decade
SWEEP_EPOCHS = 12
TOLERANCE = 1.0  # within 1 point of the best validation error


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


sweep = copies(RATES)
optimizer = torch.optim.SGD(sweep, momentum=0.9, foreach=True)
for xb, yb in batches(epochs=SWEEP_EPOCHS, runs=len(RATES)):
    optimizer.zero_grad()
    losses(sweep, xb, yb).sum().backward()
    optimizer.step()
with torch.no_grad():
    wrong = logits(sweep, X_val.expand(len(RATES) * SEEDS, -1, -1)).argmax(-1) != y_val
error = 100 * wrong.float().mean(-1).view(len(RATES), SEEDS).mean(dim=1)
best = int(error.argmin())
best_lr = RATES[best]
good_low, good_high = line_range(error.tolist(), error[best].item() + TOLERANCE)
print(
    f"the sweep: best lr {best_lr:.3g} ({error[best]:.2f}% validation error),", end=" "
)
print(f"within {TOLERANCE:g} point from {good_low:.3g} to {good_high:.3g}")


def error_at(lr: float) -> float:
    """The sweep's mean validation error at `lr`, interpolated on log(lr)."""
    x = math.log10(lr)
    xs = [math.log10(r) for r in RATES]
    if x <= xs[0]:
        return math.inf  # below the sweep: slower than its slowest rate
    i = next(i for i in range(1, len(xs)) if xs[i] >= x)
    t = (x - xs[i - 1]) / (xs[i] - xs[i - 1])
    return ((1 - t) * error[i - 1] + t * error[i]).item()


# %% Run the range tests, read each four ways, compare with the truth
lrs, smoothed = range_test()
curves = {}  # (start, seed) -> the curve as the finders record it: up to the stop
for t, start in enumerate(STARTS):
    for s in range(SEEDS):
        loss = smoothed[:, t, s].tolist()
        curves[start, s] = (lrs[: stop(loss), t].tolist(), loss[: stop(loss)])
picks, inside, median, median_error = {}, {}, {}, {}
for start in STARTS:
    for name, rule in READINGS.items():
        rates = [rule(*curves[start, s]) for s in range(SEEDS)]
        key = (name, start)
        picks[key] = rates
        inside[key] = sum(good_low <= r <= good_high for r in rates)
        median[key] = sorted(rates)[SEEDS // 2]
        median_error[key] = error_at(median[key])
        print(
            f"from {start:g}: {name:>14} lr {min(rates):.2g} to {max(rates):.2g},",
            end=" ",
        )
        print(f"{inside[key]} of {SEEDS} in the good range")
# Per reading (in READINGS' order), for each start: how many seeds fell in the good
# range, the lowest and highest suggestion, and the sweep's error at the median one.
names = list(READINGS)
found = {f"{k}_{i}": [] for k in ("inside", "low", "high", "err") for i in (7, 4)}
for start, i in zip(STARTS, (7, 4), strict=True):
    for name in names:
        found[f"inside_{i}"].append(inside[name, start])
        found[f"low_{i}"].append(min(picks[name, start]))
        found[f"high_{i}"].append(max(picks[name, start]))
        found[f"err_{i}"].append(median_error[name, start])
inside_7, low_7, high_7, err_7 = (
    found[f"{k}_7"] for k in ("inside", "low", "high", "err")
)
inside_4, low_4, high_4, err_4 = (
    found[f"{k}_4"] for k in ("inside", "low", "high", "err")
)
best_error = error[best].item()
stopped = {start: [len(curves[start, s][0]) for s in range(SEEDS)] for start in STARTS}
stopped_early = sum(n < ITERATIONS for n in stopped[STARTS[0]] + stopped[STARTS[1]])
# What the test suite feeds to Lightning's own _LRFinder.suggestion(): seed 0's
# curve from each start, and this snippet's reading of it.
lightning_lrs = [curves[start, 0][0] for start in STARTS]
lightning_losses = [curves[start, 0][1] for start in STARTS]
lightning_picks = [picks["Lightning", start][0] for start in STARTS]

# %% Checks and figures
# What the page claims. From either start, minimum / 10 lands in the good range for
# every seed; steep lands above the good range's low end, and in at least one seed
# above its top, from either start; valley lands below it in every seed, within a
# factor of 10 of it, with a median whose error is more than the tolerance worse
# than the best but under twice the best; Lightning's rule lands more than 30
# times below the good range in every seed. Every curve's lowest point is at a
# rate above the good range.
for i in (7, 4):
    inside_, low, high = found[f"inside_{i}"], found[f"low_{i}"], found[f"high_{i}"]
    assert inside_[1] == SEEDS
    assert low[0] > good_low and high[0] > good_high
    assert high[2] < good_low and low[2] > good_low / 10
    assert best_error + TOLERANCE < found[f"err_{i}"][2] < 2 * best_error
    assert high[3] < good_low / 30
assert inside_7[0] == inside_7[2] == inside_7[3] == 0
# Steep from STARTS[1] straddles the good range's top: some seeds in, some above.
assert 0 < inside_4[0] < SEEDS
# From STARTS[1] the smoothed loss falls lower than from STARTS[0], in every seed.
assert all(
    min(curves[STARTS[1], s][1]) < min(curves[STARTS[0], s][1]) for s in range(SEEDS)
)
tests = len(STARTS) * SEEDS  # range tests: one per start and seed
for r, loss in curves.values():  # every curve bottoms out above the good range
    assert r[min(range(len(loss)), key=loss.__getitem__)] > good_high

fig, ax = plt.subplots()
for start, color in zip(STARTS, ["C0", "C1"], strict=True):
    for s in range(SEEDS):
        r, loss = curves[start, s]
        label = f"from {start:g}, {SEEDS} seeds" if s == 0 else None
        ax.plot(r, loss, color=color, linewidth=1, label=label)
ax.axvspan(good_low, good_high, color="C2", alpha=0.15, label="the sweep's good range")
ax.set_xscale("log")
ax.set_ylim(1.5, 4)
ax.set(
    xlabel="learning rate (log scale)",
    ylabel="smoothed training loss",
    title=f"LR range tests: {ITERATIONS} steps up to {END:g}",
)
ax.legend(loc="upper left")

fig2, ax2 = plt.subplots(figsize=(7, 4.5))
ax2.axvspan(good_low, good_high, color="C2", alpha=0.15, lw=0)
ax2.axvline(best_lr, color="C2", linewidth=1)
rows = [(name, start) for name in names for start in STARTS]
for row, (name, start) in enumerate(rows):
    color = "C0" if start == STARTS[0] else "C1"
    ax2.scatter(picks[name, start], [row] * SEEDS, color=color, s=22, zorder=3)
ax2.set_yticks(range(len(rows)), [f"{n}, {s:g}" for n, s in rows])
ax2.invert_yaxis()
ax2.set_xscale("log")
ax2.set(
    xlabel="suggested learning rate (log scale); green: the sweep's good range",
    ylabel="reading, start of the test",
    title=f"Each reading, {SEEDS} seeds, against the sweep",
)
plt.show()
