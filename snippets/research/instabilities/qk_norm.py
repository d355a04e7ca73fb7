"""A one-layer transformer on Python's own documentation, character by character,
trained by Adam at rates from 0.01 to 1, with and without qk-layernorm: the final
loss against the rate, and the largest attention logit of each run."""

from pydoc_data.topics import topics  # the text of Python's help(): real English

import matplotlib.pyplot as plt
import torch
import torch.nn.functional as F

torch.set_num_threads(1)  # a tiny model: more threads only add overhead
RATES = (0.01, 0.03, 0.1, 0.3, 1.0)  # Adam's peak rates, half a decade apart
SEEDS, STEPS, WARMUP, BATCH = 3, 80, 8, 8
D, HEADS, T = 32, 2, 32  # width, attention heads, context in characters
text = "".join(topics[k] for k in sorted(topics))[:40_000]
chars = sorted(set(text))
V = len(chars)  # the characters: the vocabulary
data = torch.tensor([chars.index(c) for c in text])
train_text, held_out = data[:36_000], data[36_000:]


def forward(p, x, qk_norm):
    """Every run at once: dim 0 of p's tensors is the run; x: (batch, T) chars."""
    runs, dh = len(p["emb"]), D // HEADS
    h = F.embedding(x + V * torch.arange(runs).view(-1, 1, 1), p["emb"].flatten(0, 1))
    h = h.flatten(1, 2) + p["pos"].repeat(1, len(x), 1)  # (runs, batch * T, D)
    q, k, v = (F.layer_norm(h, (D,)) @ p["qkv"]).split(D, -1)
    q, k, v = (z.view(runs, -1, T, HEADS, dh).transpose(2, 3) for z in (q, k, v))
    q_norm = F.layer_norm(q, (dh,)) * p["q_gain"].view(-1, 1, 1, 1, dh)  # qk-layernorm
    k_norm = F.layer_norm(k, (dh,)) * p["k_gain"].view(-1, 1, 1, 1, dh)
    on = qk_norm.view(-1, 1, 1, 1, 1)
    q, k = torch.where(on, q_norm, q), torch.where(on, k_norm, k)
    logits = q @ k.transpose(-1, -2) / dh**0.5  # the attention logits
    logits = logits + torch.full((T, T), -torch.inf).triu(1)  # causal mask
    o = (logits.softmax(-1) @ v).transpose(2, 3).reshape(h.shape)
    h = h + o @ p["proj"]
    h = h + F.gelu(F.layer_norm(h, (D,)) @ p["up"]) @ p["down"]
    out = F.layer_norm(h, (D,)) @ p["out"]  # (runs, batch * T, V)
    return out, logits.detach().amax((1, 2, 3, 4))  # and each run's largest logit


def losses(p, x, y, qk_norm):  # the cross-entropy of each run, and its largest logit
    out, largest = forward(p, x, qk_norm)
    target = y.flatten().expand(len(out), -1)
    return F.cross_entropy(out.mT, target, reduction="none").mean(1), largest


