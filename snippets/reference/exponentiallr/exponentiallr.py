"""ExponentialLR: multiply the learning rate by gamma every epoch."""

import matplotlib.pyplot as plt
import torch
from torch.optim.lr_scheduler import ExponentialLR

EPOCHS = 50
torch.manual_seed(0)
model = torch.nn.Linear(4, 1)
X, y = torch.randn(64, 4), torch.randn(64, 1)
batches = list(zip(X.split(16), y.split(16), strict=True))  # 4 batches per epoch
optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
scheduler = ExponentialLR(optimizer, gamma=0.9)

lrs = []
for _ in range(EPOCHS):
    lrs.append(scheduler.get_last_lr()[0])  # the rate this epoch trains with
    for inputs, targets in batches:
        optimizer.zero_grad()
        torch.nn.functional.mse_loss(model(inputs), targets).backward()
        optimizer.step()
    scheduler.step()  # once per epoch

for epoch in (0, 1, 10, 22, 49):
    print(f"epoch {epoch:2d}: lr = {lrs[epoch]:.3g}")
assert abs(lrs[10] - 0.1 * 0.9**10) < 1e-12

fig, ax = plt.subplots()
ax.plot(range(EPOCHS), lrs)
ax.set_yscale("log")
ax.set(xlabel="epoch", ylabel="learning rate", title="ExponentialLR(gamma=0.9), lr=0.1")
plt.show()
