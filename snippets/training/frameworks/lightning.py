"""What Lightning's `lr_scheduler_config` keys do, as a plain PyTorch loop: when
Lightning calls scheduler.step() for `interval`, `frequency` and a `monitor`, under
gradient accumulation and when you also step the scheduler yourself. The rates
match a real lightning.Trainer run (tests/test_frameworks.py)."""

import math

import matplotlib.pyplot as plt
import torch

lr, gamma = 1.0, 0.8  # ExponentialLR: every scheduler.step() multiplies by 0.8
epochs, batches = 4, 5  # batches per epoch
scores = [3.0, 2.0, 2.0, 2.0]  # the monitored metric logged in each epoch


def fit(interval="epoch", frequency=1, accumulate=1, by_hand=False, monitor=False):
    """The rate of every optimizer step, stepping the scheduler where Lightning
    does (automatic optimization, no validation loop)."""
    optimizer = torch.optim.SGD([torch.nn.Parameter(torch.zeros(1))], lr=lr)
    if monitor:  # "monitor": "score"; Lightning passes the logged value
        scheduler = torch.optim.lr_scheduler.ReduceLROnPlateau(optimizer, patience=0)
    else:
        scheduler = torch.optim.lr_scheduler.ExponentialLR(optimizer, gamma)
    used = []
    for epoch in range(epochs):
        for batch_idx in range(batches):
            last = batch_idx + 1 == batches
            if (batch_idx + 1) % accumulate and not last:
                continue  # accumulate_grad_batches: no optimizer step, no schedule
            used.append(optimizer.param_groups[0]["lr"])
            optimizer.step()
            if by_hand:
                scheduler.step()  # your own call, e.g. in on_train_batch_end
            # "frequency" counts batches of this epoch from 1, not optimizer steps
            if interval == "step" and (batch_idx + 1) % frequency == 0:
                scheduler.step()
        if interval == "epoch" and (epoch + 1) % frequency == 0:
            scheduler.step(scores[epoch]) if monitor else scheduler.step()
    return used


# %% Eight configurations, each run and printed under its name
runs = {  # name: fit's arguments, as in the lr_scheduler_config (and Trainer)
    "interval=epoch": {},
    "interval=epoch, frequency=2": {"frequency": 2},
    "interval=step": {"interval": "step"},
    "interval=step, frequency=3": {"interval": "step", "frequency": 3},
    "interval=step + scheduler.step() by hand": {"interval": "step", "by_hand": True},
    "accumulate 2, interval=step": {"interval": "step", "accumulate": 2},
    "accumulate 2, interval=step, frequency=2": {
        "interval": "step",
        "frequency": 2,
        "accumulate": 2,
    },
    "ReduceLROnPlateau, monitor=score": {"monitor": True},
}
run_names = list(runs)
rates = [fit(**runs[name]) for name in run_names]
for name, r in zip(run_names, rates, strict=True):
    print(f"{name:>42}: " + " ".join(f"{x:.2f}" for x in r))
rate = dict(zip(run_names, rates, strict=True))
step_every_3 = rate["interval=step, frequency=3"]
stepped_once_per_epoch = [step_every_3[e * batches + 4] for e in range(epochs)]
accumulate_1, accumulate_2 = rate["accumulate 2, interval=step"], rate[run_names[6]]
plateau = rate["ReduceLROnPlateau, monitor=score"]


# %% Checks and figure
def calls(rate: float) -> int:
    """How many scheduler.step() calls gave `rate` (a power of gamma)."""
    return round(math.log(rate / lr) / math.log(gamma))


assert [calls(r) for r in rate["interval=epoch"][::batches]] == list(range(epochs))
assert [calls(r) for r in rate["interval=step"]] == list(range(epochs * batches))
# frequency=3 with 5 batches: only batch 3 of each epoch steps, once per epoch
assert [calls(r) for r in stepped_once_per_epoch] == list(range(1, epochs + 1))
by_hand = rate["interval=step + scheduler.step() by hand"]
assert calls(by_hand[-1]) == 2 * calls(rate["interval=step"][-1])  # runs 2x fast
assert len(accumulate_1) == epochs * 3  # 5 batches: steps after batch 2, 4, 5
# frequency=2 counts batches: under accumulation 2 it skips only the 5th batch
assert [calls(r) for r in accumulate_2[:7]] == [0, 1, 2, 2, 3, 4, 4]
assert plateau == [lr] * 3 * batches + [lr * 0.1] * batches  # cut after epoch 3

panels = {  # at most three lines a panel
    '"interval": "epoch"': [run_names[0], run_names[1], run_names[7]],
    '"interval": "step"': run_names[2:5],
    '"interval": "step", accumulating 2 batches': run_names[5:7],
}
fig, axes = plt.subplots(len(panels), 1, figsize=(7, 9.6), layout="constrained")
for ax, (title, names) in zip(axes, panels.items(), strict=True):
    for name in names:
        ax.step(range(len(rate[name])), rate[name], where="post", label=name)
    ax.set(xlabel="optimizer step", ylabel="learning rate", title=title)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.3), ncols=2)
fig.suptitle(f"Lightning's scheduler config, {epochs} epochs of {batches} batches")
plt.show()
