"""The LR range test in plain PyTorch, as fastai's and Lightning's lr_find run it: the
rate grows geometrically, the smoothed loss is recorded (the test itself is Smith's,
arXiv:1506.01186, who raised the rate linearly and read the accuracy)."""

import copy
import math

import matplotlib.pyplot as plt
import torch
from torch import nn

torch.set_num_threads(1)  # a tiny model: more threads only add overhead
torch.manual_seed(0)
X = torch.randn(2048, 10)
teacher = nn.Sequential(nn.Linear(10, 16), nn.Tanh(), nn.Linear(16, 4))
with torch.no_grad():
    y = teacher(X).argmax(dim=1)  # 4 classes that a small MLP can learn
loader = torch.utils.data.DataLoader(
    torch.utils.data.TensorDataset(X, y), batch_size=32, shuffle=True
)

model = nn.Sequential(nn.Linear(10, 64), nn.ReLU(), nn.Linear(64, 4))
initial_state = copy.deepcopy(model.state_dict())  # the test spoils the weights

# One batch per step; the rate grows by the same factor each step, 1e-5 -> 10.
START, END, STEPS = 1e-5, 10.0, 100
optimizer = torch.optim.SGD(model.parameters(), lr=START, momentum=0.9)
growth = (END / START) ** (1 / (STEPS - 1))
scheduler = torch.optim.lr_scheduler.ExponentialLR(optimizer, gamma=growth)

lrs, smoothed = [], []
average, best, beta = 0.0, math.inf, 0.9
batches = iter(loader)
for step in range(STEPS):
    try:
        xb, yb = next(batches)
    except StopIteration:  # more steps than batches: start another epoch
        batches = iter(loader)
        xb, yb = next(batches)
    optimizer.zero_grad()
    loss = nn.functional.cross_entropy(model(xb), yb)
    loss.backward()
    optimizer.step()
    # An exponential moving average, bias-corrected: raw batch losses are noisy.
    average = beta * average + (1 - beta) * loss.item()
    lrs.append(scheduler.get_last_lr()[0])
    smoothed.append(average / (1 - beta ** (step + 1)))
    best = min(best, smoothed[-1])
    if not math.isfinite(smoothed[-1]) or smoothed[-1] > 4 * best:
        break  # the loss has exploded: larger rates tell us nothing more
    scheduler.step()

# Two common readings of the curve.
log_lrs = torch.tensor(lrs).log10()
slopes = torch.diff(torch.tensor(smoothed)) / torch.diff(log_lrs)
steepest = lrs[int(slopes[:-5].argmin())]  # fastest fall; skip the explosion's edge
at_min = lrs[min(range(len(smoothed)), key=smoothed.__getitem__)]
tenth = at_min / 10
start, stopped_at, steps_run = smoothed[0], lrs[-1], len(lrs)
print(f"smoothed loss at the start {start:.3f}, best {best:.3f}")
print(f"stopped after {steps_run} of {STEPS} steps, at lr {stopped_at:.3g}")
print(f"steepest descent at lr {steepest:.3g}")
print(f"minimum loss at lr {at_min:.3g}, a tenth of it: {tenth:.3g}")
apart = max(steepest, tenth) / min(steepest, tenth)
print(f"the two readings are a factor {apart:.2f} apart")

# Does the suggestion work? Train from the same initial weights for 3 epochs.


def train(lr: float) -> list[float]:
    model.load_state_dict(initial_state)  # the weights from before the test
    torch.manual_seed(1)
    optimizer = torch.optim.SGD(model.parameters(), lr=lr, momentum=0.9)
    losses = []
    for _epoch in range(3):
        for xb, yb in loader:
            optimizer.zero_grad()
            loss = nn.functional.cross_entropy(model(xb), yb)
            loss.backward()
            optimizer.step()
            losses.append(loss.item())
    return losses


