"""Loss and gradient norm of a training run, with ReduceLROnPlateau watching the loss,
and the plateau rule written out by hand to check that it decides the same."""

import math

import matplotlib.pyplot as plt
import torch

generator = torch.Generator().manual_seed(0)
X = torch.randn(256, 2, generator=generator)  # the MLP data of the earlier pages
y = torch.sin(3 * X[:, :1]) + 0.5 * X[:, 1:] ** 2
EPOCHS, PATIENCE, THRESHOLD = 300, 10, 0.01

torch.manual_seed(0)
model = torch.nn.Sequential(
    torch.nn.Linear(2, 64),
    torch.nn.ReLU(),
    torch.nn.Linear(64, 64),
    torch.nn.ReLU(),
    torch.nn.Linear(64, 1),
)
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
print(f"gradient norm between the halvings: {norms[low]:.3f} at epoch {low + 1},")
print(f"then up to {norms[high]:.3f} at epoch {high + 1}")
assert reduced == predicted and len(reduced) >= 2  # the rule is exactly torch's
assert losses[-1] < 0.2 * losses[0]
assert norms[high] > 10 * norms[low]  # the rate became too high again

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
