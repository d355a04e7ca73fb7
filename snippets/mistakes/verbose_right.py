"""Right: log the rate yourself, from get_last_lr()."""

import torch

model = torch.nn.Linear(2, 1)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
scheduler = torch.optim.lr_scheduler.StepLR(optimizer, step_size=2, gamma=0.1)
for epoch in range(4):
    optimizer.step()  # stands for an epoch of training
    scheduler.step()
    print(f"epoch {epoch}: next lr {scheduler.get_last_lr()[0]:.0e}")
