"""Wrong: with GradScaler, optimizer.step() can be skipped, but the scheduler still
steps: the schedule runs ahead of the weights, one step per skip."""

import warnings

import torch

torch.manual_seed(0)
model = torch.nn.Linear(4, 1)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
scheduler = torch.optim.lr_scheduler.StepLR(optimizer, step_size=1, gamma=0.5)
scaler = torch.amp.GradScaler("cpu")  # on a GPU: GradScaler("cuda")

x, y = torch.randn(8, 4), torch.randn(8, 1)
batches = [
    x * 300,
    x / 10,
    x / 10,
    x * 300,
    x / 10,
]  # two batches whose gradients overflow float16
init_scale = scaler.get_scale()  # 65536 by default
used, skipped = [], []
print("step  loss scale  gradients  weights moved  lr used  lr next")
with warnings.catch_warnings(record=True) as caught:  # to count them below
    warnings.simplefilter("always")
    for step, xb in enumerate(batches):
        optimizer.zero_grad()
        with torch.autocast("cpu", dtype=torch.float16):  # on a GPU: "cuda"
            loss = torch.nn.functional.mse_loss(model(xb), y)
        scale = scaler.get_scale()
        scaler.scale(loss).backward()
        finite = all(p.grad.isfinite().all() for p in model.parameters())
        before = model.weight.detach().clone()
        lr = optimizer.param_groups[0]["lr"]
        scaler.step(optimizer)  # skips optimizer.step() if a gradient is inf or nan
        scaler.update()  # and then halves the scale
        scheduler.step()  # wrong: steps even when the optimizer did not
        moved = not torch.equal(before, model.weight)
        used.append(lr)
        skipped.append(not moved)
        grads = "finite" if finite else "inf/nan"
        print(f"{step:4d}  {scale:10.0f}  {grads:9s}  {moved!s:13s}  {lr:7.4f}", end="")
        print(f"  {optimizer.param_groups[0]['lr']:.4f}")

for warning in caught:  # what PyTorch said, once
    print(f"{warning.category.__name__}: {warning.message}")
first_lr, second_lr = used[0], used[1]
skips = sum(skipped)
real_steps = len(batches) - skips
scheduler_steps = scheduler.last_epoch

# %% Checks
assert skipped == [True, False, False, True, False]  # batches 0 and 3 overflowed
assert (first_lr, second_lr) == (0.1, 0.05)  # the rate moved on after a skipped step
assert scheduler_steps == len(batches) and real_steps == 3
# One warning, for the skip at the first step; the skip at step 3 is silent.
assert [str(w.message)[:65] for w in caught] == [
    "Detected call of `lr_scheduler.step()` before `optimizer.step()`."
]
