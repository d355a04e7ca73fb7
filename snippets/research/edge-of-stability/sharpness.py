"""Full-batch gradient descent on digits at three rates: the sharpness (the top
eigenvalue of the loss's Hessian) rises to 2/lr, then hovers there."""

import matplotlib.pyplot as plt
import torch
from sklearn.datasets import load_digits

torch.set_num_threads(1)  # a tiny model: more threads only add overhead
torch.set_default_dtype(torch.float64)  # float64: CPUs differ only in the last bits
RATES, SEEDS, STEPS, EVERY = (0.45, 0.58, 0.7), 3, 500, 20
FIRST, ITERS, FINAL = 20, 3, 25  # power iterations: first check, later, at the end


def sharpness(loss, params, v, iters):
    """Power iteration on Hessian-vector products (double backward): each run's top
    Hessian eigenvalue, warm-started from the vectors v of the last call."""
    grads = torch.autograd.grad(loss.sum(), params, create_graph=True)
    for _ in range(iters):
        hv = torch.autograd.grad(grads, params, v, retain_graph=True)
        top = sum((h * u).sum((1, 2)) for h, u in zip(hv, v, strict=True))  # v'Hv
        norm = sum(h.square().sum((1, 2)) for h in hv).sqrt().view(-1, 1, 1)
        v = [h / norm for h in hv]  # |v| = 1 again
    return top.detach(), v, [g.detach() for g in grads]


def train(params, losses, lr):
    """Full-batch gradient descent, every run at once (one rate per run); the
    sharpness every EVERY steps."""
    v, history, tops = [torch.randn_like(p) for p in params], [], []
    for step in range(STEPS):
        loss = losses(params)  # one loss per run: the whole data set
        if step % EVERY == 0:  # few iterations: the vector changes slowly
            top, v, grads = sharpness(loss, params, v, FIRST if step == 0 else ITERS)
            tops.append(top)
        else:
            grads = torch.autograd.grad(loss.sum(), params)
        history.append(loss.detach())
        with torch.no_grad():
            for p, g in zip(params, grads, strict=True):
                p -= lr * g
    return torch.stack(history), torch.stack(tops), v  # (steps, runs)


# %% The data, the networks (a 64-32-32-10 tanh network per rate and seed), the runs
images, labels = load_digits(return_X_y=True)
N = 200
X = torch.tensor(images[:N]) / 16  # 200 digits, pixels in [0, 1], centred
X, Y = X - X.mean(0), torch.eye(10)[labels[:N]]  # one-hot targets


def losses(params, x=X, y=Y):  # half the squared error per digit, as Cohen et al.
    w1, b1, w2, b2, w3, b3 = params
    x = x.expand(len(w1), -1, -1)
    h = torch.tanh(torch.baddbmm(b2, torch.tanh(torch.baddbmm(b1, x, w1)), w2))
    return 0.5 * (torch.baddbmm(b3, h, w3) - y).square().sum(2).mean(1)  # per run


def init(widths, copies):  # nn.Linear's default init, `copies` networks
    return [
        (torch.rand(copies, *shape) * 2 - 1) / fan_in**0.5
        for fan_in, out in zip(widths, widths[1:], strict=False)
        for shape in ((fan_in, out), (1, out))
    ]


torch.manual_seed(0)
start = init((64, 32, 32, 10), SEEDS)  # seed s: the same weights at every rate
params = [p.repeat(len(RATES), 1, 1).requires_grad_() for p in start]
lr = torch.tensor(RATES).repeat_interleave(SEEDS).view(-1, 1, 1)  # run r's rate
history, tops, v = train(params, losses, lr)

# %% What the runs show, and the checks
edge = (2 / lr).flatten()  # each run's 2/lr
EDGES = [2 / rate for rate in RATES]
runs = len(edge)
n_weights = sum(p[0].numel() for p in params)  # of one network
reached = (tops >= 0.95 * edge).float().argmax(0)  # first check at the edge
assert (tops >= 0.95 * edge).any(0).all(), "every run sharpens up to 2/lr"
assert (tops[0] < 0.95 * edge).all(), "every run starts below its 2/lr"
rises = history[1:] > history[:-1]  # the steps where the loss went up
print("  lr   2/lr  sharpness: at start  then (median/(2/lr))", end="")
print("  loss rises: before  after")
ratio, before, after, falls = [], [], [], []
for r in range(len(edge)):
    k = reached[r].item()
    ratio.append((tops[k:, r].median() / edge[r]).item())
    before.append(rises[: k * EVERY, r].sum().item())
    after.append(rises[k * EVERY :, r].sum().item())
    falls.append((history[-100:, r].min() / history[k * EVERY, r]).item())
