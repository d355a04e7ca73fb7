"""CyclicLR: the lr cycles between base_lr and max_lr, momentum the other way."""

import matplotlib.pyplot as plt
import torch
from torch.optim.lr_scheduler import CyclicLR

EPOCHS = 20  # 8 batches per epoch: 160 steps, a cycle every 40
torch.manual_seed(0)
model = torch.nn.Linear(4, 1)
X, y = torch.randn(128, 4), torch.randn(128, 1)
batches = list(zip(X.split(16), y.split(16), strict=True))
optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
scheduler = CyclicLR(
    optimizer,
    base_lr=0.01,
    max_lr=0.1,
    step_size_up=20,  # batches from base_lr up to max_lr
    mode="triangular2",  # halve the height of each new cycle
    base_momentum=0.8,
    max_momentum=0.9,
)

lrs, momenta = [], []
for _ in range(EPOCHS):
    for inputs, targets in batches:
        lrs.append(scheduler.get_last_lr()[0])  # the rate this batch trains with
        momenta.append(optimizer.param_groups[0]["momentum"])
        optimizer.zero_grad()
        torch.nn.functional.mse_loss(model(inputs), targets).backward()
        optimizer.step()
        scheduler.step()  # once per batch

for step in (0, 10, 20, 40, 60, 100, 140):
    print(f"step {step:3d}: lr = {lrs[step]:.4f}, momentum = {momenta[step]:.4f}")
assert abs(lrs[20] - 0.1) < 1e-12 and abs(lrs[60] - 0.055) < 1e-12  # peaks halve
assert abs(momenta[20] - 0.8) < 1e-12  # lowest momentum at the highest lr

fig, (ax_lr, ax_m) = plt.subplots(2, 1, sharex=True, figsize=(7, 5))
ax_lr.plot(range(len(lrs)), lrs)
ax_lr.set(
    ylabel="learning rate",
    title="CyclicLR(base_lr=0.01, max_lr=0.1, step_size_up=20, mode='triangular2')",
)
ax_m.plot(range(len(momenta)), momenta, color="C1")
ax_m.set(
    xlabel="step (batch)",
    ylabel="SGD momentum",
    title="momentum cycles inversely (base_momentum=0.8, max_momentum=0.9)",
)
plt.show()
