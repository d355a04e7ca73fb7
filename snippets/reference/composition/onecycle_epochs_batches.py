"""OneCycleLR over epochs x batches: steps_per_epoch must be len(loader)."""

import matplotlib.pyplot as plt
import torch
from torch.optim.lr_scheduler import OneCycleLR

EPOCHS, BATCH = 8, 16
torch.manual_seed(0)
dataset = torch.utils.data.TensorDataset(torch.randn(100, 4), torch.randn(100, 1))
loader = torch.utils.data.DataLoader(dataset, batch_size=BATCH, shuffle=True)
print(f"len(dataset) // BATCH = {len(dataset) // BATCH}, len(loader) = {len(loader)}")


def train(steps_per_epoch: int) -> list[float]:
    torch.manual_seed(0)
    model = torch.nn.Linear(4, 1)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    scheduler = OneCycleLR(
        optimizer, max_lr=0.1, epochs=EPOCHS, steps_per_epoch=steps_per_epoch
    )
    lrs = []
    for epoch in range(EPOCHS):
        for i, (inputs, targets) in enumerate(loader):
            lrs.append(optimizer.param_groups[0]["lr"])  # this batch's rate
            optimizer.zero_grad()
            torch.nn.functional.mse_loss(model(inputs), targets).backward()
            optimizer.step()
            try:
                scheduler.step()  # once per batch
            except ValueError as err:
                print(f"epoch {epoch}, batch {i}: ValueError: {err}")
                return lrs
    return lrs


right = train(steps_per_epoch=len(loader))  # 7 batches: the last one has 4 samples
short = train(steps_per_epoch=len(dataset) // BATCH)  # 6: one batch per epoch short
print(f"len(loader): {len(right)} batches trained, last lr {right[-1]:.1e}")
assert len(right) == EPOCHS * len(loader) and len(short) < len(right)

fig, ax = plt.subplots()
ax.plot(
    [s / len(loader) for s in range(len(right))],
    right,
    label="steps_per_epoch=len(loader) = 7",
)
ax.plot(
    [s / len(loader) for s in range(len(short))],
    short,
    ls="--",
    label="steps_per_epoch=len(dataset) // 16 = 6 (stops with ValueError)",
)
ax.set(
    xlabel="epoch (7 batches each)",
    ylabel="learning rate",
    title="OneCycleLR(max_lr=0.1, epochs=8, steps_per_epoch=...), per batch",
)
ax.set_ylim(top=0.13)  # room for the legend
ax.legend(loc="upper right")
plt.show()
