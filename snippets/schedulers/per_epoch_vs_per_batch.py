"""Epoch schedulers step once per epoch; batch schedulers once per optimizer step."""

import matplotlib.pyplot as plt
import torch
from torch.optim import lr_scheduler

EPOCHS, BATCHES = 6, 20  # 20 batches per epoch: 120 optimizer steps in all
params = [torch.nn.Parameter(torch.zeros(1))]

# StepLR counts epochs: step it once at the end of each epoch.
opt_a = torch.optim.SGD(params, lr=0.1)
per_epoch = lr_scheduler.StepLR(opt_a, step_size=2, gamma=0.5)
# CosineAnnealingLR with T_max in batches: step it after every optimizer.step().
opt_b = torch.optim.SGD(params, lr=0.1)
per_batch = lr_scheduler.CosineAnnealingLR(opt_b, T_max=EPOCHS * BATCHES)

lrs_a, lrs_b = [], []
for _epoch in range(EPOCHS):
    for _batch in range(BATCHES):
        lrs_a.append(opt_a.param_groups[0]["lr"])
        lrs_b.append(opt_b.param_groups[0]["lr"])
        opt_a.step()
        opt_b.step()
        per_batch.step()  # inside the batch loop
    per_epoch.step()  # outside it

print(f"StepLR, per epoch:  {lrs_a[0]:.3f} ... {lrs_a[-1]:.4f}")
cosine_last = lrs_b[-1]
print(f"cosine, per batch:  {lrs_b[0]:.3f} ... {cosine_last:.6f}")

# %% Checks and figure
# What the page claims: StepLR is flat within an epoch, three plateaus of two epochs;
# the cosine sets a new rate at every step and ends almost at zero.
assert all(len(set(lrs_a[e * BATCHES : (e + 1) * BATCHES])) == 1 for e in range(EPOCHS))
assert len(set(lrs_a)) == 3  # three plateaus of two epochs each
assert len(set(lrs_b)) == EPOCHS * BATCHES and cosine_last < 1e-3 * lrs_b[0]

steps = range(EPOCHS * BATCHES)
fig, ax = plt.subplots()
ax.plot(steps, lrs_a, drawstyle="steps-post", label="StepLR, stepped once per epoch")
ax.plot(steps, lrs_b, label="CosineAnnealingLR, stepped once per batch")
for epoch in range(1, EPOCHS):
    ax.axvline(epoch * BATCHES, color="grey", linewidth=0.6, linestyle=":")
ax.set(
    xlabel="optimizer step (20 per epoch)",
    ylabel="learning rate",
    title="Where scheduler.step() goes decides what a step means",
)
ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.18))  # below: off the lines
plt.show()
