"""Resume in this order: build the model, the optimizer and the scheduler as at the
start, then load the three states. A scheduler built after the optimizer's state is
loaded writes its own first rate over the loaded one."""

import torch
from torch.optim import lr_scheduler


def build():
    torch.manual_seed(0)
    model = torch.nn.Linear(2, 1)
    return model, torch.optim.SGD(model.parameters(), lr=0.1)


def warmup_cosine(optimizer):
    warmup = lr_scheduler.LinearLR(optimizer, start_factor=0.1, total_iters=2)
    cosine = lr_scheduler.CosineAnnealingLR(optimizer, T_max=6)
    return lr_scheduler.SequentialLR(optimizer, [warmup, cosine], milestones=[2])


def train(optimizer, scheduler, epochs) -> list[float]:
    rates = []
    for _epoch in epochs:
        rates.append(optimizer.param_groups[0]["lr"])
        optimizer.step()  # ... one epoch of batches ...
        scheduler.step()
    return rates


model, optimizer = build()
scheduler = warmup_cosine(optimizer)
planned = train(optimizer, scheduler, range(4))
checkpoint = {
    "model": model.state_dict(),
    "optimizer": optimizer.state_dict(),
    "scheduler": scheduler.state_dict(),
}
planned += train(optimizer, scheduler, range(4, 8))

# Right: build everything, then load model, optimizer and scheduler.
model, optimizer = build()
scheduler = warmup_cosine(optimizer)
model.load_state_dict(checkpoint["model"])
optimizer.load_state_dict(checkpoint["optimizer"])
scheduler.load_state_dict(checkpoint["scheduler"])
right = train(optimizer, scheduler, range(4, 8))

# Wrong: load the optimizer's state, then build the scheduler.
model, optimizer = build()
model.load_state_dict(checkpoint["model"])
optimizer.load_state_dict(checkpoint["optimizer"])
scheduler = warmup_cosine(optimizer)  # its warmup sets lr = 0.1 * start_factor
scheduler.load_state_dict(checkpoint["scheduler"])  # restores its counters only
wrong = train(optimizer, scheduler, range(4, 8))

print("epoch  planned  right order  wrong order")
for epoch, (p, r, w) in enumerate(zip(planned[4:], right, wrong, strict=True), 4):
    print(f"{epoch:5d}  {p:7.4f}  {r:11.4f}  {w:11.4f}")
wrong_ratio = planned[4] / wrong[0]

# %% Checks
assert right == planned[4:]
assert all(
    w < p / 5 for w, p in zip(wrong, planned[4:], strict=True)
)  # all far too low

# A cosine alone would hide the mistake: built after the load, it keeps the rate.
model, optimizer = build()
cosine = lr_scheduler.CosineAnnealingLR(optimizer, T_max=6)
cosine_planned = train(optimizer, cosine, range(4))
saved = (optimizer.state_dict(), cosine.state_dict())
cosine_planned += train(optimizer, cosine, range(4, 6))
model, optimizer = build()
optimizer.load_state_dict(saved[0])
cosine = lr_scheduler.CosineAnnealingLR(optimizer, T_max=6)  # the wrong order
cosine.load_state_dict(saved[1])
assert train(optimizer, cosine, range(4, 6)) == cosine_planned[4:]
