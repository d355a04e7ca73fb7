"""A starting schedule from a planned number of optimizer steps: a linear warmup,
then a decay to an end factor of the peak, with the two checks that catch most
scheduling mistakes: the rate at the first and last step, and the step count."""

import inspect
import math

import matplotlib.pyplot as plt
import torch


def warmup_then_decay(optimizer, total_steps, warmup_frac, end_factor, shape):
    """A LambdaLR: linear warmup to the peak, then "cosine" or "linear" decay to
    end_factor * peak, reached at step total_steps, the first after the run."""
    warmup = max(1, round(warmup_frac * total_steps))

    def factor(step):
        if step < warmup:
            return (step + 1) / warmup  # the first step trains, not at 0
        p = min(1.0, (step - warmup) / (total_steps - warmup))  # decay's progress
        fall = (1 + math.cos(math.pi * p)) / 2 if shape == "cosine" else 1 - p
        return end_factor + (1 - end_factor) * fall

    return torch.optim.lr_scheduler.LambdaLR(optimizer, factor)


TOTAL, PEAK = 1000, 3e-4
runs = {"cosine to 10%": ("cosine", 0.1), "linear to 0": ("linear", 0.0)}
curves, ends = {}, {}
for name, (shape, end) in runs.items():
    optimizer = torch.optim.AdamW([torch.zeros(1, requires_grad=True)], lr=PEAK)
    scheduler = warmup_then_decay(optimizer, TOTAL, 0.02, end, shape)
    rates = []
    for _step in range(TOTAL):  # ... forward, backward ...
        rates.append(optimizer.param_groups[0]["lr"])  # log it: the step's rate
        optimizer.step()
        scheduler.step()
    curves[name] = rates
    ends[name] = optimizer.param_groups[0]["lr"]  # after the run: the end point
    assert scheduler.last_epoch == TOTAL  # checklist: as many steps as planned
    print(
        f"{name}: {scheduler.last_epoch} scheduler steps, "
        f"lr {rates[0]:.3g} at step 0, {rates[-1]:.3g} at step {TOTAL - 1}"
    )

# %% Library defaults read from the installed torch, checks and figure
defaults = {
    opt.__name__: {k: p.default for k, p in inspect.signature(opt).parameters.items()}
    for opt in (torch.optim.SGD, torch.optim.Adam, torch.optim.AdamW)
}
adam_lr, adamw_lr = defaults["Adam"]["lr"], defaults["AdamW"]["lr"]
adamw_weight_decay = defaults["AdamW"]["weight_decay"]
sgd_lr, sgd_momentum = defaults["SGD"]["lr"], defaults["SGD"]["momentum"]
torch_version = torch.__version__.split("+")[0]
print(
    f"torch defaults: Adam lr={adam_lr:g}, AdamW lr={adamw_lr:g} "
    f"weight_decay={adamw_weight_decay:g}, SGD lr={sgd_lr:g} momentum={sgd_momentum:g}"
)

# The linear scaling rule (Goyal et al., arXiv:1706.02677): 0.1 per 256 examples.
for batch in (256, 1024, 8192):
    print(f"batch {batch:5d}: SGD lr {0.1 * batch / 256:g}")

# Warmup fractions of the sources, from their step counts.
bert_warmup = 10_000 / 1_000_000  # BERT pre-training: 10k of 1M steps
llama_warmup = 2_000 / (1.4e12 / 4e6)  # LLaMA 65B: 2k steps, 1.4T tokens, 4M a batch
print(f"warmup: BERT {bert_warmup:.1%}, LLaMA 65B {llama_warmup:.2%}")

scaled_1024, scaled_8192 = 0.1 * 1024 / 256, 0.1 * 8192 / 256
cosine, linear = curves["cosine to 10%"], curves["linear to 0"]
peak_step = max(range(TOTAL), key=cosine.__getitem__)
assert cosine[0] > 0 and math.isclose(max(cosine), PEAK) and peak_step == 19
assert 0.1 * PEAK < cosine[-1] < 0.11 * PEAK and 0 < linear[-1] < 0.01 * PEAK
assert math.isclose(ends["cosine to 10%"], 0.1 * PEAK) and ends["linear to 0"] == 0
assert all(
    b <= a for a, b in zip(cosine[peak_step:], cosine[peak_step + 1 :], strict=False)
)
assert (adam_lr, adamw_lr, adamw_weight_decay, sgd_momentum) == (1e-3, 1e-3, 1e-2, 0)

fig, ax = plt.subplots()
for name, rates in curves.items():
    ax.plot(rates, label=name)
ax.axhline(0.1 * PEAK, color="0.5", linestyle=":", linewidth=1)
ax.set(
    xlabel="optimizer step",
    ylabel="learning rate",
    title="Warmup 2%, then two end points",
)
ax.legend(loc="upper right")
plt.show()
