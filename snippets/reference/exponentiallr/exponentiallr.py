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

under_a_hundredth = next(e for e, lr in enumerate(lrs) if lr < 0.01)
last_epoch = EPOCHS - 1
for epoch in (0, 1, 10, under_a_hundredth, last_epoch):
    print(f"epoch {epoch:2d}: lr = {lrs[epoch]:.3g}")
after_one, after_ten = lrs[1], lrs[10]
hundredth_lr, last = lrs[under_a_hundredth], lrs[-1]

# %% Checks and figure
# What the page claims: a straight line on the log scale (the same factor every
# epoch), more than two decades below the start at the end.
assert all(abs(b / a - 0.9) < 1e-12 for a, b in zip(lrs, lrs[1:], strict=False))
assert abs(after_ten - 0.1 * 0.9**10) < 1e-12 and lrs[0] / last > 100

fig, ax = plt.subplots()
ax.plot(range(EPOCHS), lrs)
ax.set_yscale("log")
ax.set(xlabel="epoch", ylabel="learning rate", title="ExponentialLR(gamma=0.9), lr=0.1")
plt.show()
