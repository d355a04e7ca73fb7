"""Right: build the scheduler with the default last_epoch=-1, then load its state;
the state holds last_epoch and the base rates."""

import warnings

import torch


def build():
    model = torch.nn.Linear(2, 1)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    scheduler = torch.optim.lr_scheduler.StepLR(optimizer, step_size=2, gamma=0.5)
    return model, optimizer, scheduler


model, optimizer, scheduler = build()
for _epoch in range(4):
    optimizer.step()
    scheduler.step()
checkpoint = {"optimizer": optimizer.state_dict(), "scheduler": scheduler.state_dict()}

with warnings.catch_warnings():
    warnings.simplefilter("error")  # prove it: any warning here would raise
    model, optimizer, scheduler = build()
    optimizer.load_state_dict(checkpoint["optimizer"])
    scheduler.load_state_dict(checkpoint["scheduler"])
resumed_epoch = scheduler.last_epoch
resumed_lr = optimizer.param_groups[0]["lr"]
print(f"resumed at last_epoch={resumed_epoch} with lr={resumed_lr}")

# %% Checks
assert (resumed_epoch, resumed_lr) == (4, 0.025)
