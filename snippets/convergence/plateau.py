"""Loss and gradient norm of a training run, with ReduceLROnPlateau watching the loss,
and the plateau rule written out by hand to check that it decides the same."""

import math

import matplotlib.pyplot as plt
import torch

generator = torch.Generator().manual_seed(0)
# The MLP data of the earlier pages, in float64: late in this run the rate is at the
# edge of stability, which would blow float32's rounding up into other epochs.
X = torch.randn(256, 2, generator=generator).double()
y = torch.sin(3 * X[:, :1]) + 0.5 * X[:, 1:] ** 2
EPOCHS, PATIENCE, THRESHOLD = 300, 10, 0.01

torch.manual_seed(0)
model = torch.nn.Sequential(
    torch.nn.Linear(2, 64),
    torch.nn.ReLU(),
    torch.nn.Linear(64, 64),
    torch.nn.ReLU(),
    torch.nn.Linear(64, 1),
).double()
optimizer = torch.optim.SGD(model.parameters(), lr=0.3)
scheduler = torch.optim.lr_scheduler.ReduceLROnPlateau(
    optimizer, mode="min", factor=0.5, patience=PATIENCE, threshold=THRESHOLD
)  # threshold_mode="rel" is the default

# The same rule by hand: an epoch counts as an improvement only if the metric beats
# the best so far by the relative threshold; more than PATIENCE bad epochs: reduce.
best, bad_epochs, predicted = math.inf, 0, []

losses, norms, rates, reduced = [], [], [], []
for epoch in range(1, EPOCHS + 1):  # one full-batch step per "epoch"
    optimizer.zero_grad()
    loss = torch.nn.functional.mse_loss(model(X), y)
    loss.backward()
    norm = torch.nn.utils.clip_grad_norm_(model.parameters(), math.inf)  # measure only
    optimizer.step()
    metric = loss.item()
    losses.append(metric)
    norms.append(norm.item())
    rates.append(optimizer.param_groups[0]["lr"])

    if metric < best * (1 - THRESHOLD):
        best, bad_epochs = metric, 0
    else:
        bad_epochs += 1
    if bad_epochs > PATIENCE:
        predicted.append(epoch)
        bad_epochs = 0

    before = optimizer.param_groups[0]["lr"]
    scheduler.step(metric)
    if optimizer.param_groups[0]["lr"] < before:
        reduced.append(epoch)

print(f"lr halved after epochs: {reduced}")
print(f"hand-written rule predicts: {predicted}")
for epoch in (1, 50, 100, 200, 300):
    print(
        f"epoch {epoch:>3}: loss {losses[epoch - 1]:.4f}  grad norm "
        f"{norms[epoch - 1]:.4f}  lr {rates[epoch - 1]:.4g}"
    )
first, second = reduced[:2]
low = min(range(first, second), key=norms.__getitem__)  # list index i is epoch i + 1
high = max(range(low, second), key=norms.__getitem__)
low_epoch, low_norm, high_epoch, high_norm = low + 1, norms[low], high + 1, norms[high]
print(f"gradient norm between the halvings: {low_norm:.3f} at epoch {low_epoch},")
print(f"then up to {high_norm:.3f} at epoch {high_epoch}")
loss_50, norm_50, final_loss, final_norm = losses[49], norms[49], losses[-1], norms[-1]
rises = [i + 1 for i in range(1, EPOCHS) if losses[i] > losses[i - 1]]  # epochs
rises_before = sum(epoch <= first for epoch in rises)
print(f"the loss rose in {rises_before} of the first {first} epochs")

# %% Checks and figure
# What the page claims: the hand-written rule is exactly torch's, and it halves the
# rate twice; the loss bounces before the first halving and then falls at every
# epoch until the gradient norm's low; the norm then climbs more than tenfold, with
# the loss, up to the second halving; at the end both still creep down.
assert reduced == predicted and len(reduced) == 2
assert rises_before > 10 and not any(first < epoch <= low_epoch for epoch in rises)
assert high_epoch == second and high_norm > 10 * low_norm
assert losses[high] > losses[low]
assert final_loss < losses[-50] and final_norm < norms[-50] and final_loss < loss_50

fig, (top, bottom) = plt.subplots(2, 1, figsize=(7, 6), layout="constrained")
top.plot(range(1, EPOCHS + 1), losses, label="training loss")
bottom.plot(range(1, EPOCHS + 1), norms, color="C1", label="gradient norm")
for ax in (top, bottom):
    for i, epoch in enumerate(reduced):
        label = "lr halved by ReduceLROnPlateau" if i == 0 else None
        ax.axvline(epoch, color="0.5", linestyle="--", linewidth=1, label=label)
    ax.set_yscale("log")
    ax.legend()
top.set(xlabel="epoch", ylabel="loss (MSE)", title="Training loss")
bottom.set(xlabel="epoch", ylabel="gradient norm (L2)", title="Gradient norm")
fig.suptitle("Watching a run converge, with ReduceLROnPlateau on the loss")
plt.show()
