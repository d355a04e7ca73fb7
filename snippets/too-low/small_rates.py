"""The MLP from the previous page trained with ever smaller rates: slow progress."""

from itertools import pairwise

import matplotlib.pyplot as plt
import torch

torch.set_num_threads(1)  # a small model: more threads only add overhead
generator = torch.Generator().manual_seed(0)
X = torch.randn(256, 2, generator=generator)  # the same synthetic data
y = torch.sin(3 * X[:, :1]) + 0.5 * X[:, 1:] ** 2
RATES = [0.1, 0.03, 0.01, 0.003]
STEPS = 250
TARGET = 0.5  # "good enough" for this comparison


def train(lr: float) -> list[float]:
    torch.manual_seed(0)  # the same initial weights for every rate
    model = torch.nn.Sequential(
        torch.nn.Linear(2, 64),
        torch.nn.ReLU(),
        torch.nn.Linear(64, 64),
        torch.nn.ReLU(),
        torch.nn.Linear(64, 1),
    )
    optimizer = torch.optim.SGD(model.parameters(), lr=lr)
    losses = []
    for _ in range(STEPS):
        optimizer.zero_grad()
        loss = torch.nn.functional.mse_loss(model(X), y)
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    return losses


runs = {lr: train(lr) for lr in RATES}
reached = {}
header = f"{'lr':>6} {'loss after 50':>14} {f'after {STEPS}':>10}"
print(f"{header} {f'steps to loss < {TARGET}':>20}")
for lr, losses in runs.items():
    reached[lr] = next((i + 1 for i, v in enumerate(losses) if v < TARGET), None)
    when = reached[lr] or f"not in {STEPS}"
    print(f"{lr:>6} {losses[49]:>14.3f} {losses[-1]:>10.3f} {when:>20}")

# %% Values for the page, checks and figure
steps_needed = [reached[lr] for lr in RATES[:3]]  # the rates that get there
fast_at_50, fast_final = runs[0.1][49], runs[0.1][-1]
spike = max(runs[0.1][reached[0.1] :])  # highest loss after first reaching TARGET
second_final, slowest_final = runs[0.03][-1], runs[0.003][-1]

# What the page claims: each 3x smaller rate needs about 3x more steps to reach the
# target, and the smallest one does not reach it at all in this budget: it ends
# worse than lr = 0.1 was after 50 steps, though still improving at every step.
# lr = 0.1 spikes back above 1 after reaching the target; the smaller rates never
# go up; by the end lr = 0.03 is close behind lr = 0.1.
assert all(2 < b / a < 4.5 for a, b in pairwise(steps_needed))
assert reached[0.003] is None and slowest_final > fast_at_50
assert spike > 1 and fast_final < second_final < 1.2 * fast_final
for lr in RATES[1:]:
    assert all(b < a for a, b in pairwise(runs[lr]))  # smooth: never a step up

fig, ax = plt.subplots()
for lr, losses in runs.items():
    ax.plot(range(1, STEPS + 1), losses, label=f"lr = {lr}")
ax.axhline(TARGET, color="0.5", linestyle="--", linewidth=1, label=f"loss {TARGET}")
ax.set_yscale("log")
ax.set(
    xlabel="step", ylabel="training loss (MSE)", title="Smaller rates, slower progress"
)
ax.set_ylim(top=5)  # room for the legend above the curves
ax.legend(loc="upper right", ncols=2)
plt.show()
