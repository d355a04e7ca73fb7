"""A LayerNorm's scale (its weight, 1 at the start) under AdamW's weight decay, the
norms left in the decayed group or kept out of it."""

import math

import matplotlib.pyplot as plt
import torch

LR, WEIGHT_DECAY, STEPS = 1e-2, 0.3, 300

torch.manual_seed(0)
inputs = torch.randn(512, 20)  # the targets: a random tanh layer's outputs, summed
targets = torch.tanh(inputs @ torch.randn(20, 32) / 4).sum(dim=1, keepdim=True)


def train(exclude_norms: bool) -> list[list[float]]:
    """The mean scale of the two LayerNorms after every step."""
    torch.manual_seed(1)
    model = torch.nn.Sequential(
        torch.nn.Linear(20, 64, bias=False), torch.nn.LayerNorm(64), torch.nn.ReLU(),
        torch.nn.Linear(64, 64, bias=False), torch.nn.LayerNorm(64), torch.nn.ReLU(),
        torch.nn.Linear(64, 1),
    )  # fmt: skip
    matrices = [p for p in model.parameters() if p.ndim >= 2]
    others = [p for p in model.parameters() if p.ndim <= 1]  # norms and the bias
    if exclude_norms:  # the standard groups
        groups = [{"params": matrices}, {"params": others, "weight_decay": 0.0}]
    else:  # every parameter decayed
        groups = [{"params": matrices + others}]
    optimizer = torch.optim.AdamW(groups, lr=LR, weight_decay=WEIGHT_DECAY)
    batches = torch.Generator().manual_seed(2)
    scales = []
    for _step in range(STEPS):
        batch = torch.randint(0, 512, (32,), generator=batches)
        loss = torch.nn.functional.mse_loss(model(inputs[batch]), targets[batch])
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        scales.append([model[i].weight.mean().item() for i in (1, 4)])
    return scales


decayed, excluded = train(exclude_norms=False), train(exclude_norms=True)
decay_alone = [(1 - LR * WEIGHT_DECAY) ** (step + 1) for step in range(STEPS)]

# %% What the run printed; checks and figure
decayed_end, excluded_end = decayed[-1], excluded[-1]
print(f"after {STEPS} steps, lr * weight_decay = {LR * WEIGHT_DECAY:g} per step:")
print(f"  decay alone would leave         {decay_alone[-1]:.3f}")
print(f"  norms decayed:  the two scales  {decayed_end[0]:.3f} {decayed_end[1]:.3f}")
print(f"  norms excluded: the two scales  {excluded_end[0]:.3f} {excluded_end[1]:.3f}")
lr_wd_steps = LR * WEIGHT_DECAY * STEPS  # sum of lr * wd over the run
# LayerNorm 1: within 10 % of what the decay alone does; LayerNorm 2 pulled back some
assert abs(decayed_end[0] / decay_alone[-1] - 1) < 0.1
assert decay_alone[-1] < decayed_end[1] < 0.7 and decayed_end[0] < decayed_end[1]
assert all(scale > 0.85 for scale in excluded_end)
assert math.isclose(lr_wd_steps, -math.log(decay_alone[-1]), rel_tol=0.01)
# A longer run at a smaller rate sums to as much: what the page compares it with.
LONG_STEPS, LONG_LR, LONG_WD = 30_000, 3e-4, 0.1
assert math.isclose(lr_wd_steps, LONG_LR * LONG_WD * LONG_STEPS)

fig, axes = plt.subplots(2, 1, sharex=True, figsize=(7, 5.5))
for i, ax in enumerate(axes):
    ax.plot([s[i] for s in excluded], label="norms kept out of the decay")
    ax.plot([s[i] for s in decayed], label="norms decayed")
    ax.plot(decay_alone, "k:", label="the decay alone")
    ax.set(ylabel="mean scale", title=f"LayerNorm {i + 1}")
    ax.set_ylim(bottom=0)
axes[0].legend(loc="lower left")
axes[1].set(xlabel="optimizer step")
fig.suptitle("Weight decay on a LayerNorm's scale")
plt.show()