candidates = {
    "steepest / 100": steepest / 100,
    "steepest": steepest,
    "minimum / 10": tenth,
    "minimum": at_min,
}
final, curves = {}, {}
for name, lr in candidates.items():
    losses = train(lr)
    final[name] = sum(losses[-len(loader) :]) / len(loader)  # mean of the last epoch
    print(f"lr {lr:.3g} ({name}): mean loss in the last epoch {final[name]:.3f}")
    curves[name] = torch.tensor(losses).view(-1, 8).mean(dim=1)  # per 8 batches
final_slow, final_steepest = final["steepest / 100"], final["steepest"]
final_tenth, final_at_min = final["minimum / 10"], final["minimum"]
times_worse = final_at_min / max(final_steepest, final_tenth)
print(f"the minimum's rate ends {times_worse:.0f} times worse than the worse reading")

# %% Lightning's rule on this curve
# Lightning 2.6's LR finder suggests the steepest slope of the loss against the rate
# itself, not its logarithm, skipping the first 10 points and the last one
# (suggestion() in lightning/pytorch/tuner/lr_finder.py): on a sweep that grows the
# rate geometrically, dividing by the tiny steps of the smallest rates favours them.
kept_losses, kept_lrs = torch.tensor(smoothed[10:-1]), torch.tensor(lrs[10:-1])
lightning_slopes = torch.gradient(kept_losses, spacing=[kept_lrs])[0]
lightning_pick = lrs[10 + int(lightning_slopes.argmin())]
print(f"Lightning's rule on this curve: lr {lightning_pick:.3g}")

# %% Checks and figures
# What the page claims. The test: the loss barely moves below 1e-3, falls to less
# than half its start, and explodes before the sweep ends, within a decade of the
# rate at the minimum; both readings lie below the minimum, a few times apart. The
# training: both readings beat a hundredth of the steepest rate. The minimum's rate
# is the fastest for its first 16 batches, passes the untrained loss within its
# first epoch, and ends several times worse than either reading, and worse than the
# untrained model started.
flat = [loss for lr, loss in zip(lrs, smoothed, strict=True) if lr < 1e-3]
assert max(flat) - min(flat) < 0.05 * start
assert best < start / 2 and steps_run < STEPS and smoothed[-1] > 4 * best
assert START < steepest < at_min < stopped_at < 10 * at_min and apart < 4
for reading in (final_steepest, final_tenth):
    assert reading < final_slow and reading < start / 2
for i in (0, 1):  # the mean of batches 1-8, then of 9-16
    assert min(curves, key=lambda name: curves[name][i]) == "minimum"
assert (curves["minimum"][: len(loader) // 8] > start).any()
assert times_worse > 3 and final_at_min > start
# Lightning's rule picks a rate in the flat start, a hundred times below the
# steepest fall per decade.
assert lightning_pick < 1e-3 and lightning_pick < steepest / 100

fig, ax = plt.subplots()
ax.plot(lrs, smoothed, label="smoothed loss")
ax.axvline(steepest, color="C1", linestyle="--", label=f"steepest: {steepest:.3g}")
ax.axvline(at_min, color="C2", linestyle=":", label=f"minimum: {at_min:.3g}")
ax.set_xscale("log")
ax.set(
    xlabel="learning rate (log scale)",
    ylabel="training loss (cross-entropy)",
    title="LR range test: loss while the rate grows every batch",
)
ax.legend()

fig2, ax2 = plt.subplots()
for name, lr in candidates.items():
    steps = range(8, 8 * len(curves[name]) + 1, 8)
    ax2.plot(steps, curves[name], label=f"lr = {lr:.3g} ({name})")
ax2.set_yscale("log")
ax2.set_yticks([0.2, 0.5, 1, 2, 5], ["0.2", "0.5", "1", "2", "5"])
ax2.tick_params(axis="y", which="minor", labelleft=False)
ax2.set(
    xlabel="optimizer step (batch of 32)",
    ylabel="training loss, mean of 8 batches",
    title="Three epochs of training from the same start",
)
ax2.legend(loc="upper center", bbox_to_anchor=(0.5, -0.18), ncols=2)  # below the axes

plt.show()
