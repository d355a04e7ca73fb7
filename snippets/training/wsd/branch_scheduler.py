"""A branch's scheduler on resume: build it as at the start, with the function for
the branch's end, then load the saved states. Two ways that go wrong silently."""

import io
import math
from functools import partial

import torch
from torch.optim import lr_scheduler

WARMUP, PEAK = 15, 0.1


def wsd(step: int, end: int) -> float:
    """Warmup, the peak, then a 1-sqrt cooldown over the last 20% to 0 at `end`."""
    if step < WARMUP:
        return (step + 1) / WARMUP
    start = end - end // 5
    return 1 - math.sqrt(min(1.0, max(0, step - start) / (end - start)))


def new_optimizer():
    return torch.optim.SGD([torch.nn.Parameter(torch.ones(1))], lr=PEAK, momentum=0.9)


def rates(optimizer, scheduler, steps: int) -> list[float]:
    """The rate each of the next `steps` optimizer steps trains with."""
    used = []
    for _ in range(steps):
        used.append(optimizer.param_groups[0]["lr"])
        optimizer.param_groups[0]["params"][0].grad = torch.ones(1)
        optimizer.step()
        scheduler.step()
    return used


def stable_run(schedule, steps: int) -> bytes:
    """A run stopped after `steps` steps; its checkpoint, copied into bytes."""
    optimizer = new_optimizer()
    scheduler = lr_scheduler.LambdaLR(optimizer, schedule)
    rates(optimizer, scheduler, steps)
    buffer = io.BytesIO()
    state = {"optimizer": optimizer.state_dict(), "scheduler": scheduler.state_dict()}
    torch.save(state, buffer)
    return buffer.getvalue()


END, BRANCH = 120, 96  # the branch's budget, and where its cooldown begins
checkpoint = stable_run(partial(wsd, end=300), BRANCH)  # stable at step 96
state = torch.load(io.BytesIO(checkpoint))
kept = state["scheduler"]["lr_lambdas"]  # [{}]: nothing of a function or partial
print(f"what the checkpoint keeps of the schedule's function: {kept}")

# Right: a new scheduler with the branch's function, then the two states.
optimizer = new_optimizer()
scheduler = lr_scheduler.LambdaLR(optimizer, partial(wsd, end=END))
optimizer.load_state_dict(state["optimizer"])
scheduler.load_state_dict(state["scheduler"])  # last_epoch = 96; the function stays
right = rates(optimizer, scheduler, END - BRANCH)
planned = [PEAK * wsd(step, END) for step in range(BRANCH, END)]

# Wrong: last_epoch= instead of loading the scheduler's state. The loaded optimizer
# has "initial_lr", so there is no KeyError, but building takes a step: 97.
optimizer = new_optimizer()
optimizer.load_state_dict(state["optimizer"])
scheduler = lr_scheduler.LambdaLR(optimizer, partial(wsd, end=END), last_epoch=BRANCH)
ahead_at = scheduler.last_epoch
ahead = rates(optimizer, scheduler, END - BRANCH)


class Schedule:  # the schedule as a callable object
    def __init__(self, end: int):
        self.end = end

    def __call__(self, step: int) -> float:
        return wsd(step, self.end)


# Wrong: LambdaLR saves a callable object's attributes, and loading writes them
# back, so the branch's end becomes the stable run's.
object_state = torch.load(io.BytesIO(stable_run(Schedule(300), BRANCH)))
optimizer = new_optimizer()
schedule = Schedule(END)
scheduler = lr_scheduler.LambdaLR(optimizer, schedule)
optimizer.load_state_dict(object_state["optimizer"])
scheduler.load_state_dict(object_state["scheduler"])
object_end = schedule.end
stuck = rates(optimizer, scheduler, END - BRANCH)
print(f"right: {right[0]:.3g} at step {BRANCH}, down to {right[-1]:.3g} at {END - 1}")
print(f"last_epoch={BRANCH}: the scheduler is at {ahead_at}, one step ahead")
print(f"callable object: its end is {object_end} after loading; rate {stuck[-1]:.3g}")

# A state_dict() is not a copy: it holds the optimizer's live tensors, which the
# next step changes. That is why the checkpoints above go through torch.save.
live = optimizer.state_dict()
before = live["state"][0]["momentum_buffer"].clone()
rates(optimizer, scheduler, 1)
live_changed = not torch.equal(live["state"][0]["momentum_buffer"], before)
print(f"a state_dict() kept in memory changes with the next step: {live_changed}")

# %% Checks
assert kept == [{}] and object_state["scheduler"]["lr_lambdas"] == [{"end": 300}]
assert live_changed
assert right == planned  # every rate as a run planned for 120 steps from the start
assert ahead_at == BRANCH + 1 and ahead[:-1] == right[1:]  # one step ahead
assert ahead[-1] == 0.0  # so the last step of the budget trains at 0
assert object_end == 300 and stuck == [PEAK] * (END - BRANCH)  # never cools down
