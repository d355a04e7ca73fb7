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
CYCLE = 40  # step_size_up + step_size_down (= step_size_up by default)
peak = max(range(CYCLE), key=lrs.__getitem__)
second_peak = CYCLE + max(range(CYCLE), key=lambda s: lrs[CYCLE + s])
start, peak_lr, bottom = lrs[0], lrs[peak], lrs[CYCLE]
second_peak_lr = lrs[second_peak]
low_momentum, bottom_momentum = momenta[peak], momenta[CYCLE]

# %% Checks and figure
# What the page claims: 0.01 up to 0.1 at batch 20, back at 0.01 at batch 40; the
# second peak, 40 batches later, half as high above base_lr; the momentum lowest
# when the rate is highest, back to 0.9 at the bottom.
assert peak == 20 and abs(peak_lr - 0.1) < 1e-12 and abs(bottom - start) < 1e-12
assert second_peak == peak + CYCLE
assert abs((second_peak_lr - start) - (peak_lr - start) / 2) < 1e-12
assert min(momenta) == low_momentum and abs(low_momentum - 0.8) < 1e-12
assert abs(bottom_momentum - 0.9) < 1e-12

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
