"""Three ways to fine-tune a pretrained network, each swept over its rate with 5
seeds: every weight at one rate, the new head faster than the body, LoRA (peft)."""

import copy

import matplotlib.pyplot as plt
import torch
from peft import LoraConfig, get_peft_model
from sklearn.datasets import load_digits
from torch import nn

SHOTS, STEPS, SEEDS = 10, 60, 5  # labelled images per class, full-batch AdamW steps
RATES = [10 ** (k / 3) for k in range(-9, 0)]  # 0.001 ... 0.46, three per decade
RATIO = 10  # discriminative: the new head's rate over the pretrained body's


def full(model, lr):
    """Every weight at one rate."""
    return model, [{"params": model.parameters(), "lr": lr}]


def discriminative(model, lr):
    """The new head at lr, the pretrained body ten times slower."""
    return model, [
        {"params": model.body.parameters(), "lr": lr / RATIO},
        {"params": model.head.parameters(), "lr": lr},
    ]


def lora(model, lr, lora_alpha=8):  # 8: peft's default
    """The body frozen; beside each of its Linear layers an update B @ A of rank 8,
    scaled by lora_alpha / r; the new head trained in full."""
    config = LoraConfig(
        r=8,  # peft's default
        lora_alpha=lora_alpha,
        target_modules=["body.0", "body.2"],  # the body's two Linear layers
        modules_to_save=["head"],  # not an adapter, trained in full all the same
    )
    model = get_peft_model(model, config)  # freezes all but the adapters and head
    trainable = [p for p in model.parameters() if p.requires_grad]
    return model, [{"params": trainable, "lr": lr}]


# Each set-up's groups go to torch.optim.AdamW(groups). Folded below: the data, the
# pretraining, the sweep (every rate and seed side by side), the checks, the figure.

# %% Data and pretraining: an autoencoder on the digits 0-4, no labels
torch.set_num_threads(1)  # a tiny model: more threads only add overhead
digits = load_digits()  # 1797 8x8 images, shipped inside scikit-learn
X = torch.tensor(digits.data, dtype=torch.float32) / 16
y = torch.tensor(digits.target)
torch.manual_seed(0)
body = nn.Sequential(nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU())
decoder = nn.Linear(64, 64)  # thrown away after pretraining
pre_optimizer = torch.optim.AdamW([*body.parameters(), *decoder.parameters()], 1e-2)
old = X[y < 5]
PRETRAIN_STEPS = 200  # full batch: every image of a 0-4
for _ in range(PRETRAIN_STEPS):
    pre_optimizer.zero_grad()
    nn.functional.mse_loss(decoder(body(old)), old).backward()
    pre_optimizer.step()
body.requires_grad_(False)  # the pretrained weights: copied, never trained in place

