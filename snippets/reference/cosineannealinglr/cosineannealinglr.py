"""CosineAnnealingLR: a half cosine from the base lr down to eta_min."""

import matplotlib.pyplot as plt
import torch
from torch.optim.lr_scheduler import CosineAnnealingLR

EPOCHS = 40
torch.manual_seed(0)
model = torch.nn.Linear(4, 1)
X, y = torch.randn(64, 4), torch.randn(64, 1)
batches = list(zip(X.split(16), y.split(16), strict=True))  # 4 batches per epoch


def schedule(T_max: int, eta_min: float = 0.0) -> list[float]:
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    scheduler = CosineAnnealingLR(optimizer, T_max=T_max, eta_min=eta_min)
    lrs = []
    for _ in range(EPOCHS):
        lrs.append(scheduler.get_last_lr()[0])  # the rate this epoch trains with
        for inputs, targets in batches:
            optimizer.zero_grad()
            torch.nn.functional.mse_loss(model(inputs), targets).backward()
            optimizer.step()
        scheduler.step()  # once per epoch
    return lrs


right = schedule(T_max=EPOCHS, eta_min=1e-3)  # T_max = the whole run
short = schedule(T_max=15)  # T_max shorter than the run: the lr climbs back
print(f"T_max={EPOCHS}: epoch 20 -> {right[20]:.4f}, epoch 39 -> {right[39]:.4f}")
for epoch in (15, 22, 30, 39):
    print(f"T_max=15: epoch {epoch} -> {short[epoch]:.4f}")
half_way, last = right[20], right[-1]
bottom, climbing, back = short[15], short[22], short[30]

# %% Checks and figure
# What the page claims: T_max=40 is half way at epoch 20 and ends just above
# eta_min; T_max=15 reaches 0 at epoch 15, then climbs back to the full 0.1.
assert abs(half_way - (0.1 + 1e-3) / 2) < 1e-12 and 1e-3 < last < 1.5e-3
assert 0 <= bottom < 1e-12 and abs(back - 0.1) < 1e-12
assert all(a < b for a, b in zip(short[15:30], short[16:31], strict=True))

fig, ax = plt.subplots()
ax.plot(range(EPOCHS), right, label=f"T_max={EPOCHS}, eta_min=0.001")
ax.plot(range(EPOCHS), short, ls="--", label="T_max=15 (climbs again after epoch 15)")
ax.vlines(15, 0, max(short), color="0.5", lw=1)  # up to the peak, not the legend
ax.set(xlabel="epoch", ylabel="learning rate", title="CosineAnnealingLR, lr=0.1")
ax.set_ylim(top=0.15)  # room for the legend
ax.legend(loc="upper right")
plt.show()
