"""Converging is not generalising: on a small noisy training set the training loss
falls towards zero while the validation loss turns round and rises."""

import matplotlib.pyplot as plt
import torch

generator = torch.Generator().manual_seed(0)


def make_data(n: int) -> tuple[torch.Tensor, torch.Tensor]:
    """Two overlapping clouds of points: no classifier can get every one right."""
    labels = torch.randint(2, (n,), generator=generator)
    centres = (2 * labels[:, None] - 1) * torch.tensor([1.0, 0.0])  # (-1, 0), (1, 0)
    return torch.randn(n, 2, generator=generator) + centres, labels


X_train, y_train = make_data(40)  # few examples: easy to memorise
X_val, y_val = make_data(500)  # held out: never used for a gradient
EPOCHS = 200

torch.manual_seed(0)
model = torch.nn.Sequential(
    torch.nn.Linear(2, 64),
    torch.nn.ReLU(),
    torch.nn.Linear(64, 64),
    torch.nn.ReLU(),
    torch.nn.Linear(64, 2),
)
optimizer = torch.optim.Adam(model.parameters(), lr=0.002)
train_losses, val_losses, val_accuracy = [], [], []
for _ in range(EPOCHS):
    optimizer.zero_grad()
    loss = torch.nn.functional.cross_entropy(model(X_train), y_train)
    loss.backward()
    optimizer.step()
    train_losses.append(loss.item())
    with torch.no_grad():
        logits = model(X_val)
        val_losses.append(torch.nn.functional.cross_entropy(logits, y_val).item())
        val_accuracy.append((logits.argmax(dim=1) == y_val).float().mean().item())

# %% The table, values for the page, checks and figure
best = min(range(EPOCHS), key=val_losses.__getitem__)
print("epoch  training loss  validation loss  validation accuracy")
for epoch in (best, EPOCHS - 1):
    print(
        f"{epoch + 1:>5} {train_losses[epoch]:>14.3f} {val_losses[epoch]:>16.3f}"
        f" {val_accuracy[epoch]:>20.1%}"
        + ("  <- best validation" if epoch == best else "")
    )
best_epoch, final_epoch = best + 1, EPOCHS
best_train, final_train = train_losses[best], train_losses[-1]
best_val, final_val = val_losses[best], val_losses[-1]
best_accuracy, final_accuracy = val_accuracy[best], val_accuracy[-1]
val_rise = final_val / best_val

# What the page claims: the training loss is lowest at the end; the validation loss
# is lowest early, long before the end, and highest at the end, several times its
# best; validation accuracy is lower at the end than at the best epoch.
assert final_train == min(train_losses) and final_train < 0.1 * best_train
assert best < EPOCHS // 4 and final_val == max(val_losses) and val_rise > 3
assert final_accuracy < best_accuracy

fig, ax = plt.subplots()
ax.plot(range(1, EPOCHS + 1), train_losses, label="training loss (40 examples)")
ax.plot(range(1, EPOCHS + 1), val_losses, label="validation loss (500 examples)")
ax.axvline(best + 1, color="0.5", linestyle="--", linewidth=1, label="best validation")
ax.set_yscale("log")
ax.set(
    xlabel="epoch",
    ylabel="cross-entropy loss",
    title="Training converges, validation gets worse",
)
ax.legend()
plt.show()
