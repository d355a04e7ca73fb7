"""Right: optimizer.step() first, then scheduler.step(); no warning, no lost rate."""

import warnings

import torch

model = torch.nn.Linear(2, 1)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
scheduler = torch.optim.lr_scheduler.StepLR(optimizer, step_size=1, gamma=0.5)

used = []
with warnings.catch_warnings():
    warnings.simplefilter("error")  # prove it: any warning here would raise
    for _epoch in range(4):
        used.append(optimizer.param_groups[0]["lr"])  # the rate this step will use
        optimizer.step()
        scheduler.step()  # after the optimizer: sets the rate for the next epoch

print("rates used:", used)
assert used == [0.1, 0.05, 0.025, 0.0125]  # starts at the rate you asked for
