"""ConstantLR: a lower learning rate for the first total_iters epochs, then base lr."""

import matplotlib.pyplot as plt
import torch
from torch.optim.lr_scheduler import ConstantLR

EPOCHS = 15
torch.manual_seed(0)
model = torch.nn.Linear(4, 1)
X, y = torch.randn(64, 4), torch.randn(64, 1)
batches = list(zip(X.split(16), y.split(16), strict=True))  # 4 batches per epoch
optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
scheduler = ConstantLR(optimizer, factor=0.25, total_iters=5)

lrs = []
for _ in range(EPOCHS):
    lrs.append(scheduler.get_last_lr()[0])  # the rate this epoch trains with
    for inputs, targets in batches:
        optimizer.zero_grad()
        torch.nn.functional.mse_loss(model(inputs), targets).backward()
        optimizer.step()
    scheduler.step()  # once per epoch

print("lr per epoch:", ", ".join(f"{lr:g}" for lr in lrs))
assert lrs[:5] == [0.025] * 5 and lrs[5:] == [0.1] * (EPOCHS - 5)

fig, ax = plt.subplots()
ax.plot(range(EPOCHS), lrs, drawstyle="steps-post", marker="o")
ax.set(
    xlabel="epoch",
    ylabel="learning rate",
    title="ConstantLR(factor=0.25, total_iters=5), lr=0.1",
)
plt.show()
