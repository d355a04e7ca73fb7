"""Right: get_lr() scales each group's current rate by this step's ratio, so in a
ChainedScheduler the factors multiply: LinearLR's warmup times the decay."""

import math

import torch
from torch.optim.lr_scheduler import ChainedScheduler, LinearLR, LRScheduler


class InverseSqrtLR(LRScheduler):
    def __init__(self, optimizer, timescale: int, last_epoch: int = -1):
        self.timescale = timescale
        super().__init__(optimizer, last_epoch)

    def factor(self, step: int) -> float:
        return math.sqrt(self.timescale / (step + self.timescale))

    def get_lr(self) -> list[float]:  # from the current rate: chainable
        step = self.last_epoch  # 0 at the start: a ratio of 1
        ratio = self.factor(step) / self.factor(max(step - 1, 0))
        return [group["lr"] * ratio for group in self.optimizer.param_groups]


LR, WARMUP = 1e-3, 10
optimizer = torch.optim.AdamW(torch.nn.Linear(4, 1).parameters(), lr=LR)
warmup = LinearLR(optimizer, start_factor=0.1, total_iters=WARMUP)
scheduler = ChainedScheduler([warmup, InverseSqrtLR(optimizer, timescale=WARMUP)])
rates = []
for _step in range(40):
    rates.append(optimizer.param_groups[0]["lr"])
    optimizer.step()
    scheduler.step()
print("steps 0-4:", " ".join(f"{rate:.2e}" for rate in rates[:5]))
first_rate, peak_rate = rates[0], max(rates)

# %% Checks: warmup factor times decay factor, at every step
for step, rate in enumerate(rates):
    linear = 0.1 + 0.9 * min(step, WARMUP) / WARMUP
    decay = math.sqrt(WARMUP / (step + WARMUP))
    assert math.isclose(rate, LR * linear * decay, rel_tol=1e-12)
assert math.isclose(first_rate, LR * 0.1)  # the warmup's start
# The peak comes at the warmup's end, below the base rate: the decay ran under it.
assert rates.index(peak_rate) == WARMUP and first_rate < peak_rate < LR
