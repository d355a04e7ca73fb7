"""Warmup, then cosine decay: SequentialLR hands over from LinearLR at step 50."""

import matplotlib.pyplot as plt
import torch
from torch.optim import lr_scheduler

model = torch.nn.Linear(10, 2)
optimizer = torch.optim.AdamW(model.parameters(), lr=3e-4, weight_decay=0.01)
total, warmup = 1000, 50  # optimizer steps, not epochs
scheduler = lr_scheduler.SequentialLR(
    optimizer,
    schedulers=[
        lr_scheduler.LinearLR(optimizer, start_factor=0.01, total_iters=warmup),
        lr_scheduler.CosineAnnealingLR(optimizer, T_max=total - warmup, eta_min=3e-6),
    ],
    milestones=[warmup],
)
lrs = []
for _ in range(total):  # step once per batch
    lrs.append(scheduler.get_last_lr()[0])  # the rate this batch trains with
    optimizer.step()
    scheduler.step()
peak = lrs.index(max(lrs))
print(f"{lrs[0]:.1e} -> peak {lrs[peak]:.1e} at step {peak} -> {lrs[-1]:.1e}")
first_lr, peak_lr, last_lr = lrs[0], lrs[peak], lrs[-1]
tenth = lrs[warmup + (total - warmup) // 10] / peak_lr  # a tenth into the cosine
fastest = max(range(peak, total - 1), key=lambda s: lrs[s] - lrs[s + 1])
print(f"a tenth into the cosine: {tenth:.1%} of the peak; fastest fall at {fastest}")

# %% Checks and figure
# What the page claims: the peak is the optimizer's lr, reached exactly at the end of
# the warmup; the cosine stays close to it at first and falls fastest in its middle,
# and the run ends at about eta_min, a hundred times below the peak.
assert peak == warmup and peak_lr == 3e-4 and abs(first_lr - 3e-6) < 1e-12
assert tenth > 0.95 and abs(fastest - (warmup + (total - warmup) / 2)) <= 2
assert 3e-6 <= last_lr < 1e-5

fig, ax = plt.subplots()
ax.plot(range(total), lrs)
ax.axvline(warmup, color="0.6", lw=1, ls=":")
ax.set(
    xlabel="step (batch)",
    ylabel="learning rate",
    title="LinearLR warmup (50 steps), then CosineAnnealingLR; AdamW lr=3e-4",
)
plt.show()
