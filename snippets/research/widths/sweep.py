"""Adam's rate swept for MLPs of four widths on digits, under the standard
parametrisation (SP) and under μP: where the best rate goes as the network widens."""

import matplotlib.pyplot as plt
import torch
import torch.nn.functional as F
from sklearn.datasets import load_digits

torch.set_num_threads(1)  # small models: more threads only add overhead
WIDTHS, BASE = (16, 32, 64, 128), 16  # μP scales every width from the base width
RATES = torch.logspace(-3, -2 / 3, 8)  # 1e-3 to 0.22, three per decade
SEEDS, STEPS, BATCH = 3, 100, 32


def init(width, seeds):
    """Each seed's 64-width-width-10 MLP as nn.Linear draws it (uniform, bound
    1/sqrt(fan_in)), in SP and in μP. μP (Table 8) draws the output weights and the
    biases after the input layer as at BASE: constant variance in width."""
    sp, mup = [], []
    for layer, (fan_in, fan_out) in enumerate(
        [(64, width), (width, width), (width, 10)]
    ):
        for shape, is_bias in (((fan_in, fan_out), False), ((1, fan_out), True)):
            u = torch.rand(seeds, *shape) * 2 - 1
            at_base = layer == 2 or (is_bias and layer > 0)
            sp.append(u / fan_in**0.5)
            mup.append(u / (BASE if at_base else fan_in) ** 0.5)
    return sp, mup


