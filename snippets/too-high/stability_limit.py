"""Gradient descent on a quadratic: below, at and above the limit
lr = 2 / lambda_max; with momentum beta the limit is 2 (1 + beta) / lambda_max."""

from itertools import pairwise

import matplotlib.pyplot as plt
import torch

CURVATURES = torch.tensor([1.0, 4.0], dtype=torch.float64)  # Hessian eigenvalues
LAMBDA_MAX = CURVATURES.max().item()
LIMIT = 2 / LAMBDA_MAX  # 2 / 4 = 0.5
RATES = {"below": 0.9 * LIMIT, "at": LIMIT, "above": 1.1 * LIMIT}
STEPS = 30


def descend(lr: float, steps: int = STEPS, **options):
    """Weights and loss L(w) = (1 * w1^2 + 4 * w2^2) / 2 at every step."""
    w = torch.tensor([3.0, 1.0], dtype=torch.float64, requires_grad=True)
    optimizer = torch.optim.SGD([w], lr=lr, **options)  # options: momentum=...
    path, losses = [w.detach().clone()], []
    for _ in range(steps):
        optimizer.zero_grad()
        loss = 0.5 * (CURVATURES * w**2).sum()
        loss.backward()
        optimizer.step()  # each coordinate is multiplied by (1 - lr * curvature)
        path.append(w.detach().clone())
        losses.append(loss.item())
    return path, losses


runs = {name: descend(lr) for name, lr in RATES.items()}
# The steep coordinate's factor per step, 1 - lr * lambda_max, for each run.
factor_below, factor_at, factor_above = (1 - lr * LAMBDA_MAX for lr in RATES.values())
below, at, above = (runs[name][1] for name in RATES)
loss_start = below[0]  # the same start in all three runs
loss_below, loss_at, loss_above = below[-1], at[-1], above[-1]
print(f"lambda_max = {LAMBDA_MAX:g}, limit 2/lambda_max = {LIMIT:g}")
print(f"loss after {STEPS} steps:")
for name, factor in zip(RATES, (factor_below, factor_at, factor_above), strict=True):
    losses = runs[name][1]
    print(
        f"lr = {RATES[name]:.3f} ({name:>5} the limit): w2 x{factor:+.2f} per step,"
        f" loss {losses[0]:.3g} -> {losses[-1]:.3g}"
    )

# %% With momentum, the limit moves
# Heavy-ball momentum, as torch.optim.SGD(momentum=beta) does it, moves the limit to
# 2 (1 + beta) / lambda_max: a rate between the two limits now converges.
BETA = 0.9
MOMENTUM_LIMIT = 2 * (1 + BETA) / LAMBDA_MAX  # 3.8 / 4 = 0.95
between, beyond = (LIMIT + MOMENTUM_LIMIT) / 2, 1.1 * MOMENTUM_LIMIT
loss_plain_between = descend(between, 100)[1][-1]
loss_momentum_between = descend(between, 100, momentum=BETA)[1][-1]
loss_momentum_beyond = descend(beyond, 100, momentum=BETA)[1][-1]
print(f"momentum {BETA}: limit 2(1 + {BETA})/lambda_max = {MOMENTUM_LIMIT:g}")
print("loss after 100 steps:")
print(f"lr = {between:.3f}, no momentum:   {loss_plain_between:.3g}")
print(f"lr = {between:.3f}, momentum {BETA}: {loss_momentum_between:.3g}")
print(f"lr = {beyond:.3f}, momentum {BETA}: {loss_momentum_beyond:.3g}")

# %% Nesterov momentum
# nesterov=True has a lower limit, 2 (1 + beta) / ((1 + 2 beta) lambda_max).
NESTEROV_LIMIT = MOMENTUM_LIMIT / (1 + 2 * BETA)
nesterov_below, nesterov_above = (
    descend(f * NESTEROV_LIMIT, 100, momentum=BETA, nesterov=True)[1][-1]
    for f in (0.9, 1.1)
)

# %% Checks and figure
# What the page claims: below the limit w2 changes sign every step and shrinks, and
# the loss converges; at it w2 bounces between +1 and -1 for ever and the loss stays
# at 2; above it w2 changes sign and grows every step, and the loss falls for one
# step, then grows every step without bound.
assert -1 < factor_below < 0 and factor_at == -1 and factor_above < -1
steep_below = [w[1].item() for w in runs["below"][0]]
assert all(a * b < 0 and abs(b) < abs(a) for a, b in pairwise(steep_below))
assert loss_below < 1e-4 * loss_start
assert all(abs(abs(w[1].item()) - 1) < 1e-12 for w in runs["at"][0])
# w1 still shrinks, so the loss falls to 4 * 1**2 / 2 = 2 and stays there.
assert all(v >= 0.5 * LAMBDA_MAX for v in at) and loss_at - 0.5 * LAMBDA_MAX < 1e-12
steep_above = [w[1].item() for w in runs["above"][0]]
assert all(a * b < 0 and abs(b) > abs(a) for a, b in pairwise(steep_above))
assert above[1] < above[0]  # one good step: the flat direction still improves
assert all(b > a for a, b in pairwise(above[1:]))  # then it grows every step
assert loss_above > 1000 * loss_start
# Between 2 / lambda_max and 2 (1 + beta) / lambda_max plain descent diverges and
# heavy-ball momentum converges; above the second limit momentum diverges too.
assert loss_plain_between > 1e6 * loss_start
assert loss_momentum_between < 1e-3 * loss_start
assert loss_momentum_beyond > 1e6 * loss_start
assert nesterov_below < 1e-3 * loss_start and nesterov_above > 1e3 * loss_start

fig, (top, bottom) = plt.subplots(2, 1, figsize=(7, 7), layout="constrained")
for name, (path, losses) in runs.items():
    label = f"lr = {RATES[name]:.2f} ({name})"
    steep = [w[1].item() for w in path[:13]]
    top.plot(range(13), steep, marker="o", markersize=4, label=label)
    bottom.plot(range(1, STEPS + 1), losses, label=label)
top.set(
    xlabel="step",
    ylabel="w2 (steep direction, curvature 4)",
    title="Steep coordinate per step",
    ylim=(-4, 4),  # above the limit it leaves the chart after step 7
)
top.legend()
bottom.set_yscale("log")
bottom.set(xlabel="step", ylabel="loss L(w)", title="Loss per step")
bottom.legend()
fig.suptitle(f"Plain gradient descent converges only if lr < 2 / λmax = {LIMIT:g}")
plt.show()
