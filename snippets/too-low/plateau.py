"""A plateau: the loss sits still near a saddle point, longer the smaller the rate."""

import matplotlib.pyplot as plt
import torch

RATES = [0.1, 0.03, 0.01]
STEPS = 600


def train(lr: float) -> list[float]:
    """Fit y = a * b * x to y = x, starting from tiny a and b (a saddle point at 0)."""
    a = torch.tensor(0.01, requires_grad=True)
    b = torch.tensor(0.01, requires_grad=True)
    optimizer = torch.optim.SGD([a, b], lr=lr)
    losses = []
    for _ in range(STEPS):
        optimizer.zero_grad()
        loss = (a * b - 1) ** 2  # the gradient is tiny while a and b are tiny
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    return losses


def first_below(losses: list[float], level: float) -> int:
    return next(i + 1 for i, v in enumerate(losses) if v < level)


runs = {lr: train(lr) for lr in RATES}
escape = {}
print(f"{'lr':>5} {'loss at step 100':>17} {'first step with loss < 0.5':>27}")
for lr, losses in runs.items():
    escape[lr] = first_below(losses, 0.5)
    print(f"{lr:>5} {losses[99]:>17.4f} {escape[lr]:>27}")

escape_steps = [escape[lr] for lr in RATES]
slowest_at_100 = runs[0.01][99]

# %% Checks and figure
# What the page claims: every run takes longer to get from 1 to 0.9 than from 0.9 on
# to 0.1; every rate gets off the plateau in the end, after a number of steps about
# proportional to 1 / lr; after 100 steps the smallest rate has barely moved, which
# looks like convergence at a bad loss.
for losses in runs.values():
    sat = first_below(losses, 0.9)
    assert first_below(losses, 0.1) - sat < sat
assert all(losses[-1] < 1e-3 for losses in runs.values())
assert 2.5 < escape[0.03] / escape[0.1] < 4 and 2.5 < escape[0.01] / escape[0.03] < 4
assert slowest_at_100 > 0.98

fig, ax = plt.subplots()
for lr, losses in runs.items():
    ax.plot(range(1, STEPS + 1), losses, label=f"lr = {lr}")
ax.set(
    xlabel="step",
    ylabel="loss (a·b − 1)²",
    title="A plateau lasts longer the smaller the rate",
)
ax.legend()
plt.show()
