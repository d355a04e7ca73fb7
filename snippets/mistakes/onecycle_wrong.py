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
expected = epochs * steps_per_epoch
batches = len(loader)
print(f"scheduler expects {expected} steps; the loader yields {batches} per epoch")
steps = 0
try:
    for _epoch in range(epochs):
        for x, y in loader:
            optimizer.zero_grad()
            torch.nn.functional.mse_loss(model(x), y).backward()
            optimizer.step()
            steps += 1  # the optimizer step about to be followed by scheduler.step()
            scheduler.step()
except ValueError as err:
    print(f"ValueError: {err}")
failed_step, loop_steps = steps, epochs * batches
failed_epoch = (failed_step - 1) // batches + 1
print(f"raised on step {failed_step} of {loop_steps}, in epoch {failed_epoch}")
# What the page claims: the first step past the planned ones raises, and only in
# the last epoch, when nearly all the compute has been spent.
assert failed_step == expected + 1 and failed_epoch == epochs
