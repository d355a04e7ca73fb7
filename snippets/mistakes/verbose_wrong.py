"""Wrong: verbose=True, from old tutorials; removed from every scheduler."""

import torch

model = torch.nn.Linear(2, 1)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
try:
    scheduler = torch.optim.lr_scheduler.StepLR(optimizer, step_size=10, verbose=True)
except TypeError as err:
    print(f"TypeError: {err}")
try:
    scheduler = torch.optim.lr_scheduler.ReduceLROnPlateau(optimizer, verbose=True)
except TypeError as err:
    print(f"TypeError: {err}")
