"""Wrong: OneCycleLR told fewer steps than the loop takes."""

import torch

dataset = torch.utils.data.TensorDataset(torch.randn(1000, 2), torch.randn(1000, 1))
loader = torch.utils.data.DataLoader(dataset, batch_size=64)  # last batch: 40
model = torch.nn.Linear(2, 1)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
epochs = 3
steps_per_epoch = len(dataset) // 64  # 15, but the loader yields 16 batches
scheduler = torch.optim.lr_scheduler.OneCycleLR(
    optimizer, max_lr=0.1, epochs=epochs, steps_per_epoch=steps_per_epoch
)
print(f"scheduler expects {epochs * steps_per_epoch} steps")
try:
    for _epoch in range(epochs):
        for x, y in loader:
            optimizer.zero_grad()
            torch.nn.functional.mse_loss(model(x), y).backward()
            optimizer.step()
            scheduler.step()
except ValueError as err:
    print(f"ValueError: {err}")
