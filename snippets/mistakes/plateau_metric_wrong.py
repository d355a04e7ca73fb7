"""Wrong: ReduceLROnPlateau.step() without the metric it watches."""

import torch

model = torch.nn.Linear(2, 1)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
scheduler = torch.optim.lr_scheduler.ReduceLROnPlateau(optimizer, patience=2)
try:
    optimizer.step()
    scheduler.step()  # like every other scheduler... but this one needs a number
except TypeError as err:
    print(f"TypeError: {err}")
