"""The playground's presets, run with torch.optim.SGD: too low, good and too high
learning rates on a 1-D quadratic, a 2-D ill-conditioned quadratic and a double well."""

import matplotlib.pyplot as plt
import torch

STEPS = 100
TILT = 0.25  # the double well L(w) = w^4/4 - w^2/2 + TILT * w leans to the left


def quadratic_1d(p):
    return (p[0] - 1) ** 2


def quadratic_2d(p):
    return (p[0] ** 2 + 10 * p[1] ** 2) / 2  # curvatures 1 and 10


def double_well(p):
    return p[0] ** 4 / 4 - p[0] ** 2 / 2 + TILT * p[0]


def newton_minimum(w):
    """A minimum of the double well by Newton's method on L'(w) = w^3 - w + TILT."""
    w = torch.tensor(w, dtype=torch.float64)
    for _ in range(20):
        w = w - (w**3 - w + TILT) / (3 * w**2 - 1)
    return w


# Near each minimum the well is a quadratic of curvature L''(w) = 3 w^2 - 1, and
# steps settle there only if lr < 2 / L''.
minima = {}
for where, start in (("deeper", -1.0), ("shallower", 1.0)):
    w = newton_minimum(start)
    curvature = 3 * w**2 - 1
    minima[where] = (w.item(), curvature.item(), 2 / curvature.item())
    print(
        f"double well, {where} minimum: w = {w:.3f}, L = {double_well([w]):.3f},"
        f" L'' = {curvature:.3f}, 2/L'' = {2 / curvature:.3f}"
    )
deeper_w, deeper_curvature, deeper_limit = minima["deeper"]
shallower_w, shallower_curvature, shallower_limit = minima["shallower"]
start_curvature = 3 * 2.0**2 - 1
print(f"double well at the start, w = 2: L'' = {start_curvature:.0f}")
w_star = newton_minimum(-1.0)

# Surface: (loss, start, L* = lowest loss, presets too low / good / too high).
SURFACES = {
    "1-D quadratic": (quadratic_1d, [4.0], 0.0, (0.02, 0.3, 1.05)),
    "2-D quadratic": (quadratic_2d, [-4.0, 1.5], 0.0, (0.01, 0.18, 0.21)),
    "double well": (double_well, [2.0], double_well([w_star]).item(), (0.01, 0.4, 0.7)),
}


def descend(loss_fn, start, lr):
    """L and the point at each step, until |w| passes 1e6 (as the playground does)."""
    p = torch.tensor(start, dtype=torch.float64, requires_grad=True)
    optimizer = torch.optim.SGD([p], lr=lr)
    losses, points = [], []
    for _ in range(STEPS + 1):
        optimizer.zero_grad()
        loss = loss_fn(p)
        losses.append(loss.item())
        points.append(p.detach().clone())
        if p.abs().max() > 1e6:
            break
        loss.backward()
        optimizer.step()
    return losses, points


# Where the steps end on the double well depends on the rate, not only on the start.
ends = {}
for lr in (0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.62, 0.65):
    losses, points = descend(double_well, [2.0], lr)
    w = points[-1][0].item()
    if len(losses) <= STEPS:
        ends[lr] = "diverged"
    else:
        ends[lr] = "deeper" if abs(w - deeper_w) < abs(w - shallower_w) else "shallower"
    end = f"w = {w:.3f}" if len(losses) > STEPS else "diverged"
    print(f"double well from w = 2, lr = {lr}: after {len(losses) - 1} steps {end}")

final_gap, steps_run, paths, gaps = {}, {}, {}, {}
for name, (loss_fn, start, lowest, rates) in SURFACES.items():
    for label, lr in zip(("too low", "good", "too high"), rates, strict=True):
        losses, paths[name, label] = descend(loss_fn, start, lr)
        gaps[name, label] = gap = [loss - lowest for loss in losses]
        final_gap[name, label], steps_run[name, label] = gap[-1], len(gap) - 1
        end = f"L - L* = {gap[-1]:.3g} after {len(gap) - 1} steps"
        print(f"{name:>13}, lr = {lr:<4} ({label:>8}): {end}")

