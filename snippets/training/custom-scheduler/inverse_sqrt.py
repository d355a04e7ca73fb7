"""The transformer schedule's inverse square root decay, a scheduler torch lacks,
as a subclass of LRScheduler: base_lr * sqrt(timescale / (t + timescale)).
SequentialLR puts it after a LinearLR warmup."""

import math
import warnings

import matplotlib.pyplot as plt
import torch
from torch.optim.lr_scheduler import LinearLR, LRScheduler, SequentialLR


class InverseSqrtLR(LRScheduler):
    def __init__(self, optimizer, timescale: int, last_epoch: int = -1):
        self.timescale = timescale  # before super().__init__(), which calls step()
        super().__init__(optimizer, last_epoch)

    def factor(self, step: int) -> float:
        return math.sqrt(self.timescale / (step + self.timescale))

    def get_lr(self) -> list[float]:
        """Called by step(): each group's current rate times this step's ratio."""
        step = self.last_epoch  # 0 at the start: a ratio of 1
        ratio = self.factor(step) / self.factor(max(step - 1, 0))
        return [group["lr"] * ratio for group in self.optimizer.param_groups]

    def _get_closed_form_lr(self) -> list[float]:
        """Called by step(epoch), and by SequentialLR at its milestones."""
        return [base_lr * self.factor(self.last_epoch) for base_lr in self.base_lrs]


WARMUP, STEPS, LR = 100, 1000, 1e-3
model = torch.nn.Linear(4, 1)
optimizer = torch.optim.AdamW(model.parameters(), lr=LR)
warmup = LinearLR(optimizer, start_factor=0.01, total_iters=WARMUP)
decay = InverseSqrtLR(optimizer, timescale=WARMUP)
scheduler = SequentialLR(optimizer, [warmup, decay], milestones=[WARMUP])

rates = []
for _step in range(STEPS):
    rates.append(optimizer.param_groups[0]["lr"])
    optimizer.step()  # ... forward, backward ...
    scheduler.step()


# %% The rates; checks: the same as LambdaLR's, and as the closed form
peak_step, end_rate = rates.index(max(rates)), rates[-1]
print(f"step {peak_step}: {max(rates):.2e} (the peak)")
half_step = 4 * WARMUP  # four times the steps of the peak: half its rate
peak_rate, half_rate = rates[peak_step], rates[half_step]
print(f"step {half_step}: {half_rate:.2e} (4 times the steps: half the rate)")
print(f"step {STEPS - 1}: {end_rate:.2e}")


def transformer(step: int) -> float:  # LinearLR's line, then the decay
    if step < WARMUP:
        return 0.01 + 0.99 * step / WARMUP
    return math.sqrt(WARMUP / step)


optimizer = torch.optim.AdamW(model.parameters(), lr=LR)
reference = torch.optim.lr_scheduler.LambdaLR(optimizer, transformer)
for rate in rates:
    assert math.isclose(rate, optimizer.param_groups[0]["lr"], rel_tol=1e-12)
    optimizer.step()
    reference.step()
alone = InverseSqrtLR(torch.optim.AdamW(model.parameters(), lr=LR), timescale=WARMUP)
for step in range(1, 300):  # the chainable get_lr and the closed form agree
    alone.optimizer.step()
    alone.step()
    assert math.isclose(alone.get_last_lr()[0], LR * alone.factor(step), rel_tol=1e-12)
assert peak_step == WARMUP and math.isclose(max(rates), LR)
assert math.isclose(rates[half_step], LR / 2, rel_tol=1e-12)

# What uses _get_closed_form_lr: step(epoch), deprecated, which sets last_epoch ...
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    alone.step(50)
assert "deprecated" in str(caught[0].message)
assert math.isclose(alone.get_last_lr()[0], LR * alone.factor(50), rel_tol=1e-12)


class ChainableOnly(LRScheduler):  # the same get_lr, no _get_closed_form_lr
    factor, get_lr = InverseSqrtLR.factor, InverseSqrtLR.get_lr

    def __init__(self, optimizer, timescale: int):
        self.timescale = timescale
        super().__init__(optimizer)


def milestone_rates(kind) -> list[float]:
    """... and SequentialLR, at a milestone: _update_lr(0), the same path."""
    optimizer = torch.optim.AdamW(model.parameters(), lr=LR)
    first = torch.optim.lr_scheduler.ExponentialLR(optimizer, gamma=0.5)
    phases = [first, kind(optimizer, timescale=WARMUP)]
    scheduler = SequentialLR(optimizer, phases, milestones=[3])
    rates = []
    for _step in range(5):
        rates.append(optimizer.param_groups[0]["lr"])
        optimizer.step()
        scheduler.step()
    return rates


restarted, carried_on = milestone_rates(InverseSqrtLR), milestone_rates(ChainableOnly)
assert restarted[3] == LR  # from base_lrs, as torch's own schedulers restart
assert carried_on[3] == carried_on[2] == LR * 0.5**2  # from the rate it found

fig, ax = plt.subplots()
ax.plot(rates, label="LinearLR, then InverseSqrtLR")
ax.axvline(WARMUP, color="0.5", linestyle=":", linewidth=1)
ax.set(xlabel="optimizer step", ylabel="learning rate")
ax.set_title("Warmup, then the inverse square root (SequentialLR)")
ax.legend(loc="lower center")
plt.show()
