"""Right: step the scheduler only when GradScaler really stepped the optimizer.
A skipped step is one where update() lowered the scale."""

import warnings

import torch

torch.manual_seed(0)
model = torch.nn.Linear(4, 1)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
scheduler = torch.optim.lr_scheduler.StepLR(optimizer, step_size=1, gamma=0.5)
scaler = torch.amp.GradScaler("cpu")
growth_interval = scaler.get_growth_interval()  # good steps before it grows

x, y = torch.randn(8, 4), torch.randn(8, 1)
batches = [x * 300, x / 10, x / 10, x * 300, x / 10]  # the same batches
used, stepped = [], []
with warnings.catch_warnings():
    warnings.simplefilter("error")  # prove it: any warning here would raise
    for xb in batches:
        optimizer.zero_grad()
        with torch.autocast("cpu", dtype=torch.float16):
            loss = torch.nn.functional.mse_loss(model(xb), y)
        scaler.scale(loss).backward()
        used.append(optimizer.param_groups[0]["lr"])
        scale = scaler.get_scale()
        scaler.step(optimizer)
        scaler.update()
        optimizer_stepped = scaler.get_scale() >= scale  # lowered only on a skip
        if optimizer_stepped:
            scheduler.step()
        stepped.append(optimizer_stepped)

print("optimizer stepped:", stepped)
print("lr used:          ", used)
real_lrs = [lr for lr, ok in zip(used, stepped, strict=True) if ok]
print("lr of real steps: ", real_lrs)

# %% Checks
assert stepped == [False, True, True, False, True]
assert real_lrs == [0.1, 0.05, 0.025]  # the schedule's first three rates, in order
assert scheduler.last_epoch == 3  # one scheduler step per optimizer step
