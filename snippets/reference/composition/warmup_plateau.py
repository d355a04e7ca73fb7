"""A warmup before ReduceLROnPlateau: step the warmup yourself, then the plateau."""

import matplotlib.pyplot as plt
import torch
from torch.optim.lr_scheduler import LinearLR, ReduceLROnPlateau

WARMUP = 3
w = torch.nn.Parameter(torch.tensor([2.0]))
optimizer = torch.optim.SGD([w], lr=0.1)
warmup = LinearLR(optimizer, start_factor=0.1, total_iters=WARMUP)
plateau = ReduceLROnPlateau(optimizer, factor=0.5, patience=1)

lrs, val_losses = [], []
for epoch in range(8):
    lrs.append(optimizer.param_groups[0]["lr"])  # the rate this epoch trains with
    optimizer.zero_grad()
    loss = (w**2).sum()
    loss.backward()
    optimizer.step()
    val_loss = max(1.0, 3.0 - epoch)  # stands in for validation: falls, then stalls
    val_losses.append(val_loss)
    if epoch < WARMUP:
        warmup.step()
    else:
        plateau.step(val_loss)
    print(f"epoch {epoch}: lr {lrs[-1]:.4g}, val_loss {val_loss}")

# %% Checks and figure
warmup_start, warmup_end = lrs[0], lrs[WARMUP]
cuts = [e for e in range(1, len(lrs)) if lrs[e] < lrs[e - 1]]  # after the warmup
stalled = val_losses.index(min(val_losses))  # the first epoch at the stalled loss
# What the page claims: the warmup takes the rate from 0.01 to 0.1 in three epochs;
# after it, only the plateau (a stalled metric) changes the rate, by halving it.
assert abs(warmup_start - 0.01) < 1e-12 and abs(warmup_end - 0.1) < 1e-12
assert all(a < b for a, b in zip(lrs[:WARMUP], lrs[1 : WARMUP + 1], strict=True))
assert cuts and all(abs(lrs[e] / lrs[e - 1] - 0.5) < 1e-12 for e in cuts)
assert min(cuts) > WARMUP and stalled < WARMUP
assert all(loss == val_losses[stalled] for loss in val_losses[stalled:])

fig, (ax_loss, ax_lr) = plt.subplots(
    2, 1, sharex=True, figsize=(7, 5.5), layout="constrained"
)
epochs = range(len(lrs))
ax_loss.plot(epochs, val_losses, "o-")
ax_loss.set(ylabel="validation loss", title="The metric: falls, then stalls")
# Epoch e trains at lrs[e] from e to e + 1: the last value gets its epoch too.
ax_lr.plot(range(len(lrs) + 1), lrs + lrs[-1:], drawstyle="steps-post", color="C2")
for ax in (ax_loss, ax_lr):
    ax.axvspan(0, WARMUP, color="C4", alpha=0.25, lw=0)
ax_lr.axvspan(0, 0, color="C4", alpha=0.25, lw=0, label="warmup.step() (LinearLR)")
ax_lr.set(
    xlabel="epoch",
    ylabel="learning rate",
    title="LinearLR(start_factor=0.1, total_iters=3), then ReduceLROnPlateau",
)
ax_lr.legend(loc="lower right")
plt.show()
