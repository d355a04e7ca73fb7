"""Gradient descent on L(w) = (w - 1)^2 with a too small, a good and a too large lr."""

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


fig, ax = plt.subplots()
for name, lr in RATES.items():
    losses = train(lr)
    print(f"lr={lr:<5} ({name:>9}): loss {losses[0]:.3g} -> {losses[-1]:.3g}")
    ax.plot(range(STEPS), losses, label=f"lr = {lr} ({name})")

# What the page claims: only the good rate reaches the minimum in 30 steps.
final = {name: train(lr)[-1] for name, lr in RATES.items()}
assert final["good"] < 1e-6 < final["too small"] < final["too large"]
assert final["too large"] > 9  # larger than the starting loss: it diverges

ax.set_yscale("log")
ax.set(
    xlabel="step", ylabel="loss L(w)", title="Loss per step for three learning rates"
)
ax.legend()
plt.show()
