"""PolynomialLR: decay the learning rate to zero over total_iters epochs."""

import matplotlib.pyplot as plt
import torch
from torch.optim.lr_scheduler import PolynomialLR

EPOCHS = 30
torch.manual_seed(0)
model = torch.nn.Linear(4, 1)
X, y = torch.randn(64, 4), torch.randn(64, 1)
batches = list(zip(X.split(16), y.split(16), strict=True))  # 4 batches per epoch


def schedule(**kwargs) -> list[float]:
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    scheduler = PolynomialLR(optimizer, **kwargs)
    lrs = []
    for _ in range(EPOCHS):
        lrs.append(scheduler.get_last_lr()[0])  # the rate this epoch trains with
        for inputs, targets in batches:
            optimizer.zero_grad()
            torch.nn.functional.mse_loss(model(inputs), targets).backward()
            optimizer.step()
        scheduler.step()  # once per epoch
    return lrs


curves = {
    "total_iters=30, power=1.0": schedule(total_iters=30, power=1.0),
    "total_iters=30, power=2.0": schedule(total_iters=30, power=2.0),
    "total_iters=30, power=0.5": schedule(total_iters=30, power=0.5),
    "defaults (total_iters=5, power=1.0)": schedule(),
}
for label, lrs in curves.items():
    print(f"{label:36} epoch 15: {lrs[15]:.4f}  epoch 29: {lrs[29]:.4f}")
defaults = curves["defaults (total_iters=5, power=1.0)"]
linear_half, square_half, root_half = (
    curves[f"total_iters=30, power={p}"][15] for p in ("1.0", "2.0", "0.5")
)

# %% Checks and figure
# What the page claims: half way, power=2.0 is below the straight line and
# power=0.5 above it; the defaults train at 0 from the sixth epoch (epoch 5) on.
assert square_half < linear_half < root_half and abs(linear_half - 0.05) < 1e-12
assert defaults[4] > 0 and defaults[5:] == [0.0] * (EPOCHS - 5)
# The edge the page names: total_iters=0 leaves the rate alone.
edge = torch.optim.SGD([torch.nn.Parameter(torch.zeros(1))], lr=0.1)
idle = PolynomialLR(edge, total_iters=0)
for _ in range(3):
    edge.step()
    idle.step()
assert idle.get_last_lr()[0] == 0.1

fig, ax = plt.subplots()
for label, lrs in curves.items():
    ax.plot(range(EPOCHS), lrs, label=label)
ax.set(xlabel="epoch", ylabel="learning rate", title="PolynomialLR, lr=0.1")
ax.set_ylim(top=0.14)  # room for the legend
ax.legend(loc="upper right")
plt.show()
