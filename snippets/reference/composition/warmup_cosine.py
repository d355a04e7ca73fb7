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
MIDDLE = WARMUP + (TOTAL - WARMUP) // 2  # step 88: half way down the cosine


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
for step in (0, 8, WARMUP, MIDDLE, TOTAL - 1):
    print(f"step {step:3d}: SequentialLR {seq[step]:.2e}  Chained {chain[step]:.2e}")
seq_peak, seq_middle = seq[WARMUP], seq[MIDDLE]
chain_peak, chain_middle = chain[WARMUP], chain[MIDDLE]

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
    refused = str(err).split(" has ")[0]
    print(f"ValueError: {refused} ...")

# %% Checks and figure
# What the page claims: the sequential peak is the optimizer's lr, exactly at the
# end of the warmup, and half of it in the middle of the cosine; the chained curve
# peaks lower and stays below it; a part on another optimizer is refused.
assert max(seq) == seq_peak == 1e-3 and abs(seq_middle - 0.5e-3) < 1e-15
assert 0.9 * seq_peak < chain_peak < seq_peak and chain_middle < seq_middle
assert all(c <= s for c, s in zip(chain, seq, strict=True))
assert "same optimizer" in refused

fig, ax = plt.subplots()
ax.plot(range(TOTAL), seq, label="SequentialLR")
ax.plot(range(TOTAL), chain, ls="--", label="ChainedScheduler")
ax.axvline(WARMUP, color="0.5", lw=1)
ax.set(
    xlabel="step (batch)",
    ylabel="learning rate",
    title="Warmup LinearLR(start_factor=0.01, total_iters=16) and\n"
    "CosineAnnealingLR over 160 steps; AdamW lr=1e-3",
)
ax.legend(loc="lower left", bbox_to_anchor=(0.17, 0.02))  # under the curves
plt.show()
