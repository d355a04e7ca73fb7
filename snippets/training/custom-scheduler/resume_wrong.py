"""Wrong: the schedule is a lambda kept on the scheduler, so in its state_dict(), and
pickle cannot save a function defined inside another: the checkpoint fails."""

import io
import math
import pickle

import torch
from torch.optim.lr_scheduler import LRScheduler


class InverseSqrtLR(LRScheduler):
    def __init__(self, optimizer, timescale: int, last_epoch: int = -1):
        self.factor = lambda step: math.sqrt(timescale / (step + timescale))
        super().__init__(optimizer, last_epoch)

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
        try:
            torch.save(state, checkpoint := io.BytesIO())
        except (AttributeError, pickle.PicklingError) as error:  # by Python version
            print(message := f"{type(error).__name__}: {error}")
            break
    rates.append(optimizer.param_groups[0]["lr"])
    optimizer.step()
    scheduler.step()

# %% Checks
# The wording changes with Python: "Can't pickle local object" (3.11), "Can't get
# local object" (3.13), a PicklingError naming the local object (3.14).
assert "local object" in message and "lambda" in message
assert "factor" in state["scheduler"] and len(rates) == 60
