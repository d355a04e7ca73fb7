"""Layer-wise learning-rate decay (discriminative fine-tuning): one parameter group
per layer, each rate a fixed fraction of the one above. One scheduler moves them
all and keeps their ratios."""

import matplotlib.pyplot as plt
import torch
from torch.optim import lr_scheduler

torch.manual_seed(0)
model = torch.nn.Sequential(  # say, a pretrained body of three blocks and a new head
    torch.nn.Linear(8, 8), torch.nn.Linear(8, 8), torch.nn.Linear(8, 8),
    torch.nn.Linear(8, 2),
)  # fmt: skip
HEAD_LR, DECAY = 1e-3, 0.5  # each layer below the head gets half the rate above it
layers = list(model)
groups = [
    {"params": layer.parameters(), "lr": HEAD_LR * DECAY**depth}
    for depth, layer in enumerate(reversed(layers))  # depth 0 is the head
]
optimizer = torch.optim.AdamW(groups, weight_decay=0.01)
warmup = lr_scheduler.LinearLR(optimizer, start_factor=0.1, total_iters=10)
cosine = lr_scheduler.CosineAnnealingLR(optimizer, T_max=90)
scheduler = lr_scheduler.SequentialLR(optimizer, [warmup, cosine], milestones=[10])

rates = []  # per step, one rate per group
for _step in range(100):
    rates.append([group["lr"] for group in optimizer.param_groups])
    optimizer.step()  # ... a batch: zero_grad(), backward() ...
    scheduler.step()
start_rates = rates[0]
peak_rates = rates[10]
print("group (0 = head)   start      peak     end")
for n, row in enumerate(zip(*rates, strict=True)):
    print(f"{n:5d}           {row[0]:.2e}  {row[10]:.2e}  {row[-1]:.2e}")

# %% Checks and figure
for row in rates[:-1]:  # the ratios hold at every step (not at the final 0)
    assert all(abs(b / a - DECAY) < 1e-9 for a, b in zip(row, row[1:], strict=False))
assert peak_rates == [HEAD_LR * DECAY**d for d in range(4)]
# A floor is one number for every group: eta_min pulls the rates together.
rows = [{"params": [torch.zeros(1, requires_grad=True)], "lr": lr} for lr in rates[0]]
floored = torch.optim.AdamW(rows)
floor = lr_scheduler.CosineAnnealingLR(floored, T_max=90, eta_min=1e-4)
for _step in range(90):
    floored.step()
    floor.step()
assert all(abs(g["lr"] - 1e-4) < 1e-12 for g in floored.param_groups)  # no ratio

fig, ax = plt.subplots()
names = ["head", "block 3", "block 2", "block 1"]
for n, name in enumerate(names):
    ax.plot([row[n] for row in rates], label=f"{name}: peak {peak_rates[n]:.1e}")
ax.set_yscale("log")
ax.set(
    xlabel="optimizer step",
    ylabel="learning rate",
    title="One schedule, four groups, fixed ratios",
)
ax.legend(loc="lower left")
plt.show()