# The new task: digits 5-9. Half of them are the validation set; each seed draws
# its SHOTS labelled images per class from the other half.
new_x, new_y = X[y >= 5], y[y >= 5] - 5
order = torch.randperm(len(new_y), generator=torch.Generator().manual_seed(0))
pool, val = order[: len(order) // 2], order[len(order) // 2 :]


def labelled(seed: int) -> torch.Tensor:
    """SHOTS indices into the pool for each class 5-9, drawn by the seed."""
    g = torch.Generator().manual_seed(seed)
    picks = []
    for c in range(5):
        members = pool[new_y[pool] == c]
        picks.append(members[torch.randperm(len(members), generator=g)[:SHOTS]])
    return torch.cat(picks)


TRAIN = torch.stack([labelled(seed) for seed in range(SEEDS)])  # (SEEDS, 5 * SHOTS)


class Net(nn.Module):
    def __init__(self, body: nn.Sequential):
        super().__init__()
        self.body = body  # Linear(64, 64), ReLU, Linear(64, 64), ReLU: pretrained
        self.head = nn.Linear(64, 5)  # new: one output per digit 5-9

    def forward(self, x):
        return self.head(self.body(x))


def pretrained(seed: int) -> Net:
    """A fresh copy of the pretrained body with a new head; the seed draws the
    head's initial weights (and LoRA's A)."""
    torch.manual_seed(1000 + seed)
    return Net(copy.deepcopy(body).requires_grad_(True))


# %% The sweep: all runs of a set-up side by side (torch.func + vmap)
def rate_of(model: nn.Module, groups: list[dict]) -> dict[str, float]:
    """Each parameter's rate, by name: its group's, or 0 where no group holds it."""
    lr_of = {id(p): group["lr"] for group in groups for p in group["params"]}
    return {name: lr_of.get(id(p), 0.0) for name, p in model.named_parameters()}


def sweep(setup, **kwargs) -> torch.Tensor:
    """Validation accuracy of every (rate, seed), shape (len(RATES), SEEDS). Run r
    * SEEDS + s is row r * SEEDS + s of every stacked parameter. One AdamW steps
    the stacked parameters at lr=1; each run's step is then scaled by its own rate
    (its group's rate for each parameter). An AdamW step, weight decay included, is
    the rate times a direction that does not depend on the rate, so that is the
    step the run's own optimizer would take (checked below, one run alone)."""
    runs = [setup(pretrained(s), lr, **kwargs) for lr in RATES for s in range(SEEDS)]
    models = [model for model, _ in runs]
    rates = [rate_of(model, groups) for model, groups in runs]
    params, _ = torch.func.stack_module_state(models)
    trained = {n: p for n, p in params.items() if any(r[n] for r in rates)}
    frozen = {n: p.detach() for n, p in params.items() if n not in trained}
    row_rate = {
        n: torch.tensor([r[n] for r in rates]).view(-1, *[1] * (p.dim() - 1))
        for n, p in trained.items()
    }
    template = copy.deepcopy(models[0]).to("meta")

    def logits(p, x):
        return torch.func.functional_call(template, p, (x,))

    xs, ys = new_x[TRAIN].repeat(len(RATES), 1, 1), new_y[TRAIN].repeat(len(RATES), 1)
    optimizer = torch.optim.AdamW(trained.values(), lr=1.0)
    for _ in range(STEPS):
        out = torch.vmap(logits)({**frozen, **trained}, xs)
        loss = nn.functional.cross_entropy(out.transpose(1, 2), ys, reduction="none")
        optimizer.zero_grad()
        loss.mean(dim=1).sum().backward()  # each run's mean loss; runs independent
        before = {n: p.detach().clone() for n, p in trained.items()}
        optimizer.step()
        with torch.no_grad():  # before + rate * (the step at lr=1)
            for n, p in trained.items():
                p.copy_(torch.lerp(before[n], p, row_rate[n]))
    with torch.no_grad():
        out = torch.vmap(logits, in_dims=(0, None))({**frozen, **trained}, new_x[val])
    accuracy = (out.argmax(dim=-1) == new_y[val]).float().mean(dim=1)
    return accuracy.view(len(RATES), SEEDS)


TOLERANCE = 0.02  # "good": a mean accuracy within 2 points of the best mean
accuracy = {
    "full fine-tuning": sweep(full),
    f"discriminative (head {RATIO}x body)": sweep(discriminative),
    "LoRA (lora_alpha=8)": sweep(lora),
    "LoRA (lora_alpha=32)": sweep(lora, lora_alpha=32),
}


def summary(acc: torch.Tensor) -> dict:
    """Best grid rate (refined by a parabola through its neighbours, in log rate),
    the good range on the grid, and the mean and spread across seeds at the best."""
    mean, spread = acc.mean(dim=1), acc.std(dim=1)
    k = int(mean.argmax())
    assert 0 < k < len(RATES) - 1, "the best rate is at the edge of the grid"
    a, b, c = mean[k - 1 : k + 2].tolist()
    step = RATES[1] / RATES[0]
    best = RATES[k] * step ** (0.5 * (a - c) / (a - 2 * b + c))
    lo = hi = k  # the good range: the rates next to the best within TOLERANCE
    while lo > 0 and mean[lo - 1] >= b - TOLERANCE:
        lo -= 1
    while hi < len(RATES) - 1 and mean[hi + 1] >= b - TOLERANCE:
        hi += 1
    return {
        "best": best,
        "low": RATES[lo],
        "high": RATES[hi],
        "width": RATES[hi] / RATES[lo],
        "mean": b,
        "std": spread[k].item(),
    }


results = {name: summary(acc) for name, acc in accuracy.items()}
print(f"{'':31}best lr  good range (within {TOLERANCE:.2f})  accuracy at best")
for name, r in results.items():  # fixed widths: columns that hold on any CPU
    good = f"{r['low']:.4f} to {r['high']:.4f} (x{r['width']:4.1f})"
    print(f"{name:31}{r['best']:7.4f}  {good:26}  {r['mean']:.3f} ± {r['std']:.3f}")
# For the page: one value per set-up, in the order of `accuracy`.
best, low, high, width, mean_acc, seed_sd = (
    [r[key] for r in results.values()]
    for key in ["best", "low", "high", "width", "mean", "std"]
)
full_, disc_, lora_, lora32_ = results.values()
full_best, disc_best, lora_best, lora32_best = best
lora_over_full, disc_over_full = lora_best / full_best, disc_best / full_best
disc_body_best = disc_best / RATIO  # where the body's rate was at the head's best
n_old, n_val, n_rates = int((y < 5).sum()), len(val), len(RATES)


# %% Checks: each run trains as it would alone, and the claims
def alone(setup, r: int, s: int, **kwargs) -> float:
    """Run (rate r, seed s) in a plain loop with torch.optim.AdamW(groups)."""
    model, groups = setup(pretrained(s), RATES[r], **kwargs)
    optimizer = torch.optim.AdamW(groups)
    x, labels = new_x[TRAIN[s]], new_y[TRAIN[s]]
    for _ in range(STEPS):
        optimizer.zero_grad()
        nn.functional.cross_entropy(model(x), labels).backward()
        optimizer.step()
    with torch.no_grad():
        return (model(new_x[val]).argmax(dim=1) == new_y[val]).float().mean().item()


for (name, acc), setup, kwargs in zip(
    accuracy.items(),
    [full, discriminative, lora, lora],
    [{}, {}, {}, {"lora_alpha": 32}],
    strict=True,
):
    r, s = 3, 2  # any run: one in the good ranges (rate 0.01)
    assert abs(alone(setup, r, s, **kwargs) - acc[r, s].item()) < 2 / len(val), name

# Every method learns the task: far above the 20% of guessing.
assert all(r["mean"] > 0.85 for r in results.values())
# The new head takes a larger rate than full fine-tuning's: the discriminative
# sweep's best (head) rate is at least twice full fine-tuning's best.
assert disc_best > 2 * full_best
# ... while its body, at a tenth of the head's rate, is within a factor of 3 of
# full fine-tuning's best rate.
assert full_best / 3 < disc_body_best < 3 * full_best
# LoRA's best rate is nowhere near ten times full fine-tuning's here, and its best
# accuracy is below full fine-tuning's.
assert lora_best < 3 * full_best
assert lora_["mean"] < full_["mean"]
assert lora_["std"] > full_["std"]  # a wider spread across seeds at the best
# Full fine-tuning's and the discriminative set-up's good ranges are wider than
# either LoRA run's (whose tops are two grid rates on this grid).
assert min(width[:2]) > max(width[2:])
# A larger lora_alpha scales the update up: the curve moves to lower rates. At the
# two smallest rates lora_alpha=32 is ahead; it breaks down (mean accuracy below
# 0.5) at a lower rate than the default.
acc8, acc32 = (accuracy[name].mean(dim=1) for name in list(accuracy)[2:])
assert (acc32[:2] > acc8[:2]).all()


def breakdown(acc: torch.Tensor) -> float:
    """The first rate past the best whose mean accuracy is below 0.5; inf if none."""
    mean = acc.mean(dim=1)
    past = [r for k, r in enumerate(RATES) if k > mean.argmax() and mean[k] < 0.5]
    return past[0] if past else float("inf")


breaks = {name: breakdown(acc) for name, acc in accuracy.items()}
full_breaks, _, lora_breaks, lora32_breaks = breaks.values()
assert lora32_breaks < lora_breaks < float("inf")
# Full fine-tuning breaks down on the grid; the discriminative set-up, whose body
# moves at a tenth of the swept rate, does not.
assert full_breaks < float("inf") == breaks[f"discriminative (head {RATIO}x body)"]


# %% Figure
fig, axes = plt.subplots(2, 1, figsize=(7, 8), sharex=True)
fig.subplots_adjust(top=0.94, bottom=0.17, hspace=0.25)
colors = dict(zip(accuracy, ["#0072B2", "#D55E00", "#009E73", "#CC79A7"], strict=True))
for ax, names in zip(axes, [list(accuracy)[:3], list(accuracy)[2:]], strict=True):
    for row, name in enumerate(names):
        acc, r, color = accuracy[name], results[name], colors[name]
        mean, spread = acc.mean(dim=1), acc.std(dim=1)
        ax.plot(RATES, mean, marker="o", markersize=4, color=color, label=name)
        ax.fill_between(RATES, mean - spread, mean + spread, color=color, alpha=0.2)
        bar = 0.3 + 0.07 * row  # the good range as a bar, the best rate a diamond
        ax.plot([r["low"], r["high"]], [bar, bar], color=color, linewidth=5)
        ax.plot(r["best"], bar, "D", color=color, markersize=9, markeredgecolor="k")
    ax.set_xscale("log")
    ax.set_ylim(0.15, 1.0)
    ax.set_ylabel("validation accuracy")
axes[0].set_title(f"Each set-up's rate swept: mean of {SEEDS} seeds ± 1 sd")
axes[1].set_title("LoRA: a larger lora_alpha moves the curve to lower rates")
axes[1].set_xlabel("learning rate (log scale; discriminative: the head's)")
handles = {}  # each method once, in order
for ax in axes:
    handles.update(zip(*ax.get_legend_handles_labels()[::-1], strict=True))
note = f"bar: within {TOLERANCE:.2f} of the best; diamond: the best rate"
handles[note] = plt.Line2D([], [], color="grey", linewidth=5, marker="D")
fig.legend(handles.values(), handles.keys(), loc="lower center", ncols=2)
plt.show()
