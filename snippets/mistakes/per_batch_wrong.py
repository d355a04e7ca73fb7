"""Wrong: a scheduler whose step_size counts epochs, stepped after every batch."""

import matplotlib.pyplot as plt
import torch

EPOCHS, BATCHES = 90, 50
model = torch.nn.Linear(2, 1)


def rates(step_per_batch: bool) -> list[float]:
    """The rate at the start of each epoch."""
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    # Meant as "divide by 10 every 30 epochs".
    scheduler = torch.optim.lr_scheduler.StepLR(optimizer, step_size=30, gamma=0.1)
    lrs = []
    for _epoch in range(EPOCHS):
        lrs.append(optimizer.param_groups[0]["lr"])
        for _batch in range(BATCHES):
            optimizer.step()
            if step_per_batch:
                scheduler.step()  # wrong: 50 scheduler steps per epoch
        if not step_per_batch:
            scheduler.step()
    return lrs


wrong, planned = rates(step_per_batch=True), rates(step_per_batch=False)
for epoch in (0, 1, 2, 3, 30, 89):
    print(f"epoch {epoch:2d}: lr {wrong[epoch]:.1e}   (planned {planned[epoch]:.1e})")
lr_epoch_3, lr_end = wrong[3], wrong[-1]

# %% Checks and figure
# What the page claims: the rate collapses within a few epochs; by epoch 2 it is
# already a thousandth of the plan, and it ends far below anything useful.
assert abs(wrong[2] / planned[2] - 1e-3) < 1e-9 and lr_epoch_3 < 1e-4 * planned[3]
assert lr_end < 1e-100

fig, ax = plt.subplots()
# Steps drawn as steps: each rate holds for its whole epoch.
ax.step(range(EPOCHS), planned, where="post", label="planned: stepped once per epoch")
ax.step(range(EPOCHS), wrong, where="post", label="wrong: stepped once per batch")
ax.set_yscale("log")
ax.set_ylim(1e-9, 1)
off_chart = next(epoch for epoch, lr in enumerate(wrong) if lr < 1e-9)
ax.annotate(
    f"below the chart from epoch {off_chart}; {wrong[-1]:.0e} at epoch {EPOCHS - 1}",
    xy=(off_chart, 1e-9),
    xytext=(12, 1e-7),
    arrowprops={"arrowstyle": "->", "color": "C1"},
    color="C1",
)
ax.set(
    xlabel="epoch",
    ylabel="learning rate (log scale)",
    title="StepLR(step_size=30): stepped per epoch or per batch",
)
ax.legend()
plt.show()
