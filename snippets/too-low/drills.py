"""Curve-reading drills for the quiz: a rate too low, a plateau, a log axis."""

import matplotlib.pyplot as plt
import torch

torch.manual_seed(0)
X = torch.randn(256, 10)
Y = X @ torch.randn(10) + 0.3 * torch.randn(256)


def regression(lr: float, steps: int = 200) -> list[float]:
    """Minibatch SGD (batches of 16) on a linear regression: full-data losses."""
    torch.manual_seed(1)
    w = torch.zeros(10, requires_grad=True)
    optimizer = torch.optim.SGD([w], lr=lr)
    losses = []
    for _ in range(steps):
        batch = torch.randint(0, 256, (16,))
        loss = ((X[batch] @ w - Y[batch]) ** 2).mean()
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        with torch.no_grad():
            losses.append(((X @ w - Y) ** 2).mean().item())
    return losses


def saddle(lr: float, steps: int) -> list[float]:
    """Fit y = a * b * x to y = x from a = b = 0.01, near the saddle at 0."""
    a = torch.tensor(0.01, requires_grad=True)
    b = torch.tensor(0.01, requires_grad=True)
    optimizer = torch.optim.SGD([a, b], lr=lr)
    losses = []
    for _ in range(steps):
        loss = (a * b - 1) ** 2
        losses.append(loss.item())
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    return losses


# Drill 1: A, B, C are lr 0.03, 0.002 and 0.2.
rate_runs = {
    name: regression(lr) for name, lr in zip("ABC", [0.03, 0.002, 0.2], strict=True)
}
# Drill 2: lr = 0.01 near the saddle; the figure shows the first 100 steps.
SHOWN = 100
plateau = saddle(0.01, 400)
escape_step = next(i for i, loss in enumerate(plateau) if loss < 0.5)
# Drill 3: plain gradient descent on curvatures 1 and 0.02, at lr = 1.
w = torch.ones(2)
slow = []
for _ in range(200):
    slow.append((0.5 * torch.tensor([1.0, 0.02]) * w**2).sum().item())
    w = w - 1.0 * torch.tensor([1.0, 0.02]) * w
fall_last_100 = slow[99] / slow[-1]
print(f"plateau left at step {escape_step}; last 100 steps: loss / {fall_last_100:.0f}")

# %% Checks
# Drill 1: B (the smallest rate) ends highest, and rises at fewer steps than C; A
# ends within 2% of the least-squares optimum, the lowest loss there is.
finals = {name: losses[-1] for name, losses in rate_runs.items()}
assert finals["B"] > 2 * max(finals["A"], finals["C"])
best = torch.linalg.lstsq(X, Y.unsqueeze(1)).solution.squeeze(1)
assert finals["A"] < 1.02 * ((X @ best - Y) ** 2).mean() < finals["C"]
rises = {
    n: sum(y > x for x, y in zip(v, v[1:], strict=False)) for n, v in rate_runs.items()
}
assert rises["B"] < rises["C"] and rises["A"] < rises["C"]
# Drill 2: flat near 1 for the steps shown, then off the plateau later.
assert min(plateau[:SHOWN]) > 0.98 and SHOWN < escape_step < len(plateau)
assert plateau[-1] < 1e-3
# Drill 3: flat on a linear axis after step 10 (under 3% of the range), yet the
# loss still falls by a steady factor: more than 10 times in the last 100 steps.
assert max(slow[10:]) < 0.03 * slow[0] and fall_last_100 > 10
ratios = [y / x for x, y in zip(slow[10:], slow[11:], strict=False)]
assert max(ratios) - min(ratios) < 1e-3

# %% Figures (one per drill; the curves are named A, B, C only)
fig, ax = plt.subplots()
for name, losses in rate_runs.items():
    ax.plot(losses, label=name)
ax.set(yscale="log", xlabel="step", ylabel="loss", title="Three rates, one model")
ax.legend(loc="upper right")

fig, ax = plt.subplots()
ax.plot(plateau[:SHOWN])
ax.set(ylim=(0, 1.1), xlabel="step", ylabel="loss", title="One run, first steps")

fig, (left, right) = plt.subplots(1, 2, figsize=(7, 3.4), layout="constrained")
for ax, scale in ((left, "linear"), (right, "log")):
    ax.plot(slow)
    ax.set(yscale=scale, xlabel="step", ylabel="loss", title=f"{scale} axis")
fig.suptitle("One run, two axes")
plt.show()
