"""SequentialLR: one scheduler after another, switching at the milestones."""

import matplotlib.pyplot as plt
import torch
from torch.optim.lr_scheduler import (
    ConstantLR,
    ExponentialLR,
    ReduceLROnPlateau,
    SequentialLR,
)

EPOCHS = 40
torch.manual_seed(0)
model = torch.nn.Linear(4, 1)
X, y = torch.randn(64, 4), torch.randn(64, 1)
batches = list(zip(X.split(16), y.split(16), strict=True))  # 4 batches per epoch
optimizer = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
# Every scheduler wraps the same optimizer.
first = ConstantLR(optimizer, factor=0.1, total_iters=20)
then = ExponentialLR(optimizer, gamma=0.9)
scheduler = SequentialLR(optimizer, schedulers=[first, then], milestones=[20])

lrs = []
for _ in range(EPOCHS):
    lrs.append(scheduler.get_last_lr()[0])  # the rate this epoch trains with
    for inputs, targets in batches:
        optimizer.zero_grad()
        torch.nn.functional.mse_loss(model(inputs), targets).backward()
        optimizer.step()
    scheduler.step()  # step only the SequentialLR, never the schedulers inside

for epoch in (0, 19, 20, 21, 22, 39):
    print(f"epoch {epoch:2d}: lr = {lrs[epoch]:.5g}")
low, restart, second, third, last = lrs[0], lrs[20], lrs[21], lrs[22], lrs[-1]

# ReduceLROnPlateau needs a metric in step(), so it cannot be part of a sequence.
try:
    SequentialLR(optimizer, [first, ReduceLROnPlateau(optimizer)], milestones=[20])
except ValueError as err:
    refused = str(err)
    print(f"ValueError: {refused}")

# %% Checks and figure
# What the page claims: 0.05 x 0.1 for epochs 0 to 19, then the exponential decay
# starts afresh from the initial 0.05 at epoch 20, x 0.9 every epoch; the
# ReduceLROnPlateau is refused.
assert lrs[:20] == [low] * 20 and abs(low - 0.05 * 0.1) < 1e-12
assert abs(restart - 0.05) < 1e-12
assert all(abs(lrs[e + 1] / lrs[e] - 0.9) < 1e-12 for e in range(20, EPOCHS - 1))
assert "does not support" in refused

fig, ax = plt.subplots()
ax.plot(range(EPOCHS), lrs, drawstyle="steps-post")
ax.axvline(20, color="0.5", lw=1)
ax.set_yscale("log")
ax.set(
    xlabel="epoch",
    ylabel="learning rate",
    title="SequentialLR: ConstantLR(factor=0.1, total_iters=20),\n"
    "then ExponentialLR(gamma=0.9) from epoch 20; lr=0.05",
)
plt.show()
