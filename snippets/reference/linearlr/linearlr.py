"""LinearLR: a linear warmup, or a linear decay, of the learning rate."""

import matplotlib.pyplot as plt
import torch
from torch.optim.lr_scheduler import LinearLR

EPOCHS = 30
torch.manual_seed(0)
model = torch.nn.Linear(4, 1)
X, y = torch.randn(64, 4), torch.randn(64, 1)
batches = list(zip(X.split(16), y.split(16), strict=True))  # 4 batches per epoch


def schedule(**kwargs) -> list[float]:
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    scheduler = LinearLR(optimizer, **kwargs)
    lrs = []
    for _ in range(EPOCHS):
        lrs.append(scheduler.get_last_lr()[0])  # the rate this epoch trains with
        for inputs, targets in batches:
            optimizer.zero_grad()
            torch.nn.functional.mse_loss(model(inputs), targets).backward()
            optimizer.step()
        scheduler.step()  # once per epoch
    return lrs


warmup = schedule(start_factor=0.1, total_iters=10)
decay = schedule(start_factor=1.0, end_factor=0.0, total_iters=EPOCHS)
print("warmup:", ", ".join(f"{lr:.3g}" for lr in warmup[:12]), "...")
print("decay: ", ", ".join(f"{lr:.3g}" for lr in decay[-3:]), "(last 3 epochs)")

# A warmup cannot start from zero: start_factor must be in (0, 1].
try:
    LinearLR(torch.optim.SGD(model.parameters(), lr=0.1), start_factor=0.0)
except ValueError as err:
    refused = str(err)
    print(f"ValueError: {refused}")

warmup_start, warmup_added = warmup[0], warmup[1] - warmup[0]
warmup_done = next(e for e, lr in enumerate(warmup) if abs(lr - 0.1) < 1e-12)
decay_last = decay[-1]

# %% Checks and figure
# What the page claims: the warmup adds the same amount every epoch up to 0.1 at
# epoch 10, then holds it; the decay has not reached zero in the last epoch.
assert abs(warmup_start - 0.01) < 1e-12 and abs(warmup[10] - 0.1) < 1e-12
steps = [b - a for a, b in zip(warmup[:10], warmup[1:11], strict=True)]
assert all(abs(step - warmup_added) < 1e-12 for step in steps)
assert warmup_done == 10 and all(abs(lr - 0.1) < 1e-12 for lr in warmup[10:])
assert 0 < decay_last < decay[-2] and "greater than 0" in refused
# The edge the page names: total_iters=0 holds start_factor x lr for good.
edge = torch.optim.SGD([torch.nn.Parameter(torch.zeros(1))], lr=0.1)
stuck = LinearLR(edge, start_factor=0.5, total_iters=0)
for _ in range(3):
    edge.step()
    stuck.step()
assert stuck.get_last_lr()[0] == 0.05

fig, ax = plt.subplots()
ax.plot(range(EPOCHS), warmup, label="start_factor=0.1, total_iters=10 (warmup)")
ax.plot(
    range(EPOCHS),
    decay,
    label=f"start_factor=1.0, end_factor=0.0, total_iters={EPOCHS} (decay)",
)
ax.set(xlabel="epoch", ylabel="learning rate", title="LinearLR, lr=0.1")
ax.set_ylim(top=0.15)  # room for the legend
ax.legend(loc="upper right")
plt.show()
