"""How far one step moves the weights: SGD follows the gradient's size; Adam
does not."""

from itertools import pairwise

import matplotlib.pyplot as plt
import torch

torch.manual_seed(0)
X, y = torch.randn(64, 5), torch.randn(64)  # a small least-squares problem
LR = 0.01
SCALES = [10 ** (k / 2) for k in range(-6, 7)]  # gradients 1000x smaller ... larger


def steps(optimizer_class, scale: float, n: int = 20) -> tuple[float, torch.Tensor]:
    """Mean |change| of a weight in the first step, and the weights after n steps."""
    w = torch.zeros(5, requires_grad=True)
    optimizer = optimizer_class([w], lr=LR)
    first = None
    for _ in range(n):
        before = w.detach().clone()
        optimizer.zero_grad()
        loss = scale * ((X @ w - y) ** 2).mean()  # scaling the loss scales the grad
        loss.backward()
        optimizer.step()
        if first is None:
            first = (w.detach() - before).abs().mean().item()
    return first, w.detach()


sgd = [steps(torch.optim.SGD, s)[0] for s in SCALES]
adam = [steps(torch.optim.Adam, s)[0] for s in SCALES]
sgd_small, sgd_large = sgd[SCALES.index(0.01)], sgd[SCALES.index(100.0)]
adam_small, adam_large = adam[SCALES.index(0.01)], adam[SCALES.index(100.0)]
print(f"lr = {LR}; mean |change of a weight| in the first step:")
print(f"{'gradient scale':>15} {'SGD':>10} {'Adam':>10}")
for scale in (0.01, 1.0, 100.0):
    i = SCALES.index(scale)
    print(f"{scale:>15g} {sgd[i]:>10.3g} {adam[i]:>10.3g}")
# Not only the first step: 20 Adam steps land on the same weights at every scale.
_, w_small = steps(torch.optim.Adam, 0.01)
_, w_large = steps(torch.optim.Adam, 100.0)
adam_gap = (w_small - w_large).abs().max().item()
print(f"Adam, 20 steps: weights at scale 0.01 and 100 differ by at most {adam_gap:.1e}")

# %% Checks and figure
# What the page claims: SGD's step grows in proportion to the gradient (slope one on
# the log-log plot: 10x the scale, 10x the step); Adam's first step is lr for every
# weight, whatever the scale (|m / sqrt(v)| = |g| / |g| = 1 at step 1), and after 20
# steps its weights at scales 0.01 and 100 still agree up to rounding.
assert all(abs(b / a / 10**0.5 - 1) < 1e-3 for a, b in pairwise(sgd))
assert abs(sgd_large / sgd_small - 1e4) < 1e-2 * 1e4
assert all(abs(a / LR - 1) < 1e-3 for a in adam)
assert adam_gap < 1e-5  # float32 rounding, on weights of size ~0.1

fig, ax = plt.subplots()
ax.plot(SCALES, sgd, marker="o", label="SGD: step = lr × gradient")
ax.plot(SCALES, adam, marker="s", label="Adam: step ≈ lr")
ax.set_xscale("log")
ax.set_yscale("log")
ax.set(
    xlabel="gradient scale (loss multiplied by this factor)",
    ylabel="mean |weight change| in step 1",
    title=f"Size of the first step at lr = {LR}",
)
ax.legend()
plt.show()
