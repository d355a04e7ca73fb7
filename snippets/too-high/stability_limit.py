"""Gradient descent on a quadratic: below, at and above the limit
lr = 2 / lambda_max."""

from itertools import pairwise

import matplotlib.pyplot as plt
import torch

CURVATURES = torch.tensor([1.0, 4.0], dtype=torch.float64)  # Hessian eigenvalues
LIMIT = 2 / CURVATURES.max().item()  # 2 / 4 = 0.5
RATES = {"below": 0.9 * LIMIT, "at": LIMIT, "above": 1.1 * LIMIT}
STEPS = 30


def descend(lr: float) -> tuple[list[torch.Tensor], list[float]]:
    """Weights and loss L(w) = (1 * w1^2 + 4 * w2^2) / 2 at every step."""
    w = torch.tensor([3.0, 1.0], dtype=torch.float64, requires_grad=True)
    optimizer = torch.optim.SGD([w], lr=lr)
    path, losses = [w.detach().clone()], []
    for _ in range(STEPS):
        optimizer.zero_grad()
        loss = 0.5 * (CURVATURES * w**2).sum()
        loss.backward()
        optimizer.step()  # each coordinate is multiplied by (1 - lr * curvature)
        path.append(w.detach().clone())
        losses.append(loss.item())
    return path, losses


runs = {name: descend(lr) for name, lr in RATES.items()}
print(f"lambda_max = {CURVATURES.max().item():g}, limit 2/lambda_max = {LIMIT:g}")
print(f"loss after {STEPS} steps:")
for name, (_, losses) in runs.items():
    factor = 1 - RATES[name] * CURVATURES.max().item()
    print(
        f"lr = {RATES[name]:.3f} ({name:>5} the limit): w2 x{factor:+.2f} per step,"
        f" loss {losses[0]:.3g} -> {losses[-1]:.3g}"
    )

# What the page claims: below the limit it converges, at it the steep coordinate
# bounces between +1 and -1 for ever, above it the loss grows without bound.
below, at, above = (runs[name][1] for name in RATES)
assert below[-1] < 1e-4 * below[0]
assert all(abs(abs(w[1].item()) - 1) < 1e-12 for w in runs["at"][0])
assert above[-1] > 1000 * above[0]
assert all(b > a for a, b in pairwise(above[1:]))  # grows every step

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
fig.suptitle(f"Gradient descent converges only if lr < 2 / λmax = {LIMIT:g}")
plt.show()
