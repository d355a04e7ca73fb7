"""ReduceLROnPlateau: halve the lr when the validation loss stops improving."""

import matplotlib.pyplot as plt
import torch
from torch.optim.lr_scheduler import ReduceLROnPlateau

EPOCHS = 40
torch.manual_seed(0)
# Linear regression with noisy targets and features on different scales.
w_true = torch.randn(8, 1)
scale = torch.logspace(0, -1, 8)
X_train, X_val = torch.randn(256, 8) * scale, torch.randn(256, 8) * scale
y_train = X_train @ w_true + 0.1 * torch.randn(256, 1)
y_val = X_val @ w_true + 0.1 * torch.randn(256, 1)
model = torch.nn.Linear(8, 1)
optimizer = torch.optim.SGD(model.parameters(), lr=0.8)
scheduler = ReduceLROnPlateau(optimizer, mode="min", factor=0.5, patience=3, cooldown=2)

lrs, losses, best, ignored = [], [], [], []
for _ in range(EPOCHS):
    lrs.append(optimizer.param_groups[0]["lr"])  # the rate this epoch trains with
    for batch in torch.randperm(256).split(16):
        optimizer.zero_grad()
        loss = torch.nn.functional.mse_loss(model(X_train[batch]), y_train[batch])
        loss.backward()
        optimizer.step()
    with torch.no_grad():
        val_loss = torch.nn.functional.mse_loss(model(X_val), y_val).item()
    ignored.append(scheduler.in_cooldown)  # in cooldown, a bad epoch is not counted
    scheduler.step(val_loss)  # once per epoch, with the metric it watches
    losses.append(val_loss)
    best.append(scheduler.best)

epochs = range(EPOCHS)
bad = [e for e in epochs if losses[e] != best[e] and not ignored[e]]  # no new best
cuts = [e for e in epochs[1:] if lrs[e] < lrs[e - 1]]  # first epoch at a lower lr
print("bad epochs:", bad)
print("cooldown epochs:", [e for e in epochs if ignored[e]])
print("lr cut before epochs:", cuts, "-> lr", [lrs[e] for e in cuts])
print(f"val loss: epoch 0 {losses[0]:.4f}, best {min(losses):.4f}")
# %% The epochs around the first cut, values for the page, checks and figure
for e in range(cuts[0] - 6, cuts[0] + 3):
    print(
        f"epoch {e:2d}: lr {lrs[e]}  val {losses[e]:.4f}  best {best[e]:.4f}"
        + ("  bad" if e in bad else "")
        + ("  cooldown" if ignored[e] else "")
    )
cut_lrs = [lrs[e] for e in cuts]
first_cut = cuts[0]
best_loss = best[first_cut - 1]  # the best when the rate was first cut
best_epoch = best.index(best_loss)  # the epoch that set it
bad_run = [e for e in bad if best_epoch < e < first_cut]
cooldown_run = [e for e in epochs if ignored[e] and e < first_cut + scheduler.cooldown]
recount = first_cut + scheduler.cooldown  # the first epoch counted again

# What the page claims: after the best epoch, patience + 1 bad epochs in a row, then
# the cut; the cooldown epochs after it are worse than the best, yet not counted;
# counting starts again after them; four cuts, each halving the rate.
assert bad_run == list(range(best_epoch + 1, first_cut))
assert len(bad_run) == scheduler.patience + 1
assert cooldown_run == list(range(first_cut, recount))
assert all(losses[e] > best_loss for e in cooldown_run) and recount in bad
assert all(e - 4 in bad and e - 1 in bad for e in cuts)  # 4 bad in a row, then cut
assert len(cuts) == 4 and cut_lrs == [0.8 / 2**n for n in range(1, 5)]

fig, (ax_loss, ax_lr) = plt.subplots(2, 1, sharex=True, figsize=(7, 6))
ax_loss.plot(epochs, losses, color="C0", lw=1, label="validation loss")
ax_loss.plot(
    epochs, best, drawstyle="steps-post", ls="--", color="0.35", label="best so far"
)
ax_loss.plot(
    bad,
    [losses[e] for e in bad],
    "x",
    color="C1",
    label="bad epoch (patience=3: the 4th in a row cuts the lr)",
)
ax_loss.set(ylabel="validation loss (MSE)", title="The metric passed to step()")
ax_loss.legend(loc="upper right", fontsize=9)
ax_lr.plot(epochs, lrs, drawstyle="steps-post", color="C2", label="learning rate")
cooldowns = [e for e in epochs if ignored[e] and not (e > 0 and ignored[e - 1])]
for ax in (ax_loss, ax_lr):
    for start in cooldowns:  # the epochs right after a cut: not counted
        ax.axvspan(start - 0.5, start + 1.5, color="C4", alpha=0.25, lw=0)
ax_lr.axvspan(0, 0, color="C4", alpha=0.25, lw=0, label="cooldown=2 (not counted)")
ax_lr.set_yscale("log")
ax_lr.set_yticks(
    [0.8, 0.4, 0.2, 0.1, 0.05], labels=["0.8", "0.4", "0.2", "0.1", "0.05"]
)
ax_lr.minorticks_off()
ax_lr.set(
    xlabel="epoch",
    ylabel="learning rate",
    title="ReduceLROnPlateau(factor=0.5, patience=3, cooldown=2), lr=0.8",
)
ax_lr.legend(loc="upper right", fontsize=9)
plt.show()
