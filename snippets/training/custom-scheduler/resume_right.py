"""Right: the schedule is a method, so state_dict() holds only numbers. Saved at step
60 and loaded, the run goes on with the rates of a run that never stopped."""

import io
import math

import torch
from torch.optim.lr_scheduler import LRScheduler


class InverseSqrtLR(LRScheduler):
    def __init__(self, optimizer, timescale: int, last_epoch: int = -1):
        self.timescale = timescale
        super().__init__(optimizer, last_epoch)

    def factor(self, step: int) -> float:
        return math.sqrt(self.timescale / (step + self.timescale))

    def get_lr(self) -> list[float]:
        step = self.last_epoch  # 0 at the start: a ratio of 1
        ratio = self.factor(step) / self.factor(max(step - 1, 0))
        return [group["lr"] * ratio for group in self.optimizer.param_groups]


def build():
    optimizer = torch.optim.AdamW(torch.nn.Linear(4, 1).parameters(), lr=1e-3)
    return optimizer, InverseSqrtLR(optimizer, timescale=10)


optimizer, scheduler = build()
rates = []
for step in range(100):
    if step == 60:  # save, then load into new objects as a new process would
        state = {"optimizer": optimizer.state_dict()}
        state["scheduler"] = scheduler.state_dict()  # its __dict__, no optimizer
        print("saving:", sorted(state["scheduler"]))
        torch.save(state, checkpoint := io.BytesIO())
        saved = torch.load(io.BytesIO(checkpoint.getvalue()))
        optimizer, scheduler = build()
        optimizer.load_state_dict(saved["optimizer"])
        scheduler.load_state_dict(saved["scheduler"])
    rates.append(optimizer.param_groups[0]["lr"])
    optimizer.step()
    scheduler.step()

# %% Checks: the same rates as a run that never stopped, bit for bit
optimizer, scheduler = build()
for step, rate in enumerate(rates):
    assert rate == optimizer.param_groups[0]["lr"], step
    optimizer.step()
    scheduler.step()
assert "optimizer" not in state["scheduler"] and "timescale" in state["scheduler"]
print(f"resumed at step 60 ({rates[60]:.3e}): the same rates to step 99 as a run")
print("that never stopped")
