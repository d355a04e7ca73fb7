"""StepLR: multiply the learning rate by gamma every step_size epochs."""

import matplotlib.pyplot as plt
import torch
from torch.optim.lr_scheduler import StepLR

EPOCHS = 40
torch.manual_seed(0)
model = torch.nn.Linear(4, 1)
X, y = torch.randn(64, 4), torch.randn(64, 1)
batches = list(zip(X.split(16), y.split(16), strict=True))  # 4 batches per epoch
optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
scheduler = StepLR(optimizer, step_size=10, gamma=0.1)

lrs = []
for _ in range(EPOCHS):
    lrs.append(scheduler.get_last_lr()[0])  # the rate this epoch trains with
    for inputs, targets in batches:
        optimizer.zero_grad()
        torch.nn.functional.mse_loss(model(inputs), targets).backward()
        optimizer.step()
    scheduler.step()  # once per epoch, after the optimizer steps

for epoch in (0, 9, 10, 19, 20, 30):
    print(f"epoch {epoch:2d}: lr = {lrs[epoch]:.0e}")
drops = [e for e in range(1, EPOCHS) if lrs[e] < lrs[e - 1]]
rates = [lrs[0]] + [lrs[e] for e in drops]  # 0.1, then one rate per drop

# %% Checks and figure
# What the page claims: one drop of gamma=0.1 every step_size=10 epochs, at 10, 20
# and 30, each the same factor (the same height on the log scale).
assert drops == [10, 20, 30] and lrs[:10] == [0.1] * 10
assert all(abs(b / a - 0.1) < 1e-9 for a, b in zip(rates, rates[1:], strict=False))

fig, ax = plt.subplots()
ax.plot(range(EPOCHS), lrs, drawstyle="steps-post")
ax.set_yscale("log")
ax.set(
    xlabel="epoch",
    ylabel="learning rate",
    title="StepLR(step_size=10, gamma=0.1), lr=0.1",
)
plt.show()
