"""CosineAnnealingWarmRestarts stepped every batch: pass the fractional epoch."""

import matplotlib.pyplot as plt
import torch
from torch.optim.lr_scheduler import CosineAnnealingWarmRestarts

EPOCHS = 12
torch.manual_seed(0)
X, y = torch.randn(160, 4), torch.randn(160, 1)
batches = list(zip(X.split(16), y.split(16), strict=True))  # 10 batches per epoch
iters = len(batches)


def train(fractional: bool) -> list[float]:
    torch.manual_seed(0)
    model = torch.nn.Linear(4, 1)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    scheduler = CosineAnnealingWarmRestarts(optimizer, T_0=4, T_mult=2)
    lrs = []
    for epoch in range(EPOCHS):
        for i, (inputs, targets) in enumerate(batches):
            lrs.append(optimizer.param_groups[0]["lr"])  # this batch's rate
            optimizer.zero_grad()
            torch.nn.functional.mse_loss(model(inputs), targets).backward()
            optimizer.step()
            if fractional:
                scheduler.step(epoch + (i + 1) / iters)  # T_0 counts epochs
            else:
                scheduler.step()  # T_0 counts batches: restarts after 4, 12, 28...
    return lrs


right, wrong = train(fractional=True), train(fractional=False)
restart_epochs = [s / iters for s in range(1, len(right)) if right[s] > right[s - 1]]
print("fractional epochs: restarts at epochs", restart_epochs)
restart_batches = [s for s in range(1, len(wrong)) if wrong[s] > wrong[s - 1]]
print("plain step():      restarts at batches", restart_batches)
restarts_plain = len(restart_batches)

# %% Checks and figure
# What the page claims: with the fractional epoch the only restart in 12 epochs is
# at epoch 4.0 (the next is due at 12); with plain step() T_0 counts batches, so
# the periods are 4, 8, 16, 32 batches, most restarts in the middle of an epoch.
assert restart_epochs == [4.0]
assert restart_batches == [4, 12, 28, 60]
assert sum(s % iters != 0 for s in restart_batches) > restarts_plain / 2

steps = [s / iters for s in range(EPOCHS * iters)]
fig, ax = plt.subplots()
ax.plot(steps, right, label="scheduler.step(epoch + (i + 1) / iters)")
ax.plot(steps, wrong, lw=0.8, alpha=0.7, label="scheduler.step() every batch")
ax.set(
    xlabel="epoch (10 batches each)",
    ylabel="learning rate",
    title="CosineAnnealingWarmRestarts(T_0=4, T_mult=2) stepped every batch; lr=0.1",
)
ax.set_ylim(top=0.135)  # room for the legend
ax.legend(loc="upper right")
plt.show()
