"""Warmup, stable, decay (WSD) with LambdaLR: the stable phase does not depend
on the length of the run, so a longer run shares it."""

import matplotlib.pyplot as plt
import torch


def wsd(step, total=1000, warmup=50, decay=200):
    """Factor on the peak rate: linear warmup, constant, linear decay to zero."""
    if step < warmup:
        return (step + 1) / warmup
    return min(1.0, (total - step) / decay)


def schedule(total):
    model = torch.nn.Linear(10, 2)
    optimizer = torch.optim.AdamW(model.parameters(), lr=1e-3)
    scheduler = torch.optim.lr_scheduler.LambdaLR(
        optimizer, lr_lambda=lambda step: wsd(step, total)
    )
    lrs = []
    for _ in range(total):  # step once per batch
        lrs.append(scheduler.get_last_lr()[0])
        optimizer.step()
        scheduler.step()
    return lrs


lrs, longer = schedule(1000), schedule(1500)
print(lrs[0], lrs[49], lrs[799], lrs[900], lrs[999])
shared = next(s for s in range(len(lrs)) if lrs[s] != longer[s])  # first change
print(f"the 1000- and 1500-step runs share their first {shared} steps")

# %% Checks and figure
last_lr = lrs[-1]
# What the page claims: the peak holds from the end of the warmup until the decay,
# the last step runs at 1/200 of the peak, and a longer run is the same run up to
# the shorter one's decay: steps 0 to 800, whose factor (1000 - 800) / 200 is 1.
assert lrs[49] == lrs[799] == 1e-3 and last_lr == 1e-3 / 200
assert shared == 801 and longer[1300] == 1e-3 > longer[1301]

fig, ax = plt.subplots()
ax.plot(range(len(longer)), longer, ls="--", color="C1", label="1500 steps")
ax.plot(range(len(lrs)), lrs, label="1000 steps")
ax.axvline(shared, color="0.6", lw=1, ls=":")
ax.set(
    xlabel="step (batch)",
    ylabel="learning rate",
    title="WSD with LambdaLR: warmup 50, decay 200 steps; AdamW lr=1e-3",
)
ax.legend(loc="lower left", bbox_to_anchor=(0.06, 0.03))
plt.show()
