"""ReduceLROnPlateau: cut the rate when the validation loss stops improving."""

import matplotlib.pyplot as plt
import torch
from torch import nn

torch.manual_seed(0)
X = torch.randn(600, 8)
y = torch.sin(X[:, :1] * 2) + X[:, 1:2] * X[:, 2:3] + 0.2 * torch.randn(600, 1)
X_train, y_train, X_val, y_val = X[:480], y[:480], X[480:], y[480:]  # held-out 20%
loader = torch.utils.data.DataLoader(
    torch.utils.data.TensorDataset(X_train, y_train), batch_size=32, shuffle=True
)

model = nn.Sequential(nn.Linear(8, 64), nn.ReLU(), nn.Linear(64, 1))
optimizer = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
scheduler = torch.optim.lr_scheduler.ReduceLROnPlateau(
    optimizer, mode="min", factor=0.3, patience=3, threshold=1e-3
)

lrs, val_losses = [], []
for _epoch in range(40):
    lrs.append(optimizer.param_groups[0]["lr"])
    model.train()
    for xb, yb in loader:
        optimizer.zero_grad()
        nn.functional.mse_loss(model(xb), yb).backward()
        optimizer.step()
    model.eval()
    with torch.no_grad():
        val_loss = nn.functional.mse_loss(model(X_val), y_val).item()
    val_losses.append(val_loss)
    scheduler.step(val_loss)  # the metric is required: it decides the next rate

cuts = [e for e in range(1, 40) if lrs[e] < lrs[e - 1]]
print("val loss per epoch:", " ".join(f"{v:.2f}" for v in val_losses))
print("rate cut before epochs:", cuts)
final_lr = lrs[-1]
print(f"lr {lrs[0]} -> {final_lr:.2e}")
# %% Values for the page, checks and figure
before = min(val_losses[: cuts[0]])
after = min(val_losses[cuts[0] :])
print(f"best val loss before the first cut {before:.3f}, after it {after:.3f}")
best_epoch = val_losses.index(before)  # epochs count from 0, as in the plot
bad_epochs = cuts[0] - 1 - best_epoch  # epochs after the best, up to the cut
bounce_high = max(val_losses[best_epoch + 1 : cuts[0]])
last_fast_epoch, first_cut_lr, second_cut = cuts[0] - 1, lrs[cuts[0]], cuts[1]

# What the page claims: the best epoch at the first rate is followed by patience + 1
# epochs without an improvement, then the cut; the smaller rate finds a clearly lower
# loss within three epochs; from the second cut on, cuts come every patience + 1
# epochs: the loss no longer improves at all.
assert bad_epochs == 3 + 1 and bounce_high > 1.5 * before
assert after < 0.9 * before and min(val_losses[cuts[0] : cuts[0] + 3]) < 1.05 * after
gaps = {b - a for a, b in zip(cuts[1:-1], cuts[2:], strict=True)}
assert len(cuts) >= 3 and gaps == {3 + 1}
assert min(val_losses[second_cut:]) > after  # no improvement after the second cut

fig, (ax_lr, ax_val) = plt.subplots(
    2, 1, sharex=True, figsize=(7, 5.5), layout="constrained"
)
ax_lr.step(range(40), lrs, where="post")
ax_lr.set(
    xlabel="epoch",
    ylabel="learning rate",
    yscale="log",
    title="ReduceLROnPlateau(factor=0.3, patience=3)",
)
ax_lr.tick_params(labelbottom=True)
ax_val.plot(range(40), val_losses, color="C1")
for cut in cuts:
    ax_val.axvline(cut, color="grey", linewidth=0.8, linestyle=":")
ax_val.set(xlabel="epoch", ylabel="validation loss (MSE)", title="Validation loss")
plt.show()
