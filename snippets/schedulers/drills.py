"""Curve-reading drills for the quiz: rates drawn by the schedulers alone."""

import matplotlib.pyplot as plt
import torch
from torch.optim import lr_scheduler


def optimizer() -> torch.optim.SGD:
    return torch.optim.SGD([torch.nn.Parameter(torch.zeros(1))], lr=0.1)


def rates(scheduler, calls: int, metrics=None) -> list[float]:
    """The rate before each of `calls` calls of scheduler.step()."""
    found = []
    for call in range(calls):
        found.append(scheduler.optimizer.param_groups[0]["lr"])
        scheduler.optimizer.step()
        scheduler.step(*([] if metrics is None else [metrics[call]]))
    return found


# Drill 1: CosineAnnealingLR(T_max=6) stepped once per epoch of 20 batches.
EPOCHS, BATCHES = 6, 20
cosine = lr_scheduler.CosineAnnealingLR(optimizer(), T_max=EPOCHS)
per_epoch = [lr for lr in rates(cosine, EPOCHS) for _batch in range(BATCHES)]
# Drill 2: one of four schedulers, stepped once per epoch for 100 epochs.
multistep = rates(lr_scheduler.MultiStepLR(optimizer(), [30, 80], gamma=0.1), 100)
steplr = rates(lr_scheduler.StepLR(optimizer(), step_size=30, gamma=0.1), 100)
# Drill 3: ReduceLROnPlateau(patience=3, factor=0.5) fed a validation loss.
val_loss = [1.0, 0.8, 0.66, 0.58, 0.53, 0.5, 0.52, 0.51, 0.505, 0.52, 0.5, 0.47]
val_loss += [0.45, 0.44, 0.43, 0.435, 0.44]
plateau = lr_scheduler.ReduceLROnPlateau(optimizer(), factor=0.5, patience=3)
plateau_rates = rates(plateau, len(val_loss), val_loss)
best_epoch = val_loss.index(0.5)  # the best before the cut (epochs from 0)
cut_epoch = next(e for e, lr in enumerate(plateau_rates) if lr < 0.1)
print(f"best at epoch {best_epoch}, first epoch at the lower rate: {cut_epoch}")

# %% Checks
# Drill 1: flat within every epoch, a new rate at every epoch boundary.
assert all(len(set(per_epoch[e * BATCHES : (e + 1) * BATCHES])) == 1 for e in range(6))
assert len(set(per_epoch)) == EPOCHS
# Drill 2: MultiStepLR cuts at epochs 30 and 80 only; StepLR(30) would cut at 60.
cuts = [e for e in range(1, 100) if multistep[e] < multistep[e - 1]]
assert cuts == [30, 80] and multistep[60] != steplr[60]
# Drill 3: the cut comes after patience + 1 = 4 epochs without a new best, and not
# after the single rise at epoch 6; the rate stays at the new value afterwards.
assert cut_epoch == best_epoch + 3 + 2  # the 4th bad epoch's step() cuts
assert all(v >= val_loss[best_epoch] for v in val_loss[best_epoch + 1 : cut_epoch])
assert set(plateau_rates[cut_epoch:]) == {0.05}

# %% Figures (one per drill)
fig, ax = plt.subplots()
ax.plot(range(EPOCHS * BATCHES), per_epoch, drawstyle="steps-post")
for epoch in range(1, EPOCHS):
    ax.axvline(epoch * BATCHES, color="grey", linewidth=0.6, linestyle=":")
ax.set(xlabel="optimizer step (20 per epoch)", ylabel="learning rate")
ax.set(title="One scheduler's rate")

fig, ax = plt.subplots()
ax.plot(multistep, drawstyle="steps-post")
ax.set(yscale="log", xlabel="epoch", ylabel="learning rate", title="One scheduler")

fig, (top, bottom) = plt.subplots(2, 1, sharex=True, layout="constrained")
top.plot(val_loss, marker="o", markersize=4)
top.set(ylabel="validation loss")
fig.suptitle("One run, epoch by epoch")
bottom.plot(plateau_rates, drawstyle="steps-post")
bottom.set(xlabel="epoch", ylabel="learning rate", ylim=(0, 0.11))
plt.show()
