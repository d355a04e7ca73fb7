"""Extending a run on resume. OneCycleLR cannot be extended: it raises one step
past total_steps, and a larger total_steps in the loaded state does not move its
phases, so its last phase runs past its end and the rate climbs again. A schedule
written as a function of the step can be rebuilt for the new length."""

import itertools
import math

import matplotlib.pyplot as plt
import torch
from torch.optim import lr_scheduler

STEPS, MORE = 100, 150  # planned steps; the length wanted after resuming


def new_optimizer():
    return torch.optim.SGD([torch.nn.Parameter(torch.zeros(1))], lr=0.1)


def run(optimizer, scheduler, steps) -> list[float]:
    rates = []
    for _step in range(steps):
        rates.append(optimizer.param_groups[0]["lr"])
        optimizer.step()
        scheduler.step()
    return rates


optimizer = new_optimizer()
onecycle = lr_scheduler.OneCycleLR(optimizer, max_lr=0.1, total_steps=STEPS)
onecycle_rates = run(optimizer, onecycle, STEPS)
checkpoint = {"optimizer": optimizer.state_dict(), "scheduler": onecycle.state_dict()}
try:
    run(optimizer, onecycle, 1)  # one step past the end
except ValueError as error:
    past_end = f"ValueError: {error}"
    print(past_end)

# Wrong: resume, then raise total_steps, hoping the schedule stretches.
optimizer = new_optimizer()
onecycle = lr_scheduler.OneCycleLR(optimizer, max_lr=0.1, total_steps=STEPS)
optimizer.load_state_dict(checkpoint["optimizer"])
onecycle.load_state_dict(checkpoint["scheduler"])
onecycle.total_steps = MORE  # no error now, but the phases were computed for 100
stretched = run(optimizer, onecycle, MORE - STEPS)
phase_end = onecycle._schedule_phases[-1]["end_step"]  # the last phase's end
climbed_to = stretched[-1]
print(f"after raising total_steps, the last phase still ends at step {phase_end}")
print(f"and the rate climbs back to {climbed_to:.3g} by step {MORE - 1}")


# Right: a schedule that is a function of the step, rebuilt for the new length.
def cosine(start: int, start_factor: float, end: int):
    """A cosine from start_factor at step `start` down to 0 at step `end`."""

    def factor(step: int) -> float:
        done = min(step - start, end - start) / (end - start)
        return start_factor * 0.5 * (1 + math.cos(math.pi * done))

    return factor


stop = 60  # the run stops here, with its schedule planned for STEPS
optimizer = new_optimizer()
scheduler = lr_scheduler.LambdaLR(optimizer, cosine(0, 1.0, STEPS))
cosine_rates = run(optimizer, scheduler, stop)
saved = {"optimizer": optimizer.state_dict(), "scheduler": scheduler.state_dict()}

optimizer = new_optimizer()
now = cosine(0, 1.0, STEPS)(stop)  # the factor where the run stopped
scheduler = lr_scheduler.LambdaLR(optimizer, cosine(stop, now, MORE))  # new length
optimizer.load_state_dict(saved["optimizer"])
scheduler.load_state_dict(saved["scheduler"])  # last_epoch; the function is new
cosine_rates += run(optimizer, scheduler, MORE - stop)
print(f"cosine rebuilt at step {stop}: {cosine_rates[stop - 1]:.4f} before,", end=" ")
print(f"{cosine_rates[stop]:.4f} after, {cosine_rates[-1]:.2g} at step {MORE - 1}")

# %% Checks and figure
assert past_end.startswith("ValueError: Tried to step")
assert climbed_to > 0.5 * max(onecycle_rates)  # most of the way back to the peak
assert all(a < b for a, b in itertools.pairwise(stretched))  # climbing all along
assert phase_end == STEPS - 1
assert abs(cosine_rates[stop] - cosine_rates[stop - 1]) < 0.01  # no jump
assert cosine_rates[-1] < 1e-4 and len(cosine_rates) == MORE

fig, ax = plt.subplots()
ax.plot(range(STEPS), onecycle_rates, label=f"OneCycleLR, {STEPS} steps")
ax.plot(
    range(STEPS, MORE),
    stretched,
    linestyle="--",
    label=f"OneCycleLR, total_steps raised to {MORE} on resume",
)
ax.plot(range(MORE), cosine_rates, label=f"cosine, rebuilt at step {stop} for {MORE}")
ax.axvline(stop, color="grey", linewidth=0.6, linestyle=":")
ax.set(xlabel="optimizer step", ylabel="learning rate", title="Extending a run")
ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.18))
plt.show()
