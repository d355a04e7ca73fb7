"""AdamW's decoupled weight decay is multiplied by the scheduled rate: each step
shrinks every weight by the factor (1 - lr * weight_decay), whatever its gradient.
So a schedule also sets how strongly the weights are regularised."""

import math

import matplotlib.pyplot as plt
import torch

STEPS, LR, WEIGHT_DECAY = 300, 1e-2, 0.1


def run(schedule) -> tuple[list[float], list[float]]:
    """AdamW on weights whose gradient is zero: all that moves them is the decay."""
    weights = torch.nn.Parameter(torch.ones(100))
    optimizer = torch.optim.AdamW([weights], lr=LR, weight_decay=WEIGHT_DECAY)
    scheduler = torch.optim.lr_scheduler.LambdaLR(optimizer, schedule)
    rates, norms = [], []
    for _step in range(STEPS):
        weights.grad = torch.zeros_like(weights)  # no signal, only the decay
        rates.append(optimizer.param_groups[0]["lr"])
        optimizer.step()
        scheduler.step()
        norms.append(weights.norm().item() / 10)  # / 10: 1.0 at the start
    return rates, norms


constant_rates, constant = run(lambda step: 1.0)
cosine_rates, cosine = run(lambda step: 0.5 * (1 + math.cos(math.pi * step / STEPS)))
constant_end, cosine_end = constant[-1], cosine[-1]
print(f"after {STEPS} steps the weights keep {constant_end:.3f} of their size with")
print(f"a constant rate, {cosine_end:.3f} with the cosine schedule")
mean_ratio = sum(cosine_rates) / sum(constant_rates)  # the cosine's mean rate, /LR
decay_ratio = math.log(cosine_end) / math.log(constant_end)
print(f"the cosine's mean rate is {mean_ratio:.2f} of the constant's, and so is its")
print(f"total decay in log terms: {decay_ratio:.2f}")

# %% Checks and figure
for rates, norms in ((constant_rates, constant), (cosine_rates, cosine)):
    expected = math.prod(1 - lr * WEIGHT_DECAY for lr in rates)
    assert math.isclose(norms[-1], expected, rel_tol=1e-4)  # (1 - lr * wd) per step
assert abs(decay_ratio - mean_ratio) < 0.01 and abs(mean_ratio - 0.5) < 0.01
assert cosine_end > constant_end
for implementation in ({"foreach": True}, {"fused": True}):  # the same decay
    weights = torch.nn.Parameter(torch.ones(100))
    weights.grad = torch.zeros_like(weights)
    torch.optim.AdamW([weights], LR, weight_decay=WEIGHT_DECAY, **implementation).step()
    assert torch.allclose(weights, torch.full_like(weights, 1 - LR * WEIGHT_DECAY))

# Adam's weight_decay goes into the gradient, unless decoupled_weight_decay=True
# (torch 2.7 and later), which decays the weights as AdamW does.
gradient = torch.randn(100, generator=torch.Generator().manual_seed(0))
stepped = []
for decoupled in (None, True, False):
    weights = torch.nn.Parameter(torch.ones(100))
    weights.grad = gradient.clone()
    if decoupled is None:
        optimizer = torch.optim.AdamW([weights], lr=LR, weight_decay=WEIGHT_DECAY)
    else:
        optimizer = torch.optim.Adam(
            [weights], LR, weight_decay=WEIGHT_DECAY, decoupled_weight_decay=decoupled
        )
    optimizer.step()
    stepped.append(weights.detach())
assert torch.equal(stepped[0], stepped[1])
assert not torch.allclose(stepped[0], stepped[2])

fig, (top, bottom) = plt.subplots(2, 1, sharex=True, figsize=(7, 5.5))
top.plot(constant_rates, label="constant")
top.plot(cosine_rates, label="cosine")
top.set(ylabel="learning rate")
fig.suptitle("AdamW: the decay follows the schedule")
top.legend(loc="lower left")
bottom.plot(constant, label=f"constant: {constant_end:.3f} left")
bottom.plot(cosine, label=f"cosine: {cosine_end:.3f} left")
bottom.set(xlabel="optimizer step", ylabel="weight size (start = 1)")
bottom.legend(loc="lower left")
plt.show()
