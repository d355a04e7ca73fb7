"""Wrong: scheduler.step() before optimizer.step() skips the schedule's first rate.
Since PyTorch 1.1, the scheduler steps after the optimizer."""

import torch

model = torch.nn.Linear(2, 1)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
scheduler = torch.optim.lr_scheduler.StepLR(optimizer, step_size=1, gamma=0.5)

used = []
for _epoch in range(4):
    scheduler.step()  # wrong place: before the optimizer has stepped
    used.append(optimizer.param_groups[0]["lr"])  # the rate this step will use
    optimizer.step()

planned = [0.1 * 0.5**epoch for epoch in range(4)]  # what StepLR is set up to do
print("epoch  rate used  rate planned")
for epoch, (lr, plan) in enumerate(zip(used, planned, strict=True)):
    print(f"{epoch:5d}  {lr:9.5f}  {plan:12.5f}")
assert used == [0.05, 0.025, 0.0125, 0.00625]  # 0.1 is never used
