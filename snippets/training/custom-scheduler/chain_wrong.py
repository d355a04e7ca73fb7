"""Wrong: get_lr() computes the rate from base_lrs alone, ignoring the current
rate. In a ChainedScheduler it writes over what LinearLR set: no warmup at all."""

import math

import torch
from torch.optim.lr_scheduler import ChainedScheduler, LinearLR, LRScheduler


class InverseSqrtLR(LRScheduler):
    def __init__(self, optimizer, timescale: int, last_epoch: int = -1):
        self.timescale = timescale
        super().__init__(optimizer, last_epoch)

    def factor(self, step: int) -> float:
        return math.sqrt(self.timescale / (step + self.timescale))

    def get_lr(self) -> list[float]:  # from base_lrs: not chainable
        return [base_lr * self.factor(self.last_epoch) for base_lr in self.base_lrs]


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
first_rate = rates[0]

# %% Checks: the decay alone, at every step: LinearLR's factor is lost
for step, rate in enumerate(rates):
    assert math.isclose(rate, LR * math.sqrt(WARMUP / (step + WARMUP)), rel_tol=1e-12)
assert first_rate == LR  # the first step at the full rate
# A LambdaLR with the same function does the same in a chain.
optimizer = torch.optim.AdamW(torch.nn.Linear(4, 1).parameters(), lr=LR)
warmup = LinearLR(optimizer, start_factor=0.1, total_iters=WARMUP)
decay = torch.optim.lr_scheduler.LambdaLR(
    optimizer, lambda step: math.sqrt(WARMUP / (step + WARMUP))
)
scheduler = ChainedScheduler([warmup, decay])
for rate in rates:
    assert math.isclose(rate, optimizer.param_groups[0]["lr"], rel_tol=1e-12)
    optimizer.step()
    scheduler.step()
