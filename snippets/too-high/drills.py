"""Curve-reading drills for the quiz: gradient descent on one quadratic, whose
curvatures are 1 and 4 (so plain SGD converges for lr < 2/4 = 0.5)."""

import matplotlib.pyplot as plt
import torch

CURVATURES = torch.tensor([1.0, 4.0], dtype=torch.float64)


def run(lr: float, steps: int, momentum: float = 0.0) -> tuple[list, list]:
    """Losses and the steep coordinate w2 of torch.optim.SGD from w = (1, 1)."""
    w = torch.ones(2, dtype=torch.float64, requires_grad=True)
    optimizer = torch.optim.SGD([w], lr=lr, momentum=momentum)
    losses, steep = [], []
    for _ in range(steps + 1):
        loss = 0.5 * (CURVATURES * w**2).sum()
        losses.append(loss.item())
        steep.append(w[1].item())
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    return losses, steep


# Drill 1: which rate is above the limit? A, B, C are 0.3, 0.55 and 0.45.
limit_runs = {
    name: run(lr, 30)[0] for name, lr in zip("ABC", [0.3, 0.55, 0.45], strict=True)
}
# Drill 2: the steep coordinate at lr 0.2, 0.45 and 0.5 (factors 0.2, -0.8, -1).
steep_runs = {
    name: run(lr, 16)[1] for name, lr in zip("ABC", [0.2, 0.45, 0.5], strict=True)
}
# Drill 3: lr = 0.7 for both, A plain, B with momentum 0.9 (its limit: 0.95).
momentum_runs = {"A": run(0.7, 40)[0], "B": run(0.7, 40, momentum=0.9)[0]}
print({name: f"{losses[-1]:.3g}" for name, losses in momentum_runs.items()})

# %% Checks
# Drill 1: only B (0.55) ends above its start; A and C converge.
a, b, c = limit_runs.values()
assert b[-1] > 100 * b[0] and a[-1] < 1e-6 * a[0] and c[-1] < 1e-3 * c[0]
# Drill 2: A never changes sign; B changes sign at every step and shrinks; C
# changes sign at every step and keeps its size.
a, b, c = steep_runs.values()
assert all(x > 0 for x in a)
assert all(x * y < 0 and abs(y) < abs(x) for x, y in zip(b, b[1:], strict=False))
assert all(x * y < 0 and abs(abs(y) - 1) < 1e-9 for x, y in zip(c, c[1:], strict=False))
# Drill 3: without momentum lr = 0.7 diverges; with momentum 0.9 it converges.
assert momentum_runs["A"][-1] > 1e6 * momentum_runs["A"][0]
assert momentum_runs["B"][-1] < 0.1 * momentum_runs["B"][0]

# %% Figures (one per drill; the curves are named A, B, C only)
fig, ax = plt.subplots()
for name, losses in limit_runs.items():
    ax.plot(losses, label=name)
ax.set(yscale="log", xlabel="step", ylabel="loss", title="Three rates, one quadratic")
ax.legend(loc="upper left")

fig, ax = plt.subplots()
for name, steep in steep_runs.items():
    ax.plot(steep, marker="o", markersize=4, label=name)
ax.set(xlabel="step", ylabel="steep coordinate w2", title="Three rates, one quadratic")
ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.18), ncols=3)

fig, ax = plt.subplots()
for name, losses in momentum_runs.items():
    ax.plot(losses, label=name)
ax.set(yscale="log", xlabel="step", ylabel="loss", title="Two runs at lr = 0.7")
ax.legend(loc="upper left")
plt.show()