def runs(width):
    """One width's SP and μP runs, every seed and rate: weights, each tensor's rate,
    the output multiplier. μP for Adam (Table 8) divides the hidden weights' rate
    and the output by width/BASE; every other rate is the swept rate, as in SP."""
    sp, mup = init(width, SEEDS)
    params = [
        torch.cat([s, u]).repeat_interleave(len(RATES), 0)
        for s, u in zip(sp, mup, strict=True)
    ]
    rate = RATES.repeat(2 * SEEDS).view(-1, 1, 1)  # runs: (SP, μP) x seed x rate
    shrink = torch.ones_like(rate)
    shrink[len(rate) // 2 :] = BASE / width  # 1 in SP, BASE/width in μP
    lrs = [rate * shrink if i == 2 else rate for i in range(6)]  # 2: hidden weights
    return [p.requires_grad_() for p in params], lrs, shrink


# %% Adam on every run at once (the batching machinery)
def train(params, lrs, mult, x, y, val_x, val_y, steps=STEPS):
    """Adam on every run at once: params[i][r] is run r's copy of tensor i, lrs[i][r]
    its rate, mult[r] its output multiplier. Returns each run's validation loss."""

    def losses(x, y):
        w1, b1, w2, b2, w3, b3 = params
        h = torch.relu(torch.baddbmm(b1, x.expand(len(w1), -1, -1), w1))
        out = torch.baddbmm(b3, torch.relu(torch.baddbmm(b2, h, w2)) * mult, w3)
        loss = F.cross_entropy(
            out.transpose(1, 2), y.expand(len(w1), -1), reduction="none"
        )
        return loss.mean(1)

    m, v = [torch.zeros_like(p) for p in params], [torch.zeros_like(p) for p in params]
    batches = torch.Generator().manual_seed(0)  # the same batches for every run
    for t in range(1, steps + 1):
        i = torch.randint(len(x), (BATCH,), generator=batches)
        grads = torch.autograd.grad(losses(x[i], y[i]).sum(), params)
        with torch.no_grad():  # Adam, as torch.optim.Adam with its defaults
            for p, g, m_, v_, lr in zip(params, grads, m, v, lrs, strict=True):
                m_.lerp_(g, 0.1), v_.lerp_(g.square(), 0.001)
                p -= lr * (m_ / (1 - 0.9**t)) / ((v_ / (1 - 0.999**t)).sqrt() + 1e-8)
    with torch.no_grad():
        return losses(val_x, val_y).nan_to_num(torch.inf)


# %% The data (digits, a fixed split) and the runs
images, labels = load_digits(return_X_y=True)
X, Y = torch.tensor(images, dtype=torch.float32) / 16, torch.tensor(labels)
order = torch.randperm(len(X), generator=torch.Generator().manual_seed(0))
train_i, val_i = order[:1200], order[1200:]  # 1200 to train on, 597 to validate
X = X - X[train_i].mean(0)
N_TRAIN, N_VAL = len(train_i), len(val_i)
val = torch.stack(  # (width, SP/μP, seed, rate)
    [
        train(*runs(w), X[train_i], Y[train_i], X[val_i], Y[val_i]).view(
            2, SEEDS, len(RATES)
        )
        for w in WIDTHS
        if torch.manual_seed(w) is not None
    ]
)

# %% What the runs show, and the checks
mean_val = val.mean(2)  # (width, SP/μP, rate): the mean over seeds
best = RATES[mean_val.argmin(2)]  # (width, SP/μP)
sp_best, mup_best = best[:, 0].tolist(), best[:, 1].tolist()
sp_shift = sp_best[0] / sp_best[-1]
step = (RATES[1] / RATES[0]).item()  # the grid's factor


def vertex(loss):  # the best rate between grid points: a parabola in log rate
    y, h = loss.log(), (RATES[1] / RATES[0]).log10()
    i = min(max(int(y.argmin()), 1), len(y) - 2)
    a, b, c = y[i - 1 : i + 2]
    return 10 ** (RATES[i].log10() + h * (a - c) / (2 * (a - 2 * b + c))).item()


seed_best = torch.tensor([[[vertex(s) for s in p] for p in w] for w in val])
print(f"best rate (of the mean over {SEEDS} seeds), width:", *WIDTHS)
print("SP: ", *(f"{b:.3g}" for b in sp_best))
print("μP: ", *(f"{b:.3g}" for b in mup_best))
print("between grid points, per seed (lowest to highest):")
for name, k in (("SP", 0), ("μP", 1)):
    cells = (f"{s.min():.3g}-{s.max():.3g}" for s in seed_best[:, k])
    print(f"{name}: ", *cells)
narrow_lo, narrow_hi = seed_best[0, 0].min().item(), seed_best[0, 0].max().item()
sp_wide_lo, sp_wide_hi = seed_best[-1, 0].min().item(), seed_best[-1, 0].max().item()
N_RATES, RATE_LO, RATE_HI = len(RATES), RATES[0].item(), RATES[-1].item()
mup_seed_all = seed_best[:, 1]
mup_spread = (
    mup_seed_all.median(1).values.max() / mup_seed_all.median(1).values.min()
).item()
assert (val[0, 0] == val[0, 1]).all(), "at the base width, μP is SP"
assert sp_best == sorted(sp_best, reverse=True), "SP: the best rate falls with width"
assert sp_shift >= 3, "SP: the widest's best rate is at least 3 times lower"
# SP: the widest beats the narrowest at every rate up to its own best, and loses
# at the narrowest's best rate: the curve moves left.
sp_gap = mean_val[-1, 0] - mean_val[0, 0]  # widest minus narrowest, per rate
i_narrow, i_wide = int(mean_val[0, 0].argmin()), int(mean_val[-1, 0].argmin())
assert (sp_gap[: i_wide + 1] < 0).all() and sp_gap[i_narrow] > 0
assert max(mup_best) / min(mup_best) < step * 1.01, "μP: within one grid step"
assert mup_spread < 2, "μP: the seeds' median best rates within a factor of 2"
assert (val.isfinite().sum((2, 3)) >= len(RATES) - 2).all()
assert (mean_val[-1, 1] < mean_val[0, 1]).all(), "μP: wider is better at every rate"


# %% μP as a model and Adam's parameter groups (the page's rule), checked
class MLP(torch.nn.Module):  # μP for Adam (Tensor Programs V, Table 8)
    def __init__(self, width):
        super().__init__()
        self.inp, self.hidden = (
            torch.nn.Linear(64, width),
            torch.nn.Linear(width, width),
        )
        self.out = torch.nn.Linear(width, 10)
        with torch.no_grad():  # 1. output weights, later biases: drawn as at BASE
            for p in (self.hidden.bias, self.out.weight, self.out.bias):
                p *= (width / BASE) ** 0.5
        self.mult = BASE / width  # 2. the output layer's input times BASE/width

    def forward(self, x):
        return self.out(torch.relu(self.hidden(torch.relu(self.inp(x)))) * self.mult)


def adam(model, lr, width):  # 3. the hidden weights' rate times BASE/width
    rest = [p for p in model.parameters() if p is not model.hidden.weight]
    return torch.optim.Adam(
        [{"params": [model.hidden.weight], "lr": lr * BASE / width}, {"params": rest}],
        lr=lr,
    )


model = MLP(128)  # drawn as init() draws μP's: the same bounds
for p, bound in ((model.hidden.weight, 128), (model.out.weight, BASE)):
    assert 0.9 < p.abs().max() * bound**0.5 <= 1
torch.manual_seed(1)
params, lrs, mult = runs(32)
r = params[0].shape[0] // 2 + 3  # a μP run, rate RATES[3]
model = MLP(32)
layers = (model.inp, model.hidden, model.out)
with torch.no_grad():  # run r's starting weights
    for i, layer in enumerate(layers):
        (
            layer.weight.copy_(params[2 * i][r].T),
            layer.bias.copy_(params[2 * i + 1][r, 0]),
        )
opt = adam(model, RATES[3].item(), 32)
train(params, lrs, mult, X[train_i], Y[train_i], X[val_i], Y[val_i], steps=5)
batches = torch.Generator().manual_seed(0)
for _ in range(5):
    i = torch.randint(N_TRAIN, (BATCH,), generator=batches)
    loss = F.cross_entropy(model(X[train_i][i]), Y[train_i][i])
    opt.zero_grad(), loss.backward(), opt.step()
for i, layer in enumerate(layers):
    torch.testing.assert_close(params[2 * i][r].detach().T, layer.weight.detach())

# %% The figure
fig, axes = plt.subplots(2, 1, sharex=True, figsize=(7, 7))
for ax, k, name in zip(axes, (0, 1), ("Standard parametrisation", "μP"), strict=True):
    for j, width in enumerate(WIDTHS):
        ax.plot(RATES, mean_val[j, k], marker="o", label=f"width {width}")
        ax.plot(best[j, k], mean_val[j, k].min(), "*", color=f"C{j}", markersize=14)
    ax.set(xscale="log", ylabel="validation loss", ylim=(0, 2.4))
    ax.set_title(f"{name}: the star is each width's best rate")
axes[0].legend(loc="upper center", ncols=2)
axes[1].set_xlabel("Adam's learning rate (μP: at the base width)")
fig.tight_layout()
plt.show()
