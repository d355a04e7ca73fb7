"""MultiStepLR: multiply the learning rate by gamma at chosen epochs."""

import matplotlib.pyplot as plt
import torch
from torch.optim.lr_scheduler import MultiStepLR

EPOCHS = 40
torch.manual_seed(0)
model = torch.nn.Linear(4, 1)
X, y = torch.randn(64, 4), torch.randn(64, 1)
batches = list(zip(X.split(16), y.split(16), strict=True))  # 4 batches per epoch


def schedule(milestones: list[int]) -> list[float]:
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    scheduler = MultiStepLR(optimizer, milestones=milestones, gamma=0.1)
    lrs = []
    for _ in range(EPOCHS):
        lrs.append(scheduler.get_last_lr()[0])  # the rate this epoch trains with
        for inputs, targets in batches:
            optimizer.zero_grad()
            torch.nn.functional.mse_loss(model(inputs), targets).backward()
            optimizer.step()
        scheduler.step()  # once per epoch
    return lrs


at_half = schedule([20, 30])  # drops at 50% and 75% of training
repeated = schedule([20, 20])  # a milestone listed twice counts twice
for epoch in (0, 19, 20, 30):
    print(
        f"epoch {epoch:2d}: [20, 30] -> {at_half[epoch]:.0e}   "
        f"[20, 20] -> {repeated[epoch]:.0e}"
    )
assert abs(repeated[20] - 0.1 * 0.1**2) < 1e-12  # gamma applied twice at 20

fig, ax = plt.subplots()
ax.plot(range(EPOCHS), at_half, drawstyle="steps-post", label="milestones=[20, 30]")
ax.plot(
    range(EPOCHS),
    repeated,
    drawstyle="steps-post",
    ls="--",
    label="milestones=[20, 20]",
)
ax.set_yscale("log")
ax.set(xlabel="epoch", ylabel="learning rate", title="MultiStepLR(gamma=0.1), lr=0.1")
ax.legend()
plt.show()
