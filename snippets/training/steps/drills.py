"""Curve-reading drills for the quiz: a schedule that ends early or never."""

import matplotlib.pyplot as plt
import torch

ACCUMULATION, STEPS, WARMUP = 4, 100, 10  # 400 batches, 100 optimizer steps


def warmup_linear(length: int):
    """Linear warmup for WARMUP steps, then linear decay to 0 at `length`."""
    return lambda s: min((s + 1) / WARMUP, max(0.0, (length - s) / (length - WARMUP)))


def run(length: int, step_every_batch: bool) -> list[float]:
    """The rate at each optimizer step of a loop with gradient accumulation."""
    optimizer = torch.optim.SGD([torch.nn.Parameter(torch.zeros(1))], lr=0.1)
    scheduler = torch.optim.lr_scheduler.LambdaLR(optimizer, warmup_linear(length))
    found = []
    for batch in range(1, ACCUMULATION * STEPS + 1):
        if batch % ACCUMULATION == 0:
            found.append(optimizer.param_groups[0]["lr"])
            optimizer.step()
            if not step_every_batch:
                scheduler.step()
        if step_every_batch:
            scheduler.step()
    return found


planned = run(STEPS, step_every_batch=False)
every_batch = run(STEPS, step_every_batch=True)  # length right, stepped per batch
in_batches = run(ACCUMULATION * STEPS, step_every_batch=False)  # length in batches
ends_at = every_batch.index(0.0)  # the first optimizer step at a rate of 0
end_fraction = in_batches[-1] / max(in_batches)
print(f"stepped per batch: rate 0 from step {ends_at}")
print(f"length in batches: ends at {end_fraction:.0%} of the peak")

# %% Checks
# Drill 1: stepped every batch, the schedule is over at a quarter of the run and
# the rest trains at 0; the plan reaches 0 only at its last step.
assert ends_at <= STEPS // ACCUMULATION and set(every_batch[ends_at:]) == {0.0}
assert min(planned[:-1]) > 0 and planned[-1] < 0.002
# Drill 2: with the length counted in batches, the run ends above 70% of its peak.
assert end_fraction > 0.7 and max(in_batches) == max(planned)

# %% Figures (one per drill)
for run_b in (every_batch, in_batches):
    fig, ax = plt.subplots()
    ax.plot(planned, label="A")
    ax.plot(run_b, label="B", linestyle="--")
    ax.set(xlabel="optimizer step", ylabel="learning rate")
    ax.set(title="Two loops, one planned schedule", ylim=(0, 0.13))
    ax.legend(loc="upper right", ncols=2)
plt.show()
