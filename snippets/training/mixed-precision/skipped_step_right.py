"""Right: step the scheduler only when GradScaler really stepped the optimizer.
A skipped step is one where update() lowered the scale: with the for-loop, foreach
and fused implementations alike."""

import warnings

import torch

torch.manual_seed(0)
x, y = torch.randn(8, 4), torch.randn(8, 1)
batches = [x * 300, x / 10, x / 10, x * 300, x / 10]  # the same batches


def train(**implementation):
    """The right loop, with SGD(**implementation): the rates used, and which steps
    the optimizer really took."""
    torch.manual_seed(0)
    model = torch.nn.Linear(4, 1)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1, **implementation)
    scheduler = torch.optim.lr_scheduler.StepLR(optimizer, step_size=1, gamma=0.5)
    scaler = torch.amp.GradScaler("cpu")  # on a GPU: GradScaler("cuda")
    used, stepped = [], []
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # prove it: any warning here would raise
        for xb in batches:
            optimizer.zero_grad()
            with torch.autocast("cpu", dtype=torch.float16):  # on a GPU: "cuda"
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
    return used, stepped, scheduler.last_epoch, scaler.get_growth_interval()


used, stepped, scheduler_steps, growth_interval = train(foreach=False)
print("optimizer stepped:", stepped)
print("lr used:          ", used)
real_lrs = [lr for lr, ok in zip(used, stepped, strict=True) if ok]
print("lr of real steps: ", real_lrs)

# %% Checks, with the for-loop, foreach and fused SGD
assert stepped == [False, True, True, False, True]
assert real_lrs == [0.1, 0.05, 0.025]  # the schedule's first three rates, in order
assert scheduler_steps == 3  # one scheduler step per optimizer step
for implementation in [{"foreach": True}, {"fused": True}]:  # the same detection
    assert train(**implementation) == (used, stepped, 3, growth_interval)
