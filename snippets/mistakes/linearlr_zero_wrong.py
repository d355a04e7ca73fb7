"""Wrong: a warmup that starts from exactly zero."""

import torch

model = torch.nn.Linear(2, 1)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
try:
    warmup = torch.optim.lr_scheduler.LinearLR(
        optimizer, start_factor=0.0, total_iters=100
    )
except ValueError as err:
    print(f"ValueError: {err}")
