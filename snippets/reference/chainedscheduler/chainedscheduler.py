"""ChainedScheduler: every scheduler steps at once. Factors multiply; a cosine with
eta_min > 0 is not a factor, and the chain is no product."""

import math

import matplotlib.pyplot as plt
import torch
from torch.optim.lr_scheduler import (
    ChainedScheduler,
    ConstantLR,
    CosineAnnealingLR,
    ExponentialLR,
    ReduceLROnPlateau,
)

EPOCHS = 40
torch.manual_seed(0)
model = torch.nn.Linear(4, 1)
X, y = torch.randn(64, 4), torch.randn(64, 1)
batches = list(zip(X.split(16), y.split(16), strict=True))  # 4 batches per epoch
optimizer = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
# Every scheduler wraps the same optimizer.
low_start = ConstantLR(optimizer, factor=0.1, total_iters=20)
decay = ExponentialLR(optimizer, gamma=0.9)
scheduler = ChainedScheduler([low_start, decay], optimizer=optimizer)

lrs = []
for _ in range(EPOCHS):
    lrs.append(scheduler.get_last_lr()[0])  # the rate this epoch trains with
    for inputs, targets in batches:
        optimizer.zero_grad()
        torch.nn.functional.mse_loss(model(inputs), targets).backward()
        optimizer.step()
    scheduler.step()  # steps both: ConstantLR, then ExponentialLR

for epoch in (0, 1, 19, 20, 21, 39):
    print(f"epoch {epoch:2d}: lr = {lrs[epoch]:.5g}")
first, second, before_jump, after_jump = lrs[0], lrs[1], lrs[19], lrs[20]
jump = after_jump / before_jump  # x10 from ConstantLR, x0.9 from ExponentialLR
print(f"epoch 19 -> 20: x{jump:.3g}")

# %% A cosine with eta_min > 0 in a chain; a chain refuses ReduceLROnPlateau
# With eta_min > 0 a cosine step moves the rate towards eta_min: not a factor.
opt = torch.optim.SGD([torch.nn.Parameter(torch.zeros(1))], lr=0.1)
affine = ChainedScheduler(
    [ConstantLR(opt, factor=0.1, total_iters=5), CosineAnnealingLR(opt, 20, 0.05)]
)
cos_lrs = []
for _ in range(21):
    cos_lrs.append(affine.get_last_lr()[0])
    opt.step()  # (no gradient here: only the schedule matters)
    affine.step()
print("ConstantLR(0.1, 5) x CosineAnnealingLR(20, eta_min=0.05), lr=0.1:")
print(" ".join(f"{lr:.3f}" for lr in cos_lrs[:8]), "...")

try:
    ChainedScheduler([low_start, ReduceLROnPlateau(optimizer)])
except ValueError as err:
    refused = str(err)
    print(f"ValueError: {refused}")

# %% Checks and figures
# What the page claims: both factors from epoch 0 (0.05 x 0.1, then x 0.9 each
# epoch); at epoch 20 ConstantLR gives its 0.1 back while the decay goes on.
assert abs(first - 0.05 * 0.1) < 1e-15 and abs(second - first * 0.9) < 1e-15
assert abs(before_jump - 0.05 * 0.1 * 0.9**19) < 1e-12
assert abs(after_jump - 0.05 * 0.9**20) < 1e-12 and abs(jump - 10 * 0.9) < 1e-9
assert all(abs(lrs[e + 1] / lrs[e] - 0.9) < 1e-9 for e in range(20, EPOCHS - 1))
assert "does not support" in refused  # ReduceLROnPlateau is refused
# The cosine chain: it starts at 0.1 x 0.1, RISES during its "decay" (towards
# eta_min, which is above it), then ConstantLR's x10 lifts it above the base rate.
cos_start, cos_before, cos_jump = cos_lrs[0], cos_lrs[4], cos_lrs[5]
assert abs(cos_start - 0.01) < 1e-15
assert all(b > a for a, b in zip(cos_lrs[:4], cos_lrs[1:5], strict=True))
assert cos_before < 0.05 < 0.1 < cos_jump  # below eta_min, then above the base
# With eta_min = 0 the cosine is a factor, up to T_max; past it, the climb back
# ends at the full rate and drops the other factors (here ConstantLR's 0.1).
opt0 = torch.optim.SGD([torch.nn.Parameter(torch.zeros(1))], lr=0.1)
chain0 = ChainedScheduler(
    [ConstantLR(opt0, factor=0.1, total_iters=30), CosineAnnealingLR(opt0, 10)]
)
zero_lrs = []
for _ in range(21):
    zero_lrs.append(chain0.get_last_lr()[0])
    opt0.step()
    chain0.step()
for t in range(11):  # a product up to T_max: 0.1 x the cosine alone
    assert abs(zero_lrs[t] - 0.1 * 0.1 * (1 + math.cos(math.pi * t / 10)) / 2) < 1e-9
past_t_max = zero_lrs[20]
assert abs(past_t_max - 0.1) < 1e-9  # 0.1 at step 20, not 0.1 x 0.1: factor lost

fig, ax = plt.subplots()
ax.plot(range(EPOCHS), lrs, drawstyle="steps-post")
ax.axvline(20, color="0.5", lw=1)
ax.set_yscale("log")
ax.set(
    xlabel="epoch",
    ylabel="learning rate",
    title="ChainedScheduler: ConstantLR(factor=0.1, total_iters=20)\n"
    "x ExponentialLR(gamma=0.9); lr=0.05",
)

fig, ax = plt.subplots()
ax.plot(range(len(cos_lrs)), cos_lrs, drawstyle="steps-post", label="the chain")
product = [  # what the product of the two schedules would be
    (0.1 if t < 5 else 1.0) * (0.05 + 0.025 * (1 + math.cos(math.pi * t / 20)))
    for t in range(len(cos_lrs))
]
ax.plot(range(len(product)), product, "--", drawstyle="steps-post", label="a product")
ax.axhline(0.1, color="0.4", ls="--", lw=1, label="base rate, lr=0.1")
ax.axhline(0.05, color="0.4", ls=":", lw=1, label="eta_min=0.05")
ax.set_ylim(0, 0.21)  # room for the legend, above the lines
ax.legend(loc="upper right", ncols=2)
ax.set(
    xlabel="epoch",
    ylabel="learning rate",
    title="ChainedScheduler: ConstantLR(factor=0.1, total_iters=5)\n"
    "x CosineAnnealingLR(T_max=20, eta_min=0.05); lr=0.1",
)
plt.show()
