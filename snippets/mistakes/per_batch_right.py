"""Right: either step an epoch scheduler per epoch, or give it a length in batches."""

import torch

EPOCHS, BATCHES = 90, 50
model = torch.nn.Linear(2, 1)

# 1. Keep step_size in epochs and call scheduler.step() outside the batch loop.
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
scheduler = torch.optim.lr_scheduler.StepLR(optimizer, step_size=30, gamma=0.1)
per_epoch = []
for _epoch in range(EPOCHS):
    per_epoch.append(optimizer.param_groups[0]["lr"])
    for _batch in range(BATCHES):
        optimizer.step()
    scheduler.step()

# 2. Or step per batch, and say so in the scheduler's arguments.
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
scheduler = torch.optim.lr_scheduler.StepLR(
    optimizer, step_size=30 * BATCHES, gamma=0.1
)
per_batch = []
for _epoch in range(EPOCHS):
    per_batch.append(optimizer.param_groups[0]["lr"])
    for _batch in range(BATCHES):
        optimizer.step()
        scheduler.step()

print("lr at epochs 0, 30, 60, 89:", [f"{per_epoch[e]:.0e}" for e in (0, 30, 60, 89)])
assert all(abs(a - b) < 1e-12 for a, b in zip(per_epoch, per_batch, strict=True))