ratio, before, after = torch.tensor(ratio), torch.tensor(before), torch.tensor(after)
falls = torch.tensor(falls)
for i, rate in enumerate(RATES):
    rr = slice(i * SEEDS, (i + 1) * SEEDS)  # the runs at this rate
    print(
        f"{rate:4}  {2 / rate:5.2f}  {tops[0, rr].mean():16.2f}"
        f"  {ratio[rr].mean():9.3f} ± {ratio[rr].std():.3f}"
        f"  {before[rr].float().mean():15.0f}  {after[rr].float().mean():6.0f}"
    )
hover_mean, hover_std = ratio.mean().item(), ratio.std().item()
assert ((0.9 < ratio) & (ratio < 1.2)).all(), "at the edge, it hovers at 2/lr"
assert (before <= 2).all() and (after >= 5).all(), "the loss rises only at the edge"
assert (falls < 0.9).all(), "and keeps falling there: its lows of the last 100 steps"
start_sharpness = tops[0].mean().item()
smallest_rate_growth = (tops[:, :SEEDS].max(0)[0] / tops[0, :SEEDS]).min().item()
assert smallest_rate_growth > 2, "at the smallest rate, it more than doubles"
reached_steps = (reached * EVERY).view(len(RATES), SEEDS).float().mean(1).tolist()
assert reached_steps[0] > reached_steps[1] > reached_steps[2], "larger rates sooner"
least_fall = (1 - falls.max()).item()  # the least the loss fell after the edge
fewest_rises = after.min().item()

# A Rayleigh quotient v'Hv is at most the top eigenvalue: the tracked values are
# lower bounds. At the end, FINAL iterations from the same vectors converge further.
loss = losses(params)
quick = sharpness(loss, params, v, ITERS)[0]
converged = sharpness(loss, params, v, FINAL)[0]
assert (quick <= converged + 1e-9).all()
lag = ((converged - quick) / converged).max().item()  # the most ITERS iterations missed
end_ratio = converged / edge
assert ((0.9 < end_ratio) & (end_ratio < 1.3)).all(), "converged: still near 2/lr"
end_low, end_high = end_ratio.min().item(), end_ratio.max().item()
print(f"at the end, {FINAL} iterations: {end_low:.3f} to {end_high:.3f}", end="")
print(f" times 2/lr; {ITERS} iterations were up to {lag:.0%} lower")

# And power iteration finds the exact top eigenvalue on a network small enough to
# form its Hessian: 64-3-3-10 on 50 digits (torch.func.hessian gives the same,
# but its first call here takes a second).
small = [p.requires_grad_() for p in init((64, 3, 3, 10), 1)]
x, y = X[:50], Y[:50]
sizes = [p.numel() for p in small]
small_weights = sum(sizes)


def flat_loss(w):
    parts = torch.split(w, sizes)
    return losses([t.view_as(p) for t, p in zip(parts, small, strict=True)], x, y)[0]


w = torch.cat([p.detach().flatten() for p in small])
exact = torch.linalg.eigvalsh(torch.autograd.functional.hessian(flat_loss, w))
found = sharpness(losses(small, x, y), small, [torch.randn_like(p) for p in small], 200)
exact_top, power_top = exact[-1].item(), found[0].item()
print(f"small network: power iteration {power_top:.6f}, eigvalsh {exact_top:.6f}")
assert abs(power_top - exact_top) < 1e-6 * exact_top
assert exact[-1] > exact[0].abs()  # the top eigenvalue is the largest in size

# %% The figure
steps = torch.arange(0, STEPS, EVERY)
fig, (top_ax, loss_ax) = plt.subplots(2, 1, sharex=True, figsize=(7, 6))
for i, rate in enumerate(RATES):
    run = i * SEEDS  # seed 0 of each rate
    (line,) = top_ax.plot(steps, tops[:, run], label=f"lr = {rate}")
    top_ax.axhline(2 / rate, color=line.get_color(), linestyle="--", linewidth=1.2)
    loss_ax.plot(history[:, run], color=line.get_color(), linewidth=1.2)
top_ax.set(ylabel="sharpness", title="It rises to 2/lr (dashed), then hovers")
top_ax.legend(loc="upper left")
loss_ax.set(xlabel="step", ylabel="training loss", yscale="log")
loss_ax.yaxis.set_major_formatter("{x:g}")
loss_ax.yaxis.set_minor_formatter("{x:g}")
loss_ax.set_title("The loss keeps falling, not monotonically")
plt.show()
