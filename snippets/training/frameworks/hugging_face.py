"""Every Hugging Face `lr_scheduler_type` as a plain PyTorch `LambdaLR`: the rate
each optimizer step of a Trainer run uses, with the Trainer's step and warmup
arithmetic. The rates match transformers' own schedulers (tests/test_frameworks.py)."""

import math

import matplotlib.pyplot as plt
import torch

lr = 1e-3  # TrainingArguments(learning_rate=...), the peak
batches_per_epoch, accumulation, epochs = 25, 4, 6  # len(train_dataloader) per process
# The Trainer counts optimizer steps; a last, partial group of batches is a step.
steps_per_epoch = math.ceil(batches_per_epoch / accumulation)
num_training_steps = steps_per_epoch * epochs
warmup_ratio = 0.1  # TrainingArguments(warmup_steps=0.1): a float below 1 is a ratio
warmup_exact = warmup_ratio * num_training_steps
warmup = math.ceil(warmup_exact)  # rounded up to whole steps
N, W = num_training_steps, warmup


def progress(step: int) -> float:
    return (step - W) / max(1, N - W)  # 0 at the end of warmup, 1 at the end


def cosine(p: float, cycles: float = 0.5) -> float:
    return 0.5 * (1 + math.cos(math.pi * 2 * cycles * p))


def ramp(step: int, f):
    """Linear warmup from 0 (step 0 trains at rate 0), then `f(step)`."""
    return step / max(1, W) if step < W else f(step)


factors = {  # lr_scheduler_type: the factor of `lr` at optimizer step `s`
    "constant": lambda s: 1.0,  # no warmup, whatever warmup_steps says
    "constant_with_warmup": lambda s: ramp(s, lambda s: 1.0),
    "linear": lambda s: ramp(s, lambda s: max(0.0, (N - s) / max(1, N - W))),
    "cosine": lambda s: ramp(s, lambda s: max(0.0, cosine(progress(s)))),
}

# %% The other lr_scheduler_types, and the rate of every step
lr_end, power, min_rate, restarts, decay_steps = 1e-7, 2.0, 0.1, 2, 10
factors |= {  # in transformers' order
    "cosine_with_restarts": lambda s: ramp(  # num_cycles=2: hard restarts
        s, lambda s: 0.0 if progress(s) >= 1 else cosine(restarts * progress(s) % 1)
    ),
    "polynomial": lambda s: ramp(  # lr_end=1e-7, power=2: down to lr_end, not to 0
        s, lambda s: ((lr - lr_end) * (1 - min(1, progress(s))) ** power + lr_end) / lr
    ),
    "inverse_sqrt": lambda s: ramp(s, lambda s: 1 / math.sqrt(s / W)),  # timescale=W
    "cosine_with_min_lr": lambda s: ramp(  # min_lr_rate=0.1
        s, lambda s: max(0.0, cosine(progress(s)) * (1 - min_rate) + min_rate)
    ),
    "cosine_warmup_with_min_lr": lambda s: (  # its warmup starts at 1/W, not at 0
        (s + 1) / W
        if s < W
        else cosine((s - W + 1) / (N - W)) * (1 - min_rate) + min_rate
    ),
    "warmup_stable_decay": lambda s: ramp(  # num_decay_steps=10, cosine decay to 0
        s,
        lambda s: (
            1.0
            if s < N - decay_steps
            else cosine((s - N + decay_steps) / decay_steps)
            if s < N
            else 0.0  # min_lr_ratio after the end
        ),
    ),
}


def rates_of(factor, steps: int = N) -> list[float]:
    """The rate of every optimizer step, read before the step, as the Trainer
    calls scheduler.step() right after optimizer.step()."""
    optimizer = torch.optim.AdamW([torch.nn.Parameter(torch.zeros(1))], lr=lr)
    scheduler = torch.optim.lr_scheduler.LambdaLR(optimizer, factor)
    used = []
    for _ in range(steps):
        used.append(optimizer.param_groups[0]["lr"])
        optimizer.step()
        scheduler.step()
    return used


