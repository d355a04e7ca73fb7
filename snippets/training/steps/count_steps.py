"""One scheduler step per optimizer step: under gradient accumulation and several
processes, count optimizer steps for the schedule's length, and step it only when
the optimizer steps."""

import math

import matplotlib.pyplot as plt
import torch

samples, batch_size, epochs = 2560, 16, 3
world_size = 2  # processes, each with its own DataLoader (DistributedSampler)
accumulation = 4  # batches per optimizer step
warmup = 6  # optimizer steps

# The arithmetic: what one process's loop really does.
batches_per_epoch = math.ceil(samples / world_size / batch_size)  # len(loader)
steps_per_epoch = math.ceil(batches_per_epoch / accumulation)  # optimizer steps
num_training_steps = epochs * steps_per_epoch
print(f"each process: {batches_per_epoch} batches per epoch,", end=" ")
print(f"{steps_per_epoch} optimizer steps per epoch, {num_training_steps} in all")
naive_steps = epochs * samples // batch_size  # batches on one process, no accumulation
print(f"len(dataset) // batch_size * epochs = {naive_steps}")


def run(total: int, step_every_batch: bool) -> list[float]:
    """The rate of every batch on one process, as its loop would use it."""
    optimizer = torch.optim.AdamW([torch.nn.Parameter(torch.zeros(1))], lr=1e-3)
    scheduler = torch.optim.lr_scheduler.LambdaLR(optimizer, warmup_cosine(total))
    rates, optimizer_steps = [], 0
    for _epoch in range(epochs):
        for batch in range(batches_per_epoch):
            rates.append(optimizer.param_groups[0]["lr"])
            # ... loss.backward() on this batch: gradients add up ...
            last = batch + 1 == batches_per_epoch
            if (batch + 1) % accumulation == 0 or last:
                optimizer.step()
                optimizer.zero_grad()
                optimizer_steps += 1
                if not step_every_batch:
                    scheduler.step()  # right: once per optimizer step
            if step_every_batch:
                scheduler.step()  # wrong: once per batch
    assert optimizer_steps == num_training_steps  # the arithmetic above holds
    return rates


# %% The schedule (warmup + cosine), the three runs, values for the page
def warmup_cosine(total: int):
    """Linear warmup, then cosine to 0 at `total` (as in many training scripts)."""

    def factor(step: int) -> float:
        if step < warmup:
            return (step + 1) / warmup
        progress = min(1.0, (step - warmup) / max(1, total - warmup))
        return 0.5 * (1 + math.cos(math.pi * progress))

    return factor


right = run(num_training_steps, step_every_batch=False)
too_fast = run(num_training_steps, step_every_batch=True)
too_long = run(naive_steps, step_every_batch=False)
batches = len(right)
ends_at = next(n for n, lr in enumerate(too_fast) if n > warmup and lr == 0.0)
too_fast_fraction = ends_at / batches
too_long_end = too_long[-1] / max(right)  # of the peak, at the last batch
right_end = right[-1]
print(f"stepped every batch: the rate is 0 from batch {ends_at} of {batches}")
print(f"counted in batches: the last batch still trains at {too_long_end:.0%} of peak")

# %% Checks and figure
assert ends_at == num_training_steps  # its length ran out after that many batches
assert abs(too_fast_fraction - 1 / accumulation) < 0.02  # 1/k of the run
assert too_long_end > 0.9  # the decay had barely begun
assert right_end < 0.01 * max(right)  # the right one ends near 0
assert naive_steps == world_size * accumulation * num_training_steps

fig, ax = plt.subplots()
x = range(batches)
ax.plot(x, right, label=f"right: {num_training_steps} steps, stepped with optimizer")
ax.plot(x, too_fast, linestyle="--", label="stepped every batch")
ax.plot(x, too_long, linestyle=":", label=f"length counted as {naive_steps} batches")
for epoch in range(1, epochs):
    ax.axvline(epoch * batches_per_epoch, color="grey", linewidth=0.6, linestyle=":")
ax.set(
    xlabel=f"batch on one process ({batches_per_epoch} per epoch)",
    ylabel="learning rate",
    title=f"Accumulating {accumulation} batches on {world_size} processes",
)
ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.18))
plt.show()
