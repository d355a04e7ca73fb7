"""LambdaLR: lr = base lr x a function of the step; here warmup, then 1/sqrt(step)."""

import matplotlib.pyplot as plt
import torch
from torch.optim.lr_scheduler import LambdaLR

EPOCHS, WARMUP = 25, 20  # 4 batches per epoch: 100 steps, 20 of them warmup
torch.manual_seed(0)
model = torch.nn.Linear(4, 1)
X, y = torch.randn(64, 4), torch.randn(64, 1)
batches = list(zip(X.split(16), y.split(16), strict=True))
optimizer = torch.optim.AdamW(model.parameters(), lr=1e-3)


def warmup_then_inverse_sqrt(step: int) -> float:
    """The factor for the lr of step `step` (0, 1, 2, ...): peak 1 at step WARMUP-1."""
    return min((step + 1) / WARMUP, (WARMUP / (step + 1)) ** 0.5)


scheduler = LambdaLR(optimizer, lr_lambda=warmup_then_inverse_sqrt)

lrs = []
for _ in range(EPOCHS):
    for inputs, targets in batches:
        lrs.append(scheduler.get_last_lr()[0])  # the rate this batch trains with
        optimizer.zero_grad()
        torch.nn.functional.mse_loss(model(inputs), targets).backward()
        optimizer.step()
        scheduler.step()  # once per batch: the lambda counts batches

peak = max(range(len(lrs)), key=lrs.__getitem__)
half = next(s for s in range(peak, len(lrs)) if lrs[s] <= lrs[peak] / 2)
for step in (0, 9, peak, half, len(lrs) - 1):
    print(
        f"step {step:2d}: factor {warmup_then_inverse_sqrt(step):.3f}, "
        f"lr = {lrs[step]:.3g}"
    )
first_factor, first_lr = warmup_then_inverse_sqrt(0), lrs[0]
peak_lr, half_lr = lrs[peak], lrs[half]

# %% Checks and figure
# What the page claims: every rate is 1e-3 x the function; the peak is the
# optimizer's lr at the last warmup step, and it halves later.
assert all(
    abs(lr - 1e-3 * warmup_then_inverse_sqrt(s)) < 1e-15 for s, lr in enumerate(lrs)
)
assert peak == WARMUP - 1 and peak_lr == 1e-3 and abs(half_lr - 0.5e-3) < 1e-15

fig, ax = plt.subplots()
ax.plot(range(len(lrs)), lrs)
ax.set(
    xlabel="step (batch)",
    ylabel="learning rate",
    title="LambdaLR: 20-step warmup, then 1/sqrt(step); AdamW lr=1e-3",
)
plt.show()