schedule_types = list(factors)
rates = [rates_of(factors[name]) for name in schedule_types]
first = {name: r[0] for name, r in zip(schedule_types, rates, strict=True)}
print(f"{N} optimizer steps ({steps_per_epoch} per epoch), warmup {W} steps")
print(f"{'lr_scheduler_type':>26}  step 0    step {W}   last step")
for name, r in zip(schedule_types, rates, strict=True):
    print(f"{name:>26}  {r[0]:.2e}  {r[W]:.2e}  {r[-1]:.2e}")
# %% Past num_training_steps
# A run longer than num_training_steps: N more steps, past the schedule's end.
beyond = [rates_of(factors[name], 2 * N)[N:] for name in schedule_types]
print(f"\n{'past the end':>26}  step {N:<3}   step {2 * N - W:<3}   step {2 * N - 1}")
for name, r in zip(schedule_types, beyond, strict=True):
    print(f"{name:>26}  {r[0]:.2e}   {r[N - W]:.2e}   {r[-1]:.2e}")
after = dict(zip(schedule_types, beyond, strict=True))
climb_back = [name for name, r in after.items() if r[-1] > 2 * r[0]]  # rise
back_at_peak = 2 * N - W  # where `cosine` is at the peak again
zero_at_step_0 = [name for name in schedule_types if first[name] == 0.0]
linear_last = rates[schedule_types.index("linear")][-1]
cosine_last = rates[schedule_types.index("cosine")][-1]

# %% Checks and figure
assert warmup_exact < W  # the ratio gave no whole number: ceil added a step
assert len(zero_at_step_0) == len(schedule_types) - 2  # all warmups start at 0 ...
assert first["cosine_warmup_with_min_lr"] == lr / W  # ... but this one
assert first["constant"] == lr  # and "constant", which has no warmup at all
shifted = rates[schedule_types.index("cosine_warmup_with_min_lr")]
assert shifted[W - 1] == lr  # it peaks one step early: its warmup counts from 1
assert all(r[W] == lr for r in rates[1:] if r is not shifted)  # the others at W
assert 0 < linear_last < lr / (N - W) * 1.0001  # one step short of 0: the run ends
assert 0 < cosine_last < 0.01 * lr  # not 0 either
assert factors["linear"](N) == 0 == factors["cosine"](N)  # 0 comes after the run
# Past the end: the cosines climb back, to the peak again at step 2N - W
assert climb_back == ["cosine", "cosine_with_min_lr", "cosine_warmup_with_min_lr"]
assert after["cosine"][back_at_peak - N] == lr and after["cosine"][0] == 0.0
for name in ["linear", "cosine_with_restarts", "warmup_stable_decay"]:
    assert set(after[name]) == {0.0}, name  # stay at 0
assert set(after["polynomial"]) == {lr_end}  # stays at lr_end
assert set(after["constant"]) == {lr} == set(after["constant_with_warmup"])
assert sorted(after["inverse_sqrt"], reverse=True) == after["inverse_sqrt"]  # on down

panels = {  # three lines a panel: one a reader can tell apart
    "decay to 0 (or lr_end)": ["linear", "cosine", "polynomial"],
    "restarts and floors": [
        "cosine_with_restarts",
        "cosine_with_min_lr",
        "cosine_warmup_with_min_lr",
    ],
    "no decay to 0": ["constant_with_warmup", "inverse_sqrt", "warmup_stable_decay"],
}
fig, axes = plt.subplots(len(panels), 1, figsize=(7, 9.6), layout="constrained")
for ax, (title, names) in zip(axes, panels.items(), strict=True):
    for name in names:
        ax.step(range(N), rates[schedule_types.index(name)], where="post", label=name)
    ax.axvline(W, color="grey", linewidth=0.6, linestyle=":")
    ax.set(xlabel="optimizer step", ylabel="learning rate", title=title)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.3), ncols=3)
fig.suptitle(f"Hugging Face schedules, {N} steps, warmup {W} (dotted line)")
plt.show()
