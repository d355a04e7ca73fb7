"""A small MLP whose loss becomes inf, then nan, at a too-high rate, and three fixes."""

import math
from itertools import pairwise

import matplotlib.pyplot as plt
import torch

torch.set_default_dtype(torch.float64)  # float64: CPUs differ only in the last bits
generator = torch.Generator().manual_seed(0)
X = torch.randn(256, 2, generator=generator)  # synthetic regression data
y = torch.sin(3 * X[:, :1]) + 0.5 * X[:, 1:] ** 2
STEPS, WARMUP = 100, 30


def train(lr: float, clip: float | None = None, warmup: int = 0, log: bool = False):
    torch.manual_seed(3)  # the same initial weights for every run
    model = torch.nn.Sequential(
        torch.nn.Linear(2, 64),
        torch.nn.ReLU(),
        torch.nn.Linear(64, 64),
        torch.nn.ReLU(),
        torch.nn.Linear(64, 1),
    )
    optimizer = torch.optim.SGD(model.parameters(), lr=lr)
    scheduler = None
    if warmup:  # the rate climbs from lr / 100 to lr over `warmup` steps
        scheduler = torch.optim.lr_scheduler.LinearLR(
            optimizer, start_factor=0.01, total_iters=warmup
        )
    history = {"loss": [], "grad norm": [], "lr": []}
    for step in range(1, STEPS + 1):
        optimizer.zero_grad()
        loss = torch.nn.functional.mse_loss(model(X), y)
        loss.backward()
        # Returns the gradient norm before clipping; max_norm=inf only measures it.
        norm = torch.nn.utils.clip_grad_norm_(model.parameters(), clip or math.inf)
        if log:
            print(
                f"step {step:<2} loss {loss.item():<10.4g} grad norm {norm.item():.4g}"
            )
        history["loss"].append(loss.item())
        history["grad norm"].append(norm.item())
        history["lr"].append(optimizer.param_groups[0]["lr"])
        if loss.isnan():  # nothing recovers from nan: stop
            break
        optimizer.step()
        if scheduler:
            scheduler.step()
    return history, model


print("Training log at lr = 1.0:")
log, _ = train(1.0, log=True)
diverged = log["loss"]
start_loss = diverged[0]
inf_step = diverged.index(math.inf) + 1  # the loss overflows ...
nan_step = len(diverged)  # ... and then is nan
peak_step = inf_step - 1  # the last finite loss and gradient norm
peak_loss, peak_norm = diverged[peak_step - 1], log["grad norm"][peak_step - 1]
print(f"-> stopped at step {nan_step}: loss is {diverged[-1]}\n")

runs = {
    "lr = 1.0": diverged,
    "lr = 0.1 (lower rate)": train(0.1)[0]["loss"],
    "lr = 1.0, clip grad norm to 1": train(1.0, clip=1.0)[0]["loss"],
}
warm_log, warm_model = train(1.0, warmup=WARMUP)
warm = runs[f"lr = 1.0, {WARMUP} warmup steps"] = warm_log["loss"]
hidden = warm_model[:4](X)  # the second hidden layer's ReLU outputs
alive = (hidden > 0).any(dim=0).sum().item()
for name, losses in runs.items():
    print(f"{name:<30} loss after {len(losses):>3} steps: {losses[-1]:.3g}")
print(f"warmup run: {alive} of 64 units in the second hidden layer still fire")

# %% Measurements, checks and figure
lower = runs["lr = 0.1 (lower rate)"]
clipped = runs["lr = 1.0, clip grad norm to 1"]
lower_final, clipped_final = lower[-1], clipped[-1]
# How jagged: on how many steps the loss rises, and by what factor at most.
rises = [[b / a for a, b in pairwise(r) if b > a] for r in (lower, clipped)]
(lower_rises, lower_jump), (clipped_rises, clipped_jump) = (
    (len(r), max(r)) for r in rises
)
# The warmup run: it falls while the rate is small, spikes, jumps, and ends flat.
rates = warm_log["lr"]
fall_step = next(n for n in range(1, STEPS) if warm[n] > warm[n - 1])  # last fall
fall_loss, fall_rate = warm[fall_step - 1], rates[fall_step - 1]
spike_step = max(range(1, WARMUP + 1), key=lambda n: warm[n - 1])  # the highest
spike_loss, spike_rate = warm[spike_step - 1], rates[spike_step - 1]
jump_step = max(range(spike_step + 1, STEPS + 1), key=lambda n: warm[n - 1])
jump_loss, jump_rate = warm[jump_step - 1], rates[jump_step - 1]
dip_loss = min(warm[spike_step : jump_step - 1])  # between the spike and the jump
warm_final = warm[-1]
moved = [n for n in range(1, STEPS + 1) if abs(warm[n - 1] - warm_final) > 1e-9]
flat_step = moved[-1] + 1  # from this step on the loss stays at warm_final

# What the page claims. At lr = 1.0 the loss grows by orders of magnitude with the
# gradient norm, overflows to inf, then is nan.
assert peak_loss > 1e100 * start_loss and peak_norm > 1e100 * log["grad norm"][0]
assert all(math.isfinite(v) for v in diverged[: inf_step - 1])
assert inf_step + 1 == nan_step and math.isnan(diverged[-1])
# The lower rate and clipping keep every loss finite; the lower rate ends lowest, and
# clipping is jagged: its loss rises on more than twice as many steps, by more than
# twice as large a factor.
for losses in list(runs.values())[1:]:
    assert len(losses) == STEPS and all(math.isfinite(v) for v in losses)
assert lower_final < 0.5 * start_loss and lower_final < clipped_final < start_loss
assert clipped_rises > 2 * lower_rises and clipped_jump > 2 * lower_jump
# Warmup: the loss falls while the rate is small, spikes above the start while the
# rate is below 0.5, recovers below the start, jumps again as the rate nears 1.0, and
# from soon after the rate reaches 1.0 stays flat, above the start, every unit dead.
assert all(b < a for a, b in pairwise(warm[:fall_step]))
assert fall_step < spike_step < jump_step <= WARMUP + 1 < flat_step <= WARMUP + 5
assert spike_rate < 0.5 < 0.9 < jump_rate and spike_loss > 3 * start_loss
assert dip_loss < start_loss < warm_final < jump_loss < spike_loss
assert max(warm[flat_step - 1 :]) - min(warm[flat_step - 1 :]) < 1e-9
assert alive == 0  # every unit outputs 0 for every input: no gradient flows
assert warm_model(X).std() < 1e-9  # the net outputs one constant for every input
# ... and at lr = 1.0 = 2 / curvature its last bias bounces about the best constant,
# y.mean(), for ever: the loss stays well above that constant's loss.
best_constant_loss = ((y - y.mean()) ** 2).mean().item()
assert warm_final > best_constant_loss + 0.1

fig, ax = plt.subplots()
for name, losses in runs.items():
    label = name
    if name == "lr = 1.0":  # most of this run is above the chart
        label = f"lr = 1.0 ({peak_loss:.0e} at step {peak_step}, then inf, nan)"
    ax.plot(range(1, len(losses) + 1), losses, label=label)
ax.set_yscale("log")
ax.set_ylim(0.1, 1e4)  # the diverging run leaves the chart upwards
ax.set(
    xlabel="step",
    ylabel="training loss (MSE)",
    title="An MLP at a too-high rate, and three fixes",
)
ax.legend()
plt.show()
