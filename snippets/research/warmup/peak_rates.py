"""Full-batch gradient descent on digits from a sharp start, with and without a
linear warmup: the largest peak rate that trains, and the sharpness early on."""

import matplotlib.pyplot as plt
import torch
from sklearn.datasets import load_digits

torch.set_num_threads(1)  # a tiny model: more threads only add overhead
torch.set_default_dtype(torch.float64)  # float64: CPUs differ only in the last bits
PEAKS = (0.2, 0.28, 0.4, 0.57, 0.8, 1.13, 1.6)  # each 1.4 times the one before
SEEDS, STEPS, WARMUP, EVERY = 2, 250, 100, 10


def train(params, losses, peak, warm):
    """Every run at once: run r's rate climbs linearly from peak/WARMUP to its peak
    over the first WARMUP steps if warm[r], else starts at its peak. A run whose
    loss passes 100 has diverged: it stops."""
    v, alive = [torch.randn_like(p) for p in params], torch.ones(len(peak), dtype=bool)
    history, tops = [], []
    for step in range(STEPS):
        loss = losses(params)
        alive &= loss < 100
        loss = torch.where(alive, loss, 0.0)  # a diverged run gets no gradient
        if step % EVERY == 0:  # the sharpness, every EVERY steps
            top, v, grads = sharpness(loss, params, v, 20 if step == 0 else 4)
            tops.append(torch.where(alive, top, torch.nan))
        else:
            grads = torch.autograd.grad(loss.sum(), params)
        history.append(torch.where(alive, loss.detach(), torch.nan))
        warmed = torch.where(warm, min(1.0, (step + 1) / WARMUP), 1.0)
        lr = (peak * warmed * alive).view(-1, 1, 1)
        with torch.no_grad():
            for p, g in zip(params, grads, strict=True):
                p -= lr * g
    return torch.stack(history), torch.stack(tops)  # (steps, runs)


# %% The sharpness: power iteration, as on The edge of stability
def sharpness(loss, params, v, iters):
    """Each run's top Hessian eigenvalue: power iteration on Hessian-vector
    products, from the vectors v."""
    grads = torch.autograd.grad(loss.sum(), params, create_graph=True)
    for _ in range(iters):
        norm = sum(u.square().sum((1, 2)) for u in v).sqrt().view(-1, 1, 1)
        v = [u / norm for u in v]
        hv = torch.autograd.grad(grads, params, v, retain_graph=True)
        top = sum((h * u).sum((1, 2)) for h, u in zip(hv, v, strict=True))
        v = hv
    return top.detach(), v, [g.detach() for g in grads]


# %% The data, the networks (64-32-32-10, tanh, started sharp) and the runs
images, labels = load_digits(return_X_y=True)
N = 150
X = torch.tensor(images[:N]) / 16  # 150 digits, pixels in [0, 1], centred
X, Y = X - X.mean(0), torch.eye(10)[labels[:N]]  # one-hot targets


def losses(params, x=X, y=Y):  # half the squared error per digit, one per run
    w1, b1, w2, b2, w3, b3 = params
    x = x.expand(len(w1), -1, -1)
    h = torch.tanh(torch.baddbmm(b2, torch.tanh(torch.baddbmm(b1, x, w1)), w2))
    return 0.5 * (torch.baddbmm(b3, h, w3) - y).square().sum(2).mean(1)


def init(widths, copies, scale=3.0):  # nn.Linear's init, its weights times 3
    return [
        (torch.rand(copies, *shape) * 2 - 1) * scale / fan_in**0.5
        for fan_in, out in zip(widths, widths[1:], strict=False)
        for shape in ((fan_in, out), (1, out))
    ]


