"""Right: start from a small positive factor."""

import torch

model = torch.nn.Linear(2, 1)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
warmup = torch.optim.lr_scheduler.LinearLR(
    optimizer, start_factor=0.001, total_iters=100
)
lrs = []
for _step in range(101):
    lrs.append(optimizer.param_groups[0]["lr"])
    optimizer.step()
    warmup.step()
print("lr at steps 0, 1, 50, 100:", ", ".join(f"{lrs[i]:.1e}" for i in (0, 1, 50, 100)))
start_lr = lrs[0]
assert abs(start_lr - 0.001 * 0.1) < 1e-15  # start_factor times the rate
assert 0 < lrs[0] < lrs[1] < lrs[50] < lrs[100]
assert abs(lrs[100] - 0.1) < 1e-12  # warmup done: the full rate
