"""Right: take the number of steps from the loader itself."""

import torch

dataset = torch.utils.data.TensorDataset(torch.randn(1000, 2), torch.randn(1000, 1))
loader = torch.utils.data.DataLoader(dataset, batch_size=64)
model = torch.nn.Linear(2, 1)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
epochs = 3
scheduler = torch.optim.lr_scheduler.OneCycleLR(
    optimizer,
    max_lr=0.1,
    epochs=epochs,
    steps_per_epoch=len(loader),  # 16
)
used = []
for _epoch in range(epochs):
    for x, y in loader:
        optimizer.zero_grad()
        torch.nn.functional.mse_loss(model(x), y).backward()
        used.append(optimizer.param_groups[0]["lr"])
        optimizer.step()
        scheduler.step()
print(f"{len(used)} steps; lr {used[0]:.4f} -> {max(used):.4f} -> {used[-1]:.1e}")
assert len(used) == epochs * len(loader)
