"""One-cycle: OneCycleLR's rate rises and falls once, and momentum mirrors it."""

import matplotlib.pyplot as plt
import torch

model = torch.nn.Linear(10, 2)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
epochs, steps_per_epoch = 5, 100
scheduler = torch.optim.lr_scheduler.OneCycleLR(
    optimizer, max_lr=0.1, epochs=epochs, steps_per_epoch=steps_per_epoch
)
lrs, momenta = [], []
for _ in range(epochs * steps_per_epoch):  # exactly this many steps, per batch
    lrs.append(scheduler.get_last_lr()[0])
    momenta.append(optimizer.param_groups[0]["momentum"])
    optimizer.step()
    scheduler.step()
print(f"lr {lrs[0]:.4f} -> {max(lrs):.4f} -> {lrs[-1]:.2e}")
print(f"momentum {momenta[0]:.2f} -> {min(momenta):.2f} -> {momenta[-1]:.2f}")

# %% Checks and figure
peak = lrs.index(max(lrs))
first_lr, peak_lr, last_lr = lrs[0], lrs[peak], lrs[-1]
below_start = first_lr / last_lr  # how far below its start the run ends
low_momentum = min(momenta)
# What the page claims: the rate starts at max_lr / 25, peaks at max_lr 30 % of the
# way in, and ends 1e4 times below its start; momentum is lowest (0.85) at the peak
# and back at 0.95 at both ends.
assert abs(first_lr - 0.1 / 25) < 1e-12 and abs(peak_lr - 0.1) < 1e-12
assert peak == round(0.3 * len(lrs)) - 1 and abs(below_start - 1e4) < 1e-6
assert momenta.index(low_momentum) == peak and low_momentum == 0.85
assert momenta[0] == 0.95 and abs(momenta[-1] - 0.95) < 1e-12

fig, (ax_lr, ax_m) = plt.subplots(
    2, 1, sharex=True, figsize=(7, 5.5), layout="constrained"
)
ax_lr.plot(range(len(lrs)), lrs, label="learning rate")
ax_lr.axhline(first_lr, color="0.6", lw=1, ls="--", label="the starting rate")
ax_lr.set(
    ylabel="learning rate",
    yscale="log",
    title="OneCycleLR(max_lr=0.1, epochs=5, steps_per_epoch=100)",
)
ax_lr.legend(loc="lower left")
ax_m.plot(range(len(momenta)), momenta, color="C1")
ax_m.set(
    xlabel="step (batch)",
    ylabel="SGD momentum",
    title="Momentum cycles the opposite way (0.95 to 0.85 and back)",
)
plt.show()
