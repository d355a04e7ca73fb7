"""Right: create every group before the scheduler, and keep a group frozen with a
factor of 0 until it is its turn to train."""

import warnings

import torch
from torch.optim import lr_scheduler

backbone, head = torch.nn.Linear(4, 4), torch.nn.Linear(4, 1)
optimizer = torch.optim.SGD(
    [
        {"params": head.parameters(), "lr": 0.1},
        {"params": backbone.parameters(), "lr": 0.01},
    ]
)
UNFREEZE = 2  # the backbone trains from epoch 2 on
scheduler = lr_scheduler.LambdaLR(
    optimizer,
    [lambda epoch: 0.5**epoch, lambda epoch: 0.5**epoch if epoch >= UNFREEZE else 0.0],
)
rates = []
with warnings.catch_warnings():
    warnings.simplefilter("error")  # prove it: any warning here would raise
    for _epoch in range(4):
        rates.append([group["lr"] for group in optimizer.param_groups])
        optimizer.step()
        scheduler.step()
for epoch, (head_lr, backbone_lr) in enumerate(rates):
    print(f"epoch {epoch}: head {head_lr:g}, backbone {backbone_lr:g}")

# %% Checks
assert [r[1] for r in rates] == [0.0, 0.0, 0.0025, 0.00125]  # frozen, then on
