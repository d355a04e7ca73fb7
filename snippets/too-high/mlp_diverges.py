"""A small MLP whose loss becomes inf, then nan, at a too-high rate, and three fixes."""

import math

import matplotlib.pyplot as plt
import torch

generator = torch.Generator().manual_seed(0)
X = torch.randn(256, 2, generator=generator)  # synthetic regression data
y = torch.sin(3 * X[:, :1]) + 0.5 * X[:, 1:] ** 2
STEPS = 100


def train(lr: float, clip: float | None = None, warmup: int = 0, log: bool = False):
    torch.manual_seed(0)  # the same initial weights for every run
    model = torch.nn.Sequential(
        torch.nn.Linear(2, 64),
        torch.nn.ReLU(),
        torch.nn.Linear(64, 64),
        torch.nn.ReLU(),
        torch.nn.Linear(64, 1),
    )
    optimizer = torch.optim.SGD(model.parameters(), lr=lr)
    scheduler = None
    if warmup:  # the rate climbs from lr / 100 to lr over `warmup` steps
        scheduler = torch.optim.lr_scheduler.LinearLR(
            optimizer, start_factor=0.01, total_iters=warmup
        )
    losses = []
    for step in range(1, STEPS + 1):
        optimizer.zero_grad()
        loss = torch.nn.functional.mse_loss(model(X), y)
        loss.backward()
        # Returns the gradient norm before clipping; max_norm=inf only measures it.
        norm = torch.nn.utils.clip_grad_norm_(model.parameters(), clip or math.inf)
        if log and step <= 9:
            print(f"step {step}  loss {loss.item():<10.4g} grad norm {norm.item():.4g}")
        losses.append(loss.item())
        if loss.isnan():  # nothing recovers from nan: stop
            break
        optimizer.step()
        if scheduler:
            scheduler.step()
    return losses, model


print("Training log at lr = 1.0:")
diverged, _ = train(1.0, log=True)
print(f"-> stopped at step {len(diverged)}: loss is {diverged[-1]}\n")

runs = {
    "lr = 1.0": diverged,
    "lr = 0.3 (lower rate)": train(0.3)[0],
    "lr = 1.0, clip grad norm to 1": train(1.0, clip=1.0)[0],
}
runs["lr = 1.0, 30 warmup steps"], warm_model = train(1.0, warmup=30)
hidden = warm_model[:4](X)  # the second hidden layer's ReLU outputs
alive = (hidden > 0).any(dim=0).sum().item()
for name, losses in runs.items():
    print(f"{name:<30} loss after {len(losses):>3} steps: {losses[-1]:.3g}")
print(f"warmup run: {alive} of 64 units in the second hidden layer still fire")

# What the page claims: the loss climbs every step until it is nan; a lower rate or
# clipping keeps every loss finite and ends well below the start; warmup alone does
# not: it ends flat at a loss higher than where it started, its ReLUs dead.
assert math.isnan(diverged[-1])
assert diverged[1:-1] == sorted(diverged[1:-1])
for name in ("lr = 0.3 (lower rate)", "lr = 1.0, clip grad norm to 1"):
    assert all(math.isfinite(v) for v in runs[name]) and len(runs[name]) == STEPS
    assert runs[name][-1] < 0.5 * runs[name][0]
warm = runs["lr = 1.0, 30 warmup steps"]
assert warm[-1] > warm[0] and max(warm[-20:]) - min(warm[-20:]) < 1e-4
assert alive == 0  # every unit outputs 0 for every input: no gradient flows

fig, ax = plt.subplots()
for name, losses in runs.items():
    label = name
    if name == "lr = 1.0":  # most of this run is above the chart
        label = f"lr = 1.0 ({diverged[5]:.0e} at step 6, then nan)"
    ax.plot(range(1, len(losses) + 1), losses, label=label)
ax.set_yscale("log")
ax.set_ylim(0.1, 1e4)  # the diverging run leaves the chart upwards
ax.set(
    xlabel="step",
    ylabel="training loss (MSE)",
    title="An MLP at a too-high rate, and three fixes",
)
ax.legend()
plt.show()
