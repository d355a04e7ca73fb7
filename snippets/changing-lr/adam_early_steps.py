"""Why Adam wants warmup: its first steps are its largest, and its per-weight rate
rests on a second-moment estimate made from very few gradients."""

import matplotlib.pyplot as plt
import torch

LR, STEPS, WARMUP = 0.01, 200, 50
torch.manual_seed(0)
noise = torch.randn(STEPS, 2_000)  # gradients that are pure noise, mean 0


def run(warmup: int) -> tuple[list[float], list[float]]:
    w = torch.zeros(2_000, requires_grad=True)
    optimizer = torch.optim.Adam([w], lr=LR)  # betas=(0.9, 0.999)
    scheduler = None
    if warmup:  # lr / 100 at step 1, rising linearly to lr at step `warmup`
        scheduler = torch.optim.lr_scheduler.LinearLR(
            optimizer, start_factor=0.01, total_iters=warmup
        )
    step_sizes, spreads = [], []
    for grad in noise:
        before = w.detach().clone()
        w.grad = grad.clone()
        optimizer.step()
        step_sizes.append((w.detach() - before).abs().mean().item() / LR)
        state = optimizer.state[w]
        v_hat = state["exp_avg_sq"] / (1 - 0.999 ** state["step"])  # bias-corrected
        rate = 1 / v_hat.sqrt()  # Adam's per-weight scale for this step
        low, high = rate.quantile(torch.tensor([0.1, 0.9]))
        spreads.append((high / low).item())
        if scheduler:
            scheduler.step()
    return step_sizes, spreads


plain, spread = run(warmup=0)
warm, _ = run(warmup=WARMUP)
print("step  mean |step| / lr  with warmup  rate spread (90th / 10th percentile)")
for step in (1, 10, 50, 200):
    i = step - 1
    print(f"{step:>4} {plain[i]:>17.2f} {warm[i]:>12.3f} {spread[i]:>10.1f}")

# %% Values for the page, checks and figure
early_plain, early_warm = sum(plain[:10]), sum(warm[:10])
print(
    f"first 10 steps moved each weight {early_plain:.2f} lr in total "
    f"({early_warm:.2f} lr with warmup)"
)
step_1, step_10, step_200 = plain[0], plain[9], plain[-1]
spread_1, spread_10, spread_200 = spread[0], spread[9], spread[-1]

# What the page claims: on gradients that are pure noise Adam's first step moves every
# weight by the full lr; its later steps are several times smaller; the per-weight
# rates disagree wildly at first and settle as gradients accumulate; warmup keeps the
# first steps small.
assert abs(step_1 - 1) < 1e-4 and step_1 > 3 * step_10 and step_10 > step_200
assert spread_1 > 10 > spread_10 > spread_200 and spread_200 < 1.5
assert early_warm < 0.2 * early_plain

fig, (top, bottom) = plt.subplots(2, 1, figsize=(7, 7), layout="constrained")
steps = range(1, STEPS + 1)
top.plot(steps, plain, label="Adam, constant lr")
top.plot(steps, warm, label=f"Adam, {WARMUP} steps of linear warmup")
top.set(
    xscale="log",
    xlabel="step",
    ylabel="mean |weight change| / lr",
    title="Step size on pure-noise gradients",
)
top.legend()
bottom.plot(steps, spread, color="C2")
bottom.set_yscale("log")
bottom.set_yticks([1, 2, 5, 10], labels=["1", "2", "5", "10"])
bottom.set_yticks([], minor=True)
bottom.set(
    xscale="log",
    xlabel="step",
    ylabel="90th / 10th percentile of 1 / sqrt(v̂)",
    title="Spread of Adam's per-weight rates",
)
plt.show()
