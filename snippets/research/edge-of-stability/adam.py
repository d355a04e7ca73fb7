"""Full-batch Adam on digits at three rates: the preconditioned sharpness (the top
eigenvalue of P^-1 H) rises to 38/lr, then hovers there."""

import matplotlib.pyplot as plt
import torch
from sklearn.datasets import load_digits

torch.set_num_threads(1)  # a tiny model: more threads only add overhead
torch.set_default_dtype(torch.float64)  # float64: CPUs differ only in the last bits
RATES, SEEDS, STEPS, EVERY = (0.006, 0.01, 0.02), 2, 500, 20
BETA1, BETA2, EPS = 0.9, 0.999, 1e-8  # torch.optim.Adam's defaults


def preconditioned_sharpness(grads, params, P, u, iters):
    """Top eigenvalue of P^-1 H (that of P^-1/2 H P^-1/2), by power iteration."""
    for _ in range(iters):
        norm = sum(x.square().sum((1, 2)) for x in u).sqrt().view(-1, 1, 1)
        u = [x / norm for x in u]
        v = [x / p.sqrt() for x, p in zip(u, P, strict=True)]  # P^-1/2 u
        hv = torch.autograd.grad(grads, params, v, retain_graph=True)  # H P^-1/2 u
        hv = [h / p.sqrt() for h, p in zip(hv, P, strict=True)]
        top = sum((h * x).sum((1, 2)) for h, x in zip(hv, u, strict=True))
        u = hv
    return top.detach(), u


def train(params, losses, lr, steps=STEPS):
    """Adam written out, all runs at once: lr * P^-1 * m, P as in arXiv:2207.14484."""
    m, s = [torch.zeros_like(p) for p in params], [torch.zeros_like(p) for p in params]
    u, history, tops = [torch.randn_like(p) for p in params], [], []
    for step in range(1, steps + 1):
        loss = losses(params)
        grads = torch.autograd.grad(loss.sum(), params, create_graph=step % EVERY == 0)
        for i, g in enumerate(grads):
            m[i] = BETA1 * m[i] + (1 - BETA1) * g.detach()
            s[i] = BETA2 * s[i] + (1 - BETA2) * g.detach().square()
        P = [(1 - BETA1**step) * ((x / (1 - BETA2**step)).sqrt() + EPS) for x in s]
        if step % EVERY == 0:  # the sharpness: 20 iterations, then 4 each time
            top, u = preconditioned_sharpness(grads, params, P, u, 4 if tops else 20)
            tops.append(top)
        history.append(loss.detach())
        with torch.no_grad():
            for p, m_i, P_i in zip(params, m, P, strict=True):
                p -= lr * m_i / P_i
    return torch.stack(history), torch.stack(tops)  # (steps, runs)


# %% The data and the networks: as for gradient descent (sharpness.py)
images, labels = load_digits(return_X_y=True)
N = 200
X = torch.tensor(images[:N]) / 16  # 200 digits, pixels in [0, 1], centred
X, Y = X - X.mean(0), torch.eye(10)[labels[:N]]  # one-hot targets


def losses(params, x=X, y=Y):  # half the squared error per digit, one per run
    w1, b1, w2, b2, w3, b3 = params
    x = x.expand(len(w1), -1, -1)
    h = torch.tanh(torch.baddbmm(b2, torch.tanh(torch.baddbmm(b1, x, w1)), w2))
    return 0.5 * (torch.baddbmm(b3, h, w3) - y).square().sum(2).mean(1)


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
history, tops = train(params, losses, lr)

# %% What the runs show, and the checks
edge = ((2 + 2 * BETA1) / ((1 - BETA1) * lr)).flatten()  # 38/lr for beta1 = 0.9
EDGES = edge[::SEEDS].tolist()
runs = len(edge)
assert (tops[0] < 0.5 * edge).all(), "every run starts far below its 38/lr"
assert (tops >= 0.9 * edge).any(0).all(), "every run sharpens up to 38/lr"
reached = (tops >= 0.9 * edge).float().argmax(0)  # first check near the edge
ratio = torch.stack([tops[k:, r].median() / edge[r] for r, k in enumerate(reached)])
hover_mean, hover_std = ratio.mean().item(), ratio.std().item()
assert ((0.8 < ratio) & (ratio < 1.2)).all(), "then it hovers near 38/lr"
start_sharpness = tops[0].mean().item()
print(" lr     38/lr  P^-1 H sharpness: first  then (median/(38/lr))")
for i, rate in enumerate(RATES):
    rr = slice(i * SEEDS, (i + 1) * SEEDS)  # the runs at this rate
    print(
        f"{rate:<6} {EDGES[i]:6.0f}  {tops[0, rr].mean():22.0f}"
        f"  {ratio[rr].mean():8.3f} ± {ratio[rr].std():.3f}"
    )
# The loss keeps falling: its lows of the last 100 steps are below the loss at the
# edge, in every run.
at_edge = history[(reached + 1) * EVERY - 1, torch.arange(runs)]
least_fall = (1 - (history[-100:].min(0)[0] / at_edge).max()).item()
assert least_fall > 0.1

# The Adam written out is torch.optim.Adam's: EVERY steps of one run agree.
one = [p[:1].detach().clone().requires_grad_() for p in start]
optimizer = torch.optim.Adam(one, lr=RATES[0], betas=(BETA1, BETA2), eps=EPS)
for _ in range(EVERY):
    optimizer.zero_grad()
    losses(one).sum().backward()
    optimizer.step()
ours = [p[:1].detach().clone().requires_grad_() for p in start]
train(ours, losses, torch.tensor(RATES[0]), steps=EVERY)
assert all(torch.allclose(a, b) for a, b in zip(one, ours, strict=True))

# %% The figure
steps = torch.arange(EVERY, STEPS + 1, EVERY)
fig, (top_ax, loss_ax) = plt.subplots(2, 1, sharex=True, figsize=(7, 6))
for i, rate in enumerate(RATES):
    run = i * SEEDS  # seed 0 of each rate
    (line,) = top_ax.plot(steps, tops[:, run], label=f"lr = {rate}")
    top_ax.axhline(EDGES[i], color=line.get_color(), linestyle="--", linewidth=1.2)
    loss_ax.plot(range(1, STEPS + 1), history[:, run], color=line.get_color())
top_ax.set(ylabel="sharpness of P^-1 H", title="Adam: it rises to 38/lr (dashed)")
top_ax.set_ylim(0, 1.3 * max(EDGES))
top_ax.legend(loc="upper left", ncol=3)
loss_ax.set(xlabel="step", ylabel="training loss", yscale="log")
loss_ax.set_title("The loss keeps falling, not monotonically")
plt.show()
