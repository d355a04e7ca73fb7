"""Schedule-free AdamW keeps two points in the model's weights: y, where gradients
are taken (after optimizer.train()), and x, the average to evaluate and save (after
optimizer.eval()). The loss at each, and what forgetting either call does."""

import inspect
import math
from importlib.metadata import version

import matplotlib.pyplot as plt
import schedulefree
import torch
from torch import nn

torch.set_num_threads(1)  # a tiny model: more threads only add overhead
STEPS, BATCH, SEEDS, LR, WARMUP, EVERY = 300, 32, 5, 0.1, 20, 20

# The site's comparison problem: 4 classes labelled by a random teacher, 10% flipped.
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


def losses(weights, xs: torch.Tensor, ys: torch.Tensor) -> torch.Tensor:
    """One loss per copy: SEEDS 10-32-4 MLPs side by side (as in recipes/compare.py;
    AdamW's update is elementwise, so each copy trains as a separate run would)."""
    w1, b1, w2, b2 = weights
    logits = torch.baddbmm(b2, torch.relu(torch.baddbmm(b1, xs, w1)), w2)
    per_sample = nn.functional.cross_entropy(
        logits.flatten(0, 1), ys.flatten(), reduction="none"
    )
    return per_sample.view(SEEDS, -1).mean(dim=1)


@torch.no_grad()
def full_loss(weights) -> torch.Tensor:  # each copy's loss on the whole training set
    return losses(weights, X.expand(SEEDS, -1, -1), y.expand(SEEDS, -1))


torch.manual_seed(1)
params = [
    init(SEEDS, 10, 32, fan_in=10),
    init(SEEDS, 1, 32, fan_in=10),
    init(SEEDS, 32, 4, fan_in=32),
    init(SEEDS, 1, 4, fan_in=32),
]
optimizer = schedulefree.AdamWScheduleFree(params, lr=LR, warmup_steps=WARMUP)
z_sum, weight_sum = [torch.zeros_like(p) for p in params], 0.0  # to check x below
at_x, at_y, at_z = [], [], []

optimizer.train()  # the weights now hold y; step() raises without this
for step in range(STEPS):
    batch = torch.randint(0, len(X), (SEEDS, BATCH))
    optimizer.zero_grad()
    losses(params, X[batch], y[batch]).sum().backward()
    optimizer.step()
    # x is the average of the z points, each weighted by the square of the largest
    # rate so far (weight_lr_power=2): warmup steps count less, later ones the same.
    weight = min(1.0, (step + 1) / WARMUP) ** 2
    weight_sum += weight
    for total, p in zip(z_sum, params, strict=True):
        total.add_(optimizer.state[p]["z"], alpha=weight)
    if (step + 1) % EVERY == 0:
        at_y.append(full_loss(params))  # eval() forgotten: the loss at y
        at_z.append(full_loss([optimizer.state[p]["z"] for p in params]))
        optimizer.eval()  # right: the weights now hold x
        at_x.append(full_loss(params))
        optimizer.train()  # and y again before the next step

optimizer.eval()  # before evaluating or saving: the weights hold x
final_x, final_y, final_z = at_x[-1], at_y[-1], at_z[-1]
print(f"final loss at x (after eval()): {final_x.mean():.3f} ± {final_x.std():.3f}")
print(f"at y (eval() forgotten):        {final_y.mean():.3f} ± {final_y.std():.3f}")
print(f"at z (the Adam step's sequence): {final_z.mean():.3f} ± {final_z.std():.3f}")

# Forgetting train() after an evaluation: the optimizer refuses to step.
before, refused = [p.clone() for p in params], ""
try:
    optimizer.step()
except Exception as error:  # schedulefree raises a plain Exception
    refused = str(error)
print(f"step() after eval(): {refused}")
unchanged = all(torch.equal(p, b) for p, b in zip(params, before, strict=True))

# %% Checks and figure
gap = (final_y - final_x).mean().item()
gap_fraction = gap / final_x.mean().item()
x_mean, x_std = final_x.mean().item(), final_x.std().item()
y_mean, y_std = final_y.mean().item(), final_y.std().item()
z_mean = final_z.mean().item()
half = len(at_x) // 2  # the second half of training
late_gap = (torch.stack(at_y[half:]) - torch.stack(at_x[half:])).mean(dim=0)
late_gap_min, late_gap_max = late_gap.min().item(), late_gap.max().item()
schedulefree_version = version("schedulefree")
# The defaults the page compares, read from both constructors.
free, adamw = (
    inspect.signature(cls).parameters
    for cls in (schedulefree.AdamWScheduleFree, torch.optim.AdamW)
)
free_lr, free_decay = free["lr"].default, free["weight_decay"].default
adamw_lr, adamw_decay = adamw["lr"].default, adamw["weight_decay"].default
same_betas = list(free["betas"].default)
assert same_betas == list(adamw["betas"].default)
print(
    f"eval() forgotten: +{gap:.3f} ({gap_fraction:.0%}) at the end; over the "
    f"second half, +{late_gap_min:.3f} to +{late_gap_max:.3f} per run"
)

# The weights in eval mode are exactly the weighted average of the z points, and
# in train mode y = (1 - beta1) z + beta1 x, as the package's README writes them.
beta1 = optimizer.param_groups[0]["betas"][0]
x_average = [total / weight_sum for total in z_sum]
assert all(
    torch.allclose(p, a, atol=1e-5) for p, a in zip(params, x_average, strict=True)
)
optimizer.train()
z = [optimizer.state[p]["z"] for p in params]
y_formula = [torch.lerp(z_, x_, beta1) for z_, x_ in zip(z, x_average, strict=True)]
assert all(
    torch.allclose(p, e, atol=1e-5) for p, e in zip(params, y_formula, strict=True)
)
optimizer.eval()
# What the page says: y's loss is higher than x's at the end, on average, and over
# the second half of training in every run; z, alone, is far worse; step() after
# eval() raised and left the weights as they were.
assert gap > 0 and (late_gap > 0).all()
assert z_mean > 2 * y_mean
assert "not in train mode" in refused and unchanged

fig, ax = plt.subplots()
steps = [EVERY * (i + 1) for i in range(len(at_x))]
for label, curve, style in [
    ("z: moved by the Adam step", at_z, ":"),
    ("y: train mode (eval() forgotten)", at_y, "--"),
    ("x: after optimizer.eval()", at_x, "-"),
]:
    mean = torch.stack(curve).mean(dim=1)
    ax.plot(steps, mean, style, marker="o", markersize=3, label=label)
ax.set_yscale("log")
ax.set_yticks([0.4, 0.5, 0.7, 1, 2, 4, 7], ["0.4", "0.5", "0.7", "1", "2", "4", "7"])
ax.minorticks_off()
ax.set(
    xlabel="step",
    ylabel=f"training loss (mean of {SEEDS} runs)",
    title=f"Schedule-free AdamW, lr {LR}: the loss at its three points",
)
ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.15))
plt.show()
