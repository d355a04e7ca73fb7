"""Right: save scheduler.state_dict() with the rest, and load it on resume."""

import torch


def make():
    model = torch.nn.Linear(2, 1)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=8)
    return model, optimizer, scheduler


def run(optimizer, scheduler, epochs):
    lrs = []
    for _epoch in range(epochs):
        lrs.append(optimizer.param_groups[0]["lr"])
        optimizer.step()  # stands for an epoch of training
        scheduler.step()
    return lrs


model, optimizer, scheduler = make()
straight = run(optimizer, scheduler, 8)  # the run without a break

model, optimizer, scheduler = make()
first = run(optimizer, scheduler, 4)
checkpoint = {
    "model": model.state_dict(),
    "optimizer": optimizer.state_dict(),
    "scheduler": scheduler.state_dict(),
}

model, optimizer, scheduler = make()
model.load_state_dict(checkpoint["model"])
optimizer.load_state_dict(checkpoint["optimizer"])
scheduler.load_state_dict(checkpoint["scheduler"])
second = run(optimizer, scheduler, 4)

print("without a break:", " ".join(f"{lr:.4f}" for lr in straight))
print("resumed:        ", " ".join(f"{lr:.4f}" for lr in first + second))

# %% Checks
assert first + second == straight
