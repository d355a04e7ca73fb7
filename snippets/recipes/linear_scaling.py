"""The linear scaling rule: 32 times the batch, 32 times the rate, with a warmup
from the small-batch rate over the first 5 epochs."""

import matplotlib.pyplot as plt
import torch

base_lr, base_batch = 0.1, 256  # a rate known to work at a batch size
batch = 8192
k = batch // base_batch  # 32 times the batch
lr = base_lr * k  # 32 times the rate: 3.2
steps_per_epoch = 1_281_167 // batch  # ImageNet's training set
warmup_steps = 5 * steps_per_epoch  # the first 5 epochs
model = torch.nn.Linear(10, 2)
optimizer = torch.optim.SGD(model.parameters(), lr=lr, momentum=0.9)
warmup = torch.optim.lr_scheduler.LinearLR(
    optimizer, start_factor=base_lr / lr, total_iters=warmup_steps
)
start = warmup.get_last_lr()[0]
print(f"lr {lr}: warmup from {start:.3f} over {warmup_steps} steps")
lrs = []
for _ in range(8 * steps_per_epoch):  # step once per batch
    lrs.append(warmup.get_last_lr()[0])
    optimizer.step()
    warmup.step()
print(f"step {warmup_steps}: lr {lrs[warmup_steps]:.3f}, then it stays")

# %% Checks and figure
# What the page claims: 32 times the batch gives 32 times the rate; the warmup starts
# at the small-batch rate and reaches the scaled one after 5 epochs, then holds it.
assert k == 32 and lr == 3.2 and abs(start - base_lr) < 1e-12
rising = lrs[: warmup_steps + 1]
assert all(a < b for a, b in zip(rising, rising[1:], strict=False))
assert all(abs(x - lr) < 1e-12 for x in lrs[warmup_steps:])

fig, ax = plt.subplots()
epochs = [s / steps_per_epoch for s in range(len(lrs))]
ax.plot(epochs, lrs, label=f"batch {batch}: warmup to {lr:g}")
ax.axhline(base_lr, color="C1", ls="--", label=f"batch {base_batch}: {base_lr:g}")
ax.set(
    xlabel=f"epoch ({steps_per_epoch} steps of batch {batch})",
    ylabel="learning rate",
    title="Linear scaling rule (Goyal et al.): SGD, ImageNet, 5-epoch warmup",
)
ax.legend(loc="center right")
plt.show()
