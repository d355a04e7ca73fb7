"""Reduce on plateau: ReduceLROnPlateau cuts the rate when the metric stalls."""

import matplotlib.pyplot as plt
import torch

model = torch.nn.Linear(10, 2)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
scheduler = torch.optim.lr_scheduler.ReduceLROnPlateau(
    optimizer, mode="min", factor=0.1, patience=2, min_lr=1e-4
)
val_losses = [1.0, 0.6, 0.45, 0.44, 0.45, 0.44, 0.44]  # stalls at 0.44
val_losses += [0.3, 0.29, 0.29, 0.29, 0.29, 0.28]  # and at 0.29
lrs, bad = [], []
for epoch, val_loss in enumerate(val_losses):  # stands for train + validate
    lrs.append(scheduler.get_last_lr()[0])  # the rate this epoch trains with
    optimizer.step()
    best = scheduler.best
    scheduler.step(val_loss)  # the metric is required
    improved = scheduler.best < best
    if not improved:
        bad.append(epoch)
    print(
        f"epoch {epoch:2d}: lr {lrs[-1]:.0e}, val loss {val_loss:.2f}"
        + ("" if improved else "  (no new best)")
    )

# %% Checks and figure
cuts = [e for e in range(1, len(lrs)) if lrs[e] < lrs[e - 1]]  # first epoch cut
last_lr = lrs[-1]
tie_epoch = next(e for e in bad if val_losses[e] == min(val_losses[:e]))
tie_loss = val_losses[tie_epoch]
# What the page claims: two cuts by 10x, each after patience + 1 = 3 epochs in a row
# without a new best, so the rate that trains stays high for 3 epochs after the loss
# stalls; a loss equal to the best is not an improvement (threshold=1e-4, relative).
assert cuts == [7, 12] and abs(last_lr - 1e-3) < 1e-12
assert all(abs(lrs[e] / lrs[e - 1] - 0.1) < 1e-9 for e in cuts)
assert bad == [4, 5, 6, 9, 10, 11] and scheduler.patience + 1 == 3
assert tie_epoch == 5 and tie_loss == min(val_losses[:5])  # a tie is a bad epoch

fig, (ax_loss, ax_lr) = plt.subplots(
    2, 1, sharex=True, figsize=(7, 5.5), layout="constrained"
)
epochs = range(len(val_losses))
ax_loss.plot(epochs, val_losses, "o-", label="validation loss")
ax_loss.plot(bad, [val_losses[e] for e in bad], "x", ms=10, mew=2, color="C1")
ax_loss.plot([], [], "x", color="C1", label="no new best (bad epoch)")
ax_loss.set(ylabel="validation loss", title="The metric passed to step()")
ax_loss.legend(loc="upper right")
# Epoch e trains at lrs[e] from e to e + 1: the last value gets its epoch too.
ax_lr.plot(range(len(lrs) + 1), lrs + lrs[-1:], drawstyle="steps-post", color="C2")
ax_lr.set(
    xlabel="epoch",
    ylabel="learning rate",
    yscale="log",
    title="ReduceLROnPlateau(factor=0.1, patience=2); SGD lr=0.1",
)
plt.show()
