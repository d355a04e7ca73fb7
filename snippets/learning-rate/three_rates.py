"""Gradient descent on L(w) = (w - 1)^2 with a too small, a good and a too large lr."""

from itertools import pairwise

import matplotlib.pyplot as plt
import torch

RATES = {"too small": 0.02, "good": 0.3, "too large": 1.05}
STEPS = 30


def train(lr: float) -> list[float]:
    # Start 3 away from the minimum w = 1; float64 keeps the tiny losses exact.
    w = torch.tensor(4.0, dtype=torch.float64, requires_grad=True)
    optimizer = torch.optim.SGD([w], lr=lr)
    losses = []
    for _ in range(STEPS):
        optimizer.zero_grad()
        loss = (w - 1) ** 2
        loss.backward()
        optimizer.step()  # w <- w - lr * dL/dw
        losses.append(loss.item())
    return losses


runs = {name: train(lr) for name, lr in RATES.items()}
for name, lr in RATES.items():
    losses = runs[name]
    print(f"lr={lr:<5} ({name:>9}): loss {losses[0]:.3g} -> {losses[-1]:.3g}")
start_loss = runs["good"][0]  # the same start for all three
small_final, good_final, large_final = (runs[name][-1] for name in RATES)

# %% Checks and figure
# What the page claims: the good rate falls by the same factor every step (a straight
# line on the log scale) and alone reaches the minimum in 30 steps; the small rate
# falls every step but is still far away; the large one grows every step.
good_factors = [b / a for a, b in pairwise(runs["good"])]
assert max(good_factors) / min(good_factors) < 1.001
assert good_final < 1e-20 and small_final > 0.5
assert all(b < a for a, b in pairwise(runs["too small"]))
assert all(b > a for a, b in pairwise(runs["too large"]))
assert large_final > 100 * start_loss

fig, ax = plt.subplots()
for name, lr in RATES.items():
    ax.plot(range(STEPS), runs[name], label=f"lr = {lr} ({name})")
ax.set_yscale("log")
ax.set(
    xlabel="step", ylabel="loss L(w)", title="Loss per step for three learning rates"
)
ax.legend()
plt.show()