# %% The runs: Adam with warmup, cosine decay and clipping, as Wortsman et al.
def init(copies):  # weights ~ N(0, 1/fan_in), embeddings ~ N(0, 1), no biases
    def normal(*shape, fan_in=1):
        return torch.randn(copies, *shape) / fan_in**0.5

    return {
        "emb": normal(V, D),
        "pos": normal(T, D) * 0.1,
        "qkv": normal(D, 3 * D, fan_in=D),
        "q_gain": torch.ones(copies, D // HEADS),
        "k_gain": torch.ones(copies, D // HEADS),
        "proj": normal(D, D, fan_in=D),
        "up": normal(D, 2 * D, fan_in=D),
        "down": normal(2 * D, D, fan_in=2 * D),
        "out": normal(D, V, fan_in=D),
    }


def adam(p, grads, state, lr, step, betas=(0.9, 0.95), eps=1e-8):
    """torch.optim.Adam's update, with one rate per run (lr: one value per run)."""
    for (name, w), g in zip(p.items(), grads, strict=True):
        m, v = state.setdefault(name, (torch.zeros_like(w), torch.zeros_like(w)))
        m.lerp_(g, 1 - betas[0])
        v.lerp_(g.square(), 1 - betas[1])
        m_hat, v_hat = m / (1 - betas[0] ** step), v / (1 - betas[1] ** step)
        w -= lr.view(-1, *[1] * (w.dim() - 1)) * m_hat / (v_hat.sqrt() + eps)


def batch(gen, source=train_text):
    starts = torch.randint(len(source) - T, (BATCH,), generator=gen)
    windows = torch.stack([source[s : s + T + 1] for s in starts])
    return windows[:, :-1], windows[:, 1:]


torch.manual_seed(0)
start = init(SEEDS)  # seed s: the same network at every rate, in both variants
runs = 2 * len(RATES) * SEEDS  # [plain, qk-layernorm] x rate x seed
p = {k: w.repeat(runs // SEEDS, *[1] * (w.dim() - 1)) for k, w in start.items()}
p = {k: w.requires_grad_() for k, w in p.items()}
peak = torch.tensor(RATES).repeat_interleave(SEEDS).repeat(2)
qk_norm = torch.arange(runs) >= runs // 2
state, largest, gen = {}, [], torch.Generator().manual_seed(0)  # one batch order
for step in range(1, STEPS + 1):
    loss, top = losses(p, *batch(gen), qk_norm)
    grads = torch.autograd.grad(loss.sum(), list(p.values()))
    norm = sum(g.flatten(1).square().sum(1) for g in grads).sqrt()  # each run's
    clip = (1 / norm).clamp(max=1)  # clip each run's gradient to norm 1
    grads = [g * clip.view(-1, *[1] * (g.dim() - 1)) for g in grads]
    decay = 1 + torch.cos(torch.tensor((step - WARMUP) / (STEPS - WARMUP) * torch.pi))
    schedule = min(step / WARMUP, 1) if step <= WARMUP else decay.item() / 2
    with torch.no_grad():
        adam(p, grads, state, peak * schedule, step)
    largest.append(top)
largest = torch.stack(largest).amax(0)  # each run's largest logit in training
with torch.no_grad():  # the loss on the 4,000 held-out characters
    x = held_out[: len(held_out) - 1].unfold(0, T, T)
    y = held_out[1:].unfold(0, T, T)
    final = losses(p, x, y, qk_norm)[0]

# %% What the runs show, and the checks
final = final.view(2, len(RATES), SEEDS)  # (plain / qk-layernorm, rate, seed)
largest = largest.view(2, len(RATES), SEEDS)
freq = torch.bincount(data, minlength=V) / len(data)
unigram = -(freq * freq.log()).sum().item()  # the loss of letter frequencies alone
print(f"{V} characters; letter frequencies alone give a loss of {unigram:.3f}")
print("  rate   held-out loss: plain    qk-layernorm   largest logit: plain  qk-ln")
for i, r in enumerate(RATES):
    cells = [f"{final[w, i].mean():.3f} ± {final[w, i].std():.3f}" for w in (0, 1)]
    # Each bound padded alone: its digits differ from CPU to CPU, the columns do not.
    low, high = largest[:, i].min(1).values, largest[:, i].max(1).values
    tops = [f"{low[w]:6.0f} to {high[w]:<6.0f}" for w in (0, 1)]
    print(f"{r:6}  {cells[0]:>15}  {cells[1]:>13}  {tops[0]}  {tops[1]}".rstrip())
best = final.mean(2).min().item()  # the best mean loss of the sweep
WITHIN = 0.2  # a rate "trains" if its mean loss ends within 0.2 of the best
trains = final.mean(2) < best + WITHIN  # (variant, rate)
ranges = [[r for r, ok in zip(RATES, t, strict=True) if ok] for t in trains]
(plain_low, plain_high), (norm_low, norm_high) = [(r[0], r[-1]) for r in ranges]
print(f"rates within {WITHIN} of the best mean loss ({best:.3f}):", end=" ")
print(f"{plain_low}-{plain_high} plain, {norm_low}-{norm_high} with qk-layernorm")
assert all(len(r) == RATES.index(r[-1]) - RATES.index(r[0]) + 1 for r in ranges)
assert set(ranges[0]) < set(ranges[1]), "qk-layernorm widens the range that trains"
# Without qk-layernorm, the largest logit grows with the rate, by orders of magnitude
growth = largest[0].mean(1)
assert (growth.diff() > 0).all()
i_hi, i_lo = RATES.index(0.3), RATES.index(0.01)
logit_growth = (largest[0, i_hi].min() / largest[0, i_lo].max()).item()
assert logit_growth > 100 and (largest[0, i_hi] > 1000).all()  # in the thousands
# With it, the logits stay small up to 0.3, and below plain's at every rate >= 0.03
assert (largest[1, : i_hi + 1] < 50).all()
norm_top = largest[1, : i_hi + 1].max().item()
big = RATES.index(0.03)
assert (largest[1, big:].amax(1) < largest[0, big:].amin(1)).all()
# At 0.1 and 0.3, qk-layernorm ends lower for every seed; at 0.01, no change
gap = final[0, i_hi - 1 : i_hi + 1] - final[1, i_hi - 1 : i_hi + 1]
assert (gap > 0.05).all()
gap_low, gap_high = gap.min().item(), gap.max().item()
same = (final[0, : i_lo + 1].mean(1) - final[1, : i_lo + 1].mean(1)).abs()
assert (same < 0.03).all()
# At 1.0 neither trains: both end worse than the letter frequencies alone
assert (final[:, -1] > unigram).all()
assert (final[:, -1].mean(1) > unigram + 0.6).all(), "the figure's top"
assert final.isfinite().all(), "no run gave nan: the failures end high, finite"
plain_03 = [largest[0, i_hi].min().item(), largest[0, i_hi].max().item()]
plain_1 = [largest[0, -1].min().item(), largest[0, -1].max().item()]
norm_1 = [largest[1, -1].min().item(), largest[1, -1].max().item()]
plain_loss_03 = [final[0, i_hi].mean().item(), final[0, i_hi].std().item()]
norm_loss_03 = [final[1, i_hi].mean().item(), final[1, i_hi].std().item()]
# The Adam written out above is torch.optim.Adam's update, one rate per run
w, rates = torch.randn(2, 3, 4), (0.1, 0.3)
ref = [w[i].clone().requires_grad_() for i in range(2)]
groups = [{"params": [r], "lr": lr} for r, lr in zip(ref, rates, strict=True)]
opt, mine, mine_state = torch.optim.Adam(groups, betas=(0.9, 0.95)), {"w": w}, {}
for step in range(1, 4):
    g = torch.randn(2, 3, 4)
    ref[0].grad, ref[1].grad = g[0], g[1]
    opt.step()
    adam(mine, [g], mine_state, torch.tensor(rates), step)
assert torch.allclose(mine["w"], torch.stack(ref).detach())

# %% The figure
fig, (loss_ax, logit_ax) = plt.subplots(2, 1, figsize=(7, 7), sharex=True)
for w, name in enumerate(("plain attention", "qk-layernorm")):
    for ax, value in ((loss_ax, final[w]), (logit_ax, largest[w])):
        ax.plot(RATES, value.mean(1), marker="o", label=name)
        ax.fill_between(RATES, value.amin(1), value.amax(1), alpha=0.25)
loss_ax.axhline(unigram, color="0.5", linestyle="--", linewidth=1.2)
loss_ax.text(RATES[0], unigram + 0.04, "letter frequencies alone", color="0.4")
top = unigram + 0.6  # the runs at 1.0 end above it
loss_ax.set(ylabel="held-out loss", ylim=(final.min().item() - 0.1, top))
loss_ax.set_title(f"Final loss (band: {SEEDS} seeds; at {RATES[-1]:g}, off the top)")
loss_ax.legend(loc="upper left")
logit_ax.set(xscale="log", yscale="log", xlabel="peak learning rate")
logit_ax.set(ylabel="largest attention logit")
logit_ax.set_xticks(RATES, [f"{r:g}" for r in RATES])
logit_ax.set_xticks([], minor=True)
logit_ax.set_title("The largest attention logit in training")
fig.tight_layout()
plt.show()
