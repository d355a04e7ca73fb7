"""Curve-reading drills for the quiz: the rate two silent mistakes produce."""

import matplotlib.pyplot as plt
import torch
from torch.optim import lr_scheduler

EPOCHS, BATCHES = 90, 50


def optimizer() -> torch.optim.SGD:
    return torch.optim.SGD([torch.nn.Parameter(torch.zeros(1))], lr=0.1)


# Drill 1: StepLR(step_size=30, gamma=0.1), planned per epoch (A), run per batch (B)
# for the first 10 epochs, by when B is far below the figure's lowest rate.
planned, per_batch = [], []
opt_a, opt_b = optimizer(), optimizer()
sched_a = lr_scheduler.StepLR(opt_a, step_size=30, gamma=0.1)
sched_b = lr_scheduler.StepLR(opt_b, step_size=30, gamma=0.1)
for epoch in range(EPOCHS):
    planned += [opt_a.param_groups[0]["lr"]] * BATCHES
    opt_a.step()  # stands for an epoch of training
    sched_a.step()
    for _batch in range(BATCHES if epoch < 10 else 0):
        per_batch.append(opt_b.param_groups[0]["lr"])
        opt_b.step()
        sched_b.step()  # inside the batch loop
lr_epoch_3 = per_batch[3 * BATCHES]

# Drill 2: CosineAnnealingLR(T_max=100) as planned (A), and stopped after epoch
# 40 and resumed (B) with a new scheduler whose state was never saved or loaded.
RESUME = 40


def cosine_run(resume_at: int | None) -> list[float]:
    opt = optimizer()
    scheduler = lr_scheduler.CosineAnnealingLR(opt, T_max=100)
    found = []
    for epoch in range(100):
        if epoch == resume_at:  # the checkpoint holds the model and the optimizer
            state, opt = opt.state_dict(), optimizer()
            opt.load_state_dict(state)
            scheduler = lr_scheduler.CosineAnnealingLR(opt, T_max=100)
        found.append(opt.param_groups[0]["lr"])
        opt.step()
        scheduler.step()
    return found


plan, resumed = cosine_run(None), cosine_run(RESUME)
resumed_end, planned_end = resumed[-1], plan[-1]
print(f"stepped per batch: rate {lr_epoch_3:.0e} at epoch 3")
print(f"resumed, no scheduler state: rate {resumed_end:.2g}, not {planned_end:.2g}")

# %% Checks
# Drill 1: by epoch 3 the run's rate is a hundred-thousandth of the plan's, and by
# epoch 10 below the figure's lowest rate.
assert lr_epoch_3 < 2e-5 * planned[3 * BATCHES] and per_batch[-1] < 1e-12
assert sorted(set(planned), reverse=True) == planned[:: 30 * BATCHES]
# Drill 2: the same rates up to the resume, no jump there, then a new cosine from
# the rate the optimizer held: the run ends at over 10 times the planned rate.
assert resumed[: RESUME + 1] == plan[: RESUME + 1]
assert all(
    b > a for a, b in zip(plan[RESUME + 1 :], resumed[RESUME + 1 :], strict=True)
)
assert resumed_end > 10 * planned_end

# %% Figures (one per drill)
fig, ax = plt.subplots()
epochs = [step / BATCHES for step in range(EPOCHS * BATCHES)]
ax.plot(epochs, planned, drawstyle="steps-post", label="A")
ax.plot(epochs[: len(per_batch)], per_batch, drawstyle="steps-post", label="B")
ax.set(yscale="log", ylim=(1e-12, 1), xlabel="epoch", ylabel="learning rate")
ax.set(title="Two runs of one schedule")
ax.legend(loc="upper right")

fig, ax = plt.subplots()
ax.plot(plan, label="A")
ax.plot(resumed, label="B")
ax.axvline(RESUME, color="grey", linewidth=1.4, linestyle=":")  # seen on a phone
ax.set(xlabel="epoch", ylabel="learning rate", title="Two runs of one schedule")
ax.legend(loc="lower left")
plt.show()