torch.manual_seed(0)
start = init((64, 32, 32, 10), SEEDS)  # seed s: the same network in every run
runs = 2 * len(PEAKS) * SEEDS  # [no warmup, warmup] x peak x seed
params = [p.repeat(runs // SEEDS, 1, 1).requires_grad_() for p in start]
peak = torch.tensor(PEAKS).repeat_interleave(SEEDS).repeat(2)
warm = torch.arange(runs) >= runs // 2
history, tops = train(params, losses, peak, warm)

# %% What the runs show, and the checks
final = history[-20:].mean(0).view(2, len(PEAKS), SEEDS)  # the last 20 steps
trained = final.isfinite().all(2)  # (no warmup / warmup, peak): every seed trained
largest = [max(p for p, ok in zip(PEAKS, t, strict=True) if ok) for t in trained]
largest_without, largest_with = largest
gain = largest_with / largest_without
edges = (2 / peak).view(2, len(PEAKS), SEEDS)
tops_ = tops.view(-1, 2, len(PEAKS), SEEDS)  # (checks, schedule, peak, seed)
start_sharpness = tops[0].mean().item()
print(f"sharpness at the start: {start_sharpness:.1f} on average")
print(" peak   2/peak  final loss: no warmup        with warmup")
for i, p in enumerate(PEAKS):
    cells = [
        f"{final[w, i].mean():.4f} ± {final[w, i].std():.4f}"
        if trained[w, i]
        else f"diverged ({(~final[w, i].isfinite()).sum()} of {SEEDS})"
        for w in (0, 1)
    ]
    print(f"{p:5}  {2 / p:6.2f}  {cells[0]:>22}  {cells[1]:>18}")
print(f"largest peak that trains: {largest_without} without warmup,", end=" ")
print(f"{largest_with} with a {WARMUP}-step warmup ({gain:.1f} times)")
assert (tops[0] > 2 / peak).all(), "every run starts sharper than 2/peak"
assert all(t[: PEAKS.index(b) + 1].all() for t, b in zip(trained, largest, strict=True))
assert gain > 1.9, "warmup trains at a peak at least twice as high"
# Without warmup, the runs that trained got below 2/peak within EVERY steps.
first_check = tops_[1, 0][trained[0]] / edges[0][trained[0]]
assert (first_check < 1).all(), "a catapult: the sharpness falls at once"
catapult_drop = (tops_[1, 0][trained[0]] / tops_[0, 0][trained[0]]).max().item()
# With warmup, every run that trained ended at or below about 2/peak ...
end_ratio = tops_[-1, 1][trained[1]] / edges[1][trained[1]]
assert (end_ratio < 1.2).all()
end_high = end_ratio.max().item()
# ... and the flattest ended at under half the sharpness of any run that trained
# without warmup, at its end.
flattest = tops_[-1, 1][trained[1]].min().item()
flattest_without = tops_[-1, 0][trained[0]].min().item()
assert flattest < 0.5 * flattest_without and flattest < 0.5 * 2 / largest_without
# The warmup runs at peaks where no warmup diverged: at step WARMUP their
# sharpness was already a fraction of the start's.
beyond = trained[1] & (torch.tensor(PEAKS) > largest_without)
at_warmup_end = tops_[WARMUP // EVERY, 1][beyond]
warmup_end_high = (at_warmup_end.max() / start_sharpness).item()
assert warmup_end_high < 0.5, "during warmup, it fell to under half"
best_mean = [final[w][trained[w]].view(-1, SEEDS).mean(1).min().item() for w in (0, 1)]
print(f"best mean final loss: {best_mean[0]:.4f} without, {best_mean[1]:.4f} with")
# At a peak both train, the run without warmup ends lower: no steps at small rates.
both = trained[0] & trained[1]
assert (final[0][both].mean(1) < final[1][both].mean(1)).all()

# %% The figure
steps = torch.arange(0, STEPS, EVERY)
fig, (top_ax, loss_ax) = plt.subplots(2, 1, figsize=(7, 6.5))
low, high = PEAKS.index(largest_without), PEAKS.index(largest_with)
shown = [(0, low, "no warmup"), (1, low, "warmup"), (1, high, "warmup")]
for w, i, name in shown:
    run = (w * len(PEAKS) + i) * SEEDS  # seed 0
    top_ax.plot(steps, tops[:, run], label=f"{name}, peak {PEAKS[i]}")
colors = plt.rcParams["axes.prop_cycle"].by_key()["color"]
rate = PEAKS[high] * torch.clamp(torch.arange(1, STEPS + 1) / WARMUP, max=1)
top_ax.plot(2 / rate, color=colors[2], linestyle="--", linewidth=1.2)
top_ax.axhline(2 / PEAKS[low], color=colors[0], linestyle="--", linewidth=1.2)
top_ax.set(xlabel="step", ylabel="sharpness", ylim=(0, 21))
top_ax.set_title("The sharpness, and 2/lr (dashed)")
top_ax.legend(loc="upper right")
for w, name in enumerate(("no warmup", f"{WARMUP}-step warmup")):
    mean = final[w].mean(1)  # nan where a seed diverged
    loss_ax.plot(PEAKS, mean, marker="o", label=name)
loss_ax.set(xscale="log", xlabel="peak learning rate", ylabel="final training loss")
loss_ax.set_xticks(PEAKS, [f"{p:g}" for p in PEAKS])
loss_ax.set_xticks([], minor=True)
loss_ax.set_title("Where a rate is missing, a seed diverged")
loss_ax.legend(loc="upper center")
fig.tight_layout()
plt.show()
