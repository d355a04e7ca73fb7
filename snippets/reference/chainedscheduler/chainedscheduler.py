"""ChainedScheduler: every scheduler steps at once; their factors multiply."""

import matplotlib.pyplot as plt
import torch
from torch.optim.lr_scheduler import (
    ChainedScheduler,
    ConstantLR,
    ExponentialLR,
    ReduceLROnPlateau,
)

EPOCHS = 40
torch.manual_seed(0)
model = torch.nn.Linear(4, 1)
X, y = torch.randn(64, 4), torch.randn(64, 1)
batches = list(zip(X.split(16), y.split(16), strict=True))  # 4 batches per epoch
optimizer = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
# Every scheduler wraps the same optimizer.
low_start = ConstantLR(optimizer, factor=0.1, total_iters=20)
decay = ExponentialLR(optimizer, gamma=0.9)
scheduler = ChainedScheduler([low_start, decay], optimizer=optimizer)

lrs = []
for _ in range(EPOCHS):
    lrs.append(scheduler.get_last_lr()[0])  # the rate this epoch trains with
    for inputs, targets in batches:
        optimizer.zero_grad()
        torch.nn.functional.mse_loss(model(inputs), targets).backward()
        optimizer.step()
    scheduler.step()  # steps both: ConstantLR, then ExponentialLR

for epoch in (0, 1, 19, 20, 21, 39):
    print(f"epoch {epoch:2d}: lr = {lrs[epoch]:.5g}")
first, second, before_jump, after_jump = lrs[0], lrs[1], lrs[19], lrs[20]
jump = after_jump / before_jump  # x10 from ConstantLR, x0.9 from ExponentialLR
print(f"epoch 19 -> 20: x{jump:.3g}")

try:
    ChainedScheduler([low_start, ReduceLROnPlateau(optimizer)])
except ValueError as err:
    refused = str(err)
    print(f"ValueError: {refused}")

# %% Checks and figure
# What the page claims: both factors from epoch 0 (0.05 x 0.1, then x 0.9 each
# epoch); at epoch 20 ConstantLR gives its 0.1 back while the decay goes on.
assert abs(first - 0.05 * 0.1) < 1e-15 and abs(second - first * 0.9) < 1e-15
assert abs(before_jump - 0.05 * 0.1 * 0.9**19) < 1e-12
assert abs(after_jump - 0.05 * 0.9**20) < 1e-12 and abs(jump - 10 * 0.9) < 1e-9
assert all(abs(lrs[e + 1] / lrs[e] - 0.9) < 1e-9 for e in range(20, EPOCHS - 1))
assert "does not support" in refused  # ReduceLROnPlateau is refused

fig, ax = plt.subplots()
ax.plot(range(EPOCHS), lrs, drawstyle="steps-post")
ax.axvline(20, color="0.5", lw=1)
ax.set_yscale("log")
ax.set(
    xlabel="epoch",
    ylabel="learning rate",
    title="ChainedScheduler: ConstantLR(factor=0.1, total_iters=20)\n"
    "x ExponentialLR(gamma=0.9); lr=0.05",
)
plt.show()
