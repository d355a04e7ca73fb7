"""StepLR in a training loop: the rate drops by 10x every 10 epochs."""

import matplotlib.pyplot as plt
import torch
from torch import nn

torch.manual_seed(0)
X = torch.randn(512, 8)
y = X @ torch.randn(8, 1) + 0.3 * torch.randn(512, 1)  # a noisy linear target


def train(use_steplr: bool) -> tuple[list[float], list[float]]:
    torch.manual_seed(1)  # same initial weights and batch order for both runs
    loader = torch.utils.data.DataLoader(
        torch.utils.data.TensorDataset(X, y), batch_size=32, shuffle=True
    )
    model = nn.Sequential(nn.Linear(8, 32), nn.ReLU(), nn.Linear(32, 1))
    optimizer = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
    scheduler = torch.optim.lr_scheduler.StepLR(optimizer, step_size=10, gamma=0.1)
    lrs, losses = [], []
    for _epoch in range(30):
        lrs.append(optimizer.param_groups[0]["lr"])
        total = 0.0
        for xb, yb in loader:
            optimizer.zero_grad()
            loss = nn.functional.mse_loss(model(xb), yb)
            loss.backward()
            optimizer.step()
            total += loss.item() * len(xb)
        losses.append(total / len(X))
        if use_steplr:
            scheduler.step()  # once per epoch, after the epoch's optimizer steps
    return lrs, losses


lrs, losses = train(use_steplr=True)
const_lrs, const_losses = train(use_steplr=False)

for epoch in (0, 9, 10, 19, 20, 29):
    print(f"epoch {epoch:2d}: lr {lrs[epoch]:.4f}, train loss {losses[epoch]:.4f}")


# %% Each stage's last epochs, values for the page, checks and figure
def last3(values: list[float], end: int) -> float:
    return sum(values[end - 3 : end]) / 3


stages = [last3(losses, end) for end in (10, 20, 30)]
print(
    "StepLR, mean loss of the last 3 epochs of each stage:",
    [f"{v:.4f}" for v in stages],
)
constant_last3 = last3(const_losses, 30)
print(f"constant lr 0.05, mean loss of epochs 27-29: {constant_last3:.4f}")
second_stage, third_stage = stages[1], stages[2]
bounces = sum(b > a for a, b in zip(const_losses[10:], const_losses[11:], strict=False))

# What the page claims: both runs are the same run for the first 10 epochs; then the
# StepLR run's loss falls at once, while the constant rate keeps bouncing and ends
# higher; the second drop gains far less than the first, near the noise variance 0.09.
assert losses[:10] == const_losses[:10] and losses[10] < 0.7 * losses[9]
assert bounces >= 3 and third_stage < 0.8 * constant_last3
assert stages[0] > second_stage > third_stage
assert second_stage - third_stage < 0.1 * (stages[0] - second_stage)
assert 0.5 * 0.3**2 < third_stage < 1.5 * 0.3**2

fig, (ax_lr, ax_loss) = plt.subplots(
    2, 1, sharex=True, figsize=(7, 5.5), layout="constrained"
)
ax_lr.step(range(30), lrs, where="post", label="StepLR(step_size=10, gamma=0.1)")
ax_lr.step(range(30), const_lrs, where="post", label="constant", color="C1")
ax_lr.set(xlabel="epoch", ylabel="learning rate", yscale="log", title="Learning rate")
ax_lr.tick_params(labelbottom=True)
ax_lr.legend()
ax_loss.plot(range(30), losses, label="StepLR(step_size=10, gamma=0.1)")
ax_loss.plot(range(30), const_losses, label="constant lr 0.05", color="C1")
ax_loss.set(
    xlabel="epoch", ylabel="training loss (MSE)", yscale="log", title="Training loss"
)
ax_loss.legend()
plt.show()
