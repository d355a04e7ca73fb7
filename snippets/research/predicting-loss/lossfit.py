"""Fit Tissue et al.'s loss law to a constant-rate run and a cosine run on digits,
then predict the held-out loss of a WSD run, step by step, before training it."""

import matplotlib.pyplot as plt
import numpy as np
import torch
from scipy.optimize import least_squares
from sklearn.datasets import load_digits

torch.set_num_threads(1)  # a tiny model: more threads only add overhead
torch.set_default_dtype(torch.float64)  # float64: CPUs differ only in the last bits
STEPS, PEAK, BATCH, SEEDS, FIRST, LAMBDA = 400, 0.3, 16, 4, 50, 0.95
t = np.arange(1, STEPS + 1)
COOL = STEPS // 4  # the WSD run cools down over its last quarter
SCHEDULES = {  # the rate at steps 1..STEPS
    "constant": np.full(STEPS, PEAK),
    "cosine": PEAK * 0.5 * (1 + np.cos(np.pi * (t - 1) / STEPS)),
    "WSD": PEAK * np.clip((STEPS - t + 1) / COOL, 0, 1),  # a linear cooldown
}


def areas(lr, decay=LAMBDA):
    """S1, the area under the rate so far, and S2, the annealing area: each step's
    drop in the rate, eta[i-1] - eta[i], enters a momentum m that decays by
    `decay` per step, and S2 sums m (Tissue et al., arXiv:2408.11029)."""
    s1 = np.cumsum(lr)
    drops = -np.diff(lr, prepend=lr[0])  # eta[i-1] - eta[i], none at step 1
    m = np.zeros_like(lr)
    for i in range(len(lr)):
        m[i] = drops[i] + (decay * m[i - 1] if i else 0.0)
    return s1, np.cumsum(m)


def law(theta, s1, s2):  # L = L0 + A * S1^-alpha - C * S2
    l0, a, alpha, c = theta
    return l0 + a * s1**-alpha - c * s2


# %% The fit: least squares from step FIRST on, within bounds
def fit(curves, names, with_s2=True, decay=LAMBDA):
    """Least squares of the law on the curves from step FIRST on."""
    s = [areas(SCHEDULES[n], decay) for n in names]

    def residuals(theta):
        theta = theta if with_s2 else [*theta[:3], 0.0]
        return np.concatenate(
            [(law(theta, *a) - y)[FIRST:] for a, y in zip(s, curves, strict=True)]
        )

    start, low, high = (
        [0.1, 1.0, 0.5, 1.0],
        [0, 0, 0.01, 0],
        [np.inf, np.inf, 3, np.inf],
    )
    theta = least_squares(residuals, start, bounds=(low, high)).x
    return theta if with_s2 else np.array([*theta[:3], 0.0])


# %% The data, the networks (64-64-10, ReLU) and minibatch SGD, every run at once
images, labels = load_digits(return_X_y=True)
X, Y = torch.tensor(images) / 16, torch.tensor(labels)
perm = torch.randperm(len(X), generator=torch.Generator().manual_seed(0))
train, held = perm[:1200], perm[1200:]  # 1200 digits to train on, 597 held out


def forward(params, x):
    w1, b1, w2, b2 = params
    return torch.baddbmm(b2, torch.relu(torch.baddbmm(b1, x, w1)), w2)


def run(lrs):
    """Train one network per (schedule, seed); the held-out loss after each step."""
    runs = len(lrs) * SEEDS
    torch.manual_seed(0)
    shapes = [((64, 64), 64), ((1, 64), 64), ((64, 10), 64), ((1, 10), 64)]
    start = [(torch.rand(SEEDS, *s) * 2 - 1) / fan**0.5 for s, fan in shapes]
    params = [p.repeat(len(lrs), 1, 1).requires_grad_() for p in start]
    lr = torch.tensor(np.stack(lrs)).repeat_interleave(SEEDS, 0)  # (runs, STEPS)
    gen = torch.Generator().manual_seed(1)
    batches = torch.stack(  # seed s: the same batches under every schedule
        [torch.randint(len(train), (SEEDS, BATCH), generator=gen) for _ in range(STEPS)]
    )
    xh, yh = X[held].expand(runs, -1, -1), Y[held].repeat(runs)
    history = []
    for step in range(STEPS):
        idx = train[batches[step]].repeat(len(lrs), 1)  # (runs, BATCH)
        out = forward(params, X[idx])
        loss = torch.nn.functional.cross_entropy(out.flatten(0, 1), Y[idx].flatten())
        grads = torch.autograd.grad(loss * runs, params)  # each run its own mean
        with torch.no_grad():
            for p, g in zip(params, grads, strict=True):
                p -= lr[:, step].view(-1, 1, 1) * g
            out = forward(params, xh).flatten(0, 1)
            held_loss = torch.nn.functional.cross_entropy(out, yh, reduction="none")
            history.append(held_loss.view(runs, -1).mean(1))
    return torch.stack(history, 1).view(len(lrs), SEEDS, STEPS).numpy()


