"""Warmup then cosine, per batch: SequentialLR (one after the other) and
ChainedScheduler (both at once, factors multiplied)."""

import matplotlib.pyplot as plt
import torch
from torch.optim.lr_scheduler import (
    ChainedScheduler,
    CosineAnnealingLR,
    LinearLR,
    SequentialLR,
)

EPOCHS, WARMUP = 20, 16  # 8 batches per epoch: 160 steps, the first 16 warm up
torch.manual_seed(0)
X, y = torch.randn(128, 4), torch.randn(128, 1)
batches = list(zip(X.split(16), y.split(16), strict=True))
TOTAL = EPOCHS * len(batches)


def sequential(optimizer):
    warmup = LinearLR(optimizer, start_factor=0.01, total_iters=WARMUP)
    cosine = CosineAnnealingLR(optimizer, T_max=TOTAL - WARMUP)  # the rest of the run
    return SequentialLR(optimizer, [warmup, cosine], milestones=[WARMUP])


def chained(optimizer):
    warmup = LinearLR(optimizer, start_factor=0.01, total_iters=WARMUP)
    cosine = CosineAnnealingLR(optimizer, T_max=TOTAL)  # the whole run
    return ChainedScheduler([warmup, cosine], optimizer=optimizer)


def train(make_scheduler) -> list[float]:
    torch.manual_seed(0)
    model = torch.nn.Linear(4, 1)
    optimizer = torch.optim.AdamW(model.parameters(), lr=1e-3)
    scheduler = make_scheduler(optimizer)  # every part wraps this one optimizer
    lrs = []
    for _ in range(EPOCHS):
        for inputs, targets in batches:
            lrs.append(optimizer.param_groups[0]["lr"])  # this batch's rate
            optimizer.zero_grad()
            torch.nn.functional.mse_loss(model(inputs), targets).backward()
            optimizer.step()
            scheduler.step()  # only the outer scheduler, once per batch
    return lrs


seq, chain = train(sequential), train(chained)
for step in (0, 8, 16, 88, 159):
    print(f"step {step:3d}: SequentialLR {seq[step]:.2e}  Chained {chain[step]:.2e}")
assert max(seq) == seq[WARMUP] == 1e-3  # the peak is the optimizer's lr
assert chain[WARMUP] < 1e-3  # the cosine was already decaying during warmup

# A part built on another optimizer is refused: they must share one.
model = torch.nn.Linear(4, 1)
optimizer = torch.optim.AdamW(model.parameters(), lr=1e-3)
other = torch.optim.AdamW(model.parameters(), lr=1e-3)
try:
    SequentialLR(
        optimizer,
        [LinearLR(optimizer), CosineAnnealingLR(other, T_max=10)],
        milestones=[5],
    )
except ValueError as err:
    print(f"ValueError: {str(err).split(' has ')[0]} ...")

fig, ax = plt.subplots()
ax.plot(range(TOTAL), seq, label="SequentialLR([warmup, cosine], milestones=[16])")
ax.plot(range(TOTAL), chain, ls="--", label="ChainedScheduler([warmup, cosine])")
ax.axvline(WARMUP, color="0.5", lw=1)
ax.set(
    xlabel="step (batch)",
    ylabel="learning rate",
    title="Warmup LinearLR(start_factor=0.01, total_iters=16) and\n"
    "CosineAnnealingLR over 160 steps; AdamW lr=1e-3",
)
ax.legend(loc="upper right")
plt.show()
