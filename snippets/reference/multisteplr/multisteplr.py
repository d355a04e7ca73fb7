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
start, after_first, after_second = at_half[0], at_half[20], at_half[30]
after_repeated = repeated[20]
drops = [e for e in range(1, EPOCHS) if at_half[e] < at_half[e - 1]]
drops_repeated = [e for e in range(1, EPOCHS) if repeated[e] < repeated[e - 1]]

# %% Checks and figure
# What the page claims: [20, 30] drops by 10x at 20 and at 30; [20, 20] drops once,
# at 20, straight to 0.001: gamma applied twice.
assert drops == [20, 30] and drops_repeated == [20]
assert abs(after_first - 0.01) < 1e-12 and abs(after_second - 0.001) < 1e-12
assert abs(after_repeated - 0.1 * 0.1**2) < 1e-12

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
