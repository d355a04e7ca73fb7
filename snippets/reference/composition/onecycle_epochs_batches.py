"""OneCycleLR over epochs x batches: steps_per_epoch must be len(loader)."""

import matplotlib.pyplot as plt
import torch
from torch.optim.lr_scheduler import OneCycleLR

EPOCHS, BATCH = 8, 16
torch.manual_seed(0)
dataset = torch.utils.data.TensorDataset(torch.randn(100, 4), torch.randn(100, 1))
loader = torch.utils.data.DataLoader(dataset, batch_size=BATCH, shuffle=True)
batches, floor_batches = len(loader), len(dataset) // BATCH  # 7 and 6
last_batch_size = len(dataset) - (batches - 1) * BATCH  # the partial one
print(f"len(dataset) // BATCH = {floor_batches}, len(loader) = {batches}")
stopped = []  # (epoch, batch, error) where a run stopped


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
                stopped.append((epoch, i, str(err)))
                return lrs
    return lrs


right = train(steps_per_epoch=batches)  # 7 batches: the last one has 4 samples
short = train(steps_per_epoch=floor_batches)  # 6: one batch per epoch short
print(f"len(loader): {len(right)} batches trained, last lr {right[-1]:.1e}")
# %% Values for the page, checks and figure
trained, last_lr = len(right), right[-1]
short_steps = EPOCHS * floor_batches  # the schedule OneCycleLR was told: 48 steps
stop_epoch, stop_batch, error = stopped[0]
last_epoch = EPOCHS - 1

# What the page claims: len(loader) runs every batch to the end of the cycle; with
# len(dataset) // BATCH, the step after the schedule's last raises, at the last
# batch of the next to last epoch, so the last epoch never runs.
assert len(stopped) == 1 and trained == EPOCHS * batches and last_lr < 1e-6
assert len(short) == short_steps + 1 and f"step {short_steps + 1} times" in error
assert f"total steps is {short_steps}" in error
assert stop_epoch == last_epoch - 1 and stop_batch == batches - 1
assert trained - len(short) == batches and 0 < last_batch_size < BATCH

fig, ax = plt.subplots()
ax.plot(
    [s / batches for s in range(len(right))],
    right,
    label=f"steps_per_epoch=len(loader) = {batches}",
)
ax.plot(
    [s / batches for s in range(len(short))],
    short,
    ls="--",
    label=f"steps_per_epoch=len(dataset) // 16 = {floor_batches} (stops: ValueError)",
)
ax.set(
    xlabel=f"epoch ({batches} batches each)",
    ylabel="learning rate",
    title="OneCycleLR(max_lr=0.1, epochs=8, steps_per_epoch=...), per batch",
)
ax.set_ylim(top=0.13)  # room for the legend
ax.legend(loc="upper right")
plt.show()