# The numbers the page quotes.
low_1d_gap = final_gap["1-D quadratic", "too low"]
high_1d_gap = final_gap["1-D quadratic", "too high"]
good_2d_gap = final_gap["2-D quadratic", "good"]
blowup_steps = steps_run["double well", "too high"]
good_2d_y = [p[1].item() for p in paths["2-D quadratic", "good"]]
high_2d_x = [p[0].item() for p in paths["2-D quadratic", "too high"]]
high_2d_y = [p[1].item() for p in paths["2-D quadratic", "too high"]]
w0, w1 = (p[0].item() for p in paths["double well", "too high"][:2])
slope = [w**3 - w + TILT for w in (w0, w1)]  # L'(w) at the start and after a step

# %% Checks and figure
# What the page says: too low is still far off, good gets there, too high ends
# above where it started.
for (name, label), gap in gaps.items():
    expected = {"too low": gap[-1] > 1e-3, "good": abs(gap[-1]) < 1e-12}
    assert expected.get(label, gap[-1] > gap[0]), (name, label)
# What the page claims. 1-D: the good rate reaches the minimum to the last bit of
# float64. 2-D: the good rate, 0.18, jumps across the steep valley (y changes sign
# at every step) and still converges; 0.21 diverges slowly, along y only, with
# all the steps shown. Double well: 0.1 and 0.2 stop in the shallower minimum,
# 0.3 to 0.6 in the deeper one, 0.62 in the shallower again, 0.65 diverges; the
# too-high rate, 0.7, is below both local limits, yet its first step lands where
# the slope is steeper and it blows up within a few steps.
assert final_gap["1-D quadratic", "good"] == 0.0
assert all(a * b < 0 for a, b in zip(good_2d_y[:-1], good_2d_y[1:], strict=True))
assert steps_run["2-D quadratic", "too high"] == STEPS
assert abs(high_2d_x[-1]) < 1e-3 < abs(high_2d_y[0])
assert all(abs(b) > abs(a) for a, b in zip(high_2d_y[:-1], high_2d_y[1:], strict=True))
assert ends == {
    0.1: "shallower",
    0.2: "shallower",
    0.3: "deeper",
    0.4: "deeper",
    0.5: "deeper",
    0.6: "deeper",
    0.62: "shallower",
    0.65: "diverged",
}
# 0.6 only just: its second step lands a hair left of the hump between the wells
# (the root of L' between the minima) and rolls to the deeper side; 0.62's lands in
# the shallower well.
hump_w = newton_minimum(0.0).item()  # Newton's step finds the root nearest 0
w1_06, w2_06 = (p[0].item() for p in descend(double_well, [2.0], 0.6)[1][1:3])
w2_062 = descend(double_well, [2.0], 0.62)[1][2][0].item()
assert w1_06 < deeper_w < w2_06 < hump_w < shallower_w < w2_062, (w2_06, w2_062)
assert hump_w - w2_06 < 0.01
too_high_dw = SURFACES["double well"][3][2]
assert too_high_dw < deeper_limit < shallower_limit and abs(slope[1]) > abs(slope[0])
assert blowup_steps < 10

# One panel per row: drawn for the page's column, text as large as a single figure's.
fig, axes = plt.subplots(3, 1, figsize=(7, 10), layout="constrained")
for ax, (name, (_, _, _, rates)) in zip(axes, SURFACES.items(), strict=True):
    for label, lr in zip(("too low", "good", "too high"), rates, strict=True):
        shown = [max(gap, 1e-30) for gap in gaps[name, label]]
        ax.plot(shown, label=f"lr = {lr} ({label})")
    ax.set(yscale="log", xlabel="step", ylabel="loss above its minimum, L - L*")
    ax.set_title(name)
    ax.legend()
fig.suptitle("Gradient descent with the playground's presets")
plt.show()