# %% Train all three schedules, fit the law on two, predict the third
curves = dict(zip(SCHEDULES, run(list(SCHEDULES.values())), strict=True))
mean = {name: c.mean(0) for name, c in curves.items()}
FITTED = ["constant", "cosine"]
theta = fit([mean[n] for n in FITTED], FITTED)
L0, A, ALPHA, C = theta.tolist()
predicted = law(theta, *areas(SCHEDULES["WSD"]))
measured = mean["WSD"]
print(f"fitted: L0 = {L0:.3f}, A = {A:.3f}, alpha = {ALPHA:.3f}, C = {C:.4f}")


# %% The errors: over the run (from step FIRST), over the cooldown, at the end
def errors(pred, y):
    gap = np.abs(pred - y) / y  # relative error at each step
    return gap[FIRST:].mean(), gap[-COOL:].mean(), gap[-1]


no_s2 = fit([mean[n] for n in FITTED], FITTED, with_s2=False)  # C = 0
rivals = {  # what else one could have said about the WSD run before training it
    "the law": predicted,
    "the law without S2": law(no_s2, *areas(SCHEDULES["WSD"])),
    "the law, lambda 0.999": law(
        fit([mean[n] for n in FITTED], FITTED, decay=0.999),
        *areas(SCHEDULES["WSD"], 0.999),
    ),
    "the constant run": mean["constant"],
}
err = {name: errors(pred, measured) for name, pred in rivals.items()}
print("relative error of the WSD prediction  over the run  cooldown  last step")
for name, (run_err, cool_err, last_err) in err.items():
    print(f"{name:36}{run_err:10.1%}{cool_err:10.1%}{last_err:10.1%}")
seed_err = np.array(
    [  # fit and predict seed by seed: the spread
        errors(
            law(fit([curves[n][s] for n in FITTED], FITTED), *areas(SCHEDULES["WSD"])),
            curves["WSD"][s],
        )
        for s in range(SEEDS)
    ]
)
run_err, cool_err, last_err = err["the law"]
seed_mean, seed_std = seed_err.mean(0).tolist(), seed_err.std(0).tolist()
nos2_cool, nos2_last = err["the law without S2"][1:]
slow_cool, slow_last = err["the law, lambda 0.999"][1:]
const_cool = err["the constant run"][1]
print(
    "per seed (mean ± std over seeds):",
    "  ".join(f"{m:.1%} ± {sd:.1%}" for m, sd in zip(seed_mean, seed_std, strict=True)),
)

# %% Checks
assert C > 0, "the fit finds a loss drop from annealing"
assert max(run_err, cool_err, last_err) < 0.12, "the law predicts WSD within 12%"
assert (seed_err[:, 2] < 0.2).all(), "seed by seed, the last step within 20%"
assert cool_err < err["the constant run"][1], "the cooldown beats 'no change'"
assert cool_err < err["the law without S2"][1], "S2 buys the cooldown's drop"
assert last_err < err["the law without S2"][2]
# The law without S2 can only put WSD above the constant run (less S1); it ended below.
assert (rivals["the law without S2"] >= law(no_s2, *areas(SCHEDULES["constant"]))).all()
wsd_end, constant_end = measured[-10:].mean(), mean["constant"][-10:].mean()
assert wsd_end < constant_end, "the last 10 steps: WSD below the constant rate"
assert err["the law, lambda 0.999"][2] > last_err, "0.999 is too long a memory here"

# %% The figure
colors = plt.rcParams["axes.prop_cycle"].by_key()["color"]
fig, (top, bottom) = plt.subplots(2, 1, sharex=True, figsize=(7, 6.5))
low, high = curves["WSD"].min(0), curves["WSD"].max(0)
top.fill_between(t, low, high, color=colors[2], alpha=0.3, linewidth=0)
top.plot(t, measured, color=colors[2], label=f"WSD, measured ({SEEDS} seeds)")
top.plot(t, predicted, "--", color=colors[3], label="WSD, predicted by the law")
top.plot(t, rivals["the law without S2"], ":", color=colors[1], label="law without S2")
top.set(ylabel="held-out loss", ylim=(0.1, 0.45), title="WSD: predicted before it ran")
top.legend(loc="upper right")
for name, color in zip(FITTED, [colors[0], colors[4]], strict=True):
    bottom.plot(t, mean[name], color=color, label=f"{name}, measured")
    bottom.plot(t, law(theta, *areas(SCHEDULES[name])), "--", color=colors[3])
bottom.set(xlabel="step", ylabel="held-out loss", ylim=(0.1, 0.45), xlim=(FIRST, STEPS))
bottom.set_title("The two runs it was fitted on (law dashed)")
bottom.legend(loc="upper right")
fig.tight_layout()
plt.show()
