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


# Near each minimum the well is a quadratic of curvature L''(w) = 3 w^2 - 1.
for where, start in (("deeper", -1.0), ("shallower", 1.0)):
    w = newton_minimum(start)
    curvature = 3 * w**2 - 1
    print(
        f"double well, {where} minimum: w = {w:.3f}, L = {double_well([w]):.3f},"
        f" L'' = {curvature:.3f}, 2/L'' = {2 / curvature:.3f}"
    )
print(f"double well at the start, w = 2: L'' = {3 * 2.0**2 - 1:.0f}")
w_star = newton_minimum(-1.0)

# Surface: (loss, start, L* = lowest loss, presets too low / good / too high).
SURFACES = {
    "1-D quadratic": (quadratic_1d, [4.0], 0.0, (0.02, 0.3, 1.05)),
    "2-D quadratic": (quadratic_2d, [-4.0, 1.5], 0.0, (0.01, 0.18, 0.21)),
    "double well": (double_well, [2.0], double_well([w_star]).item(), (0.01, 0.4, 0.7)),
}


def descend(loss_fn, start, lr):
    """L at each step, until |w| passes 1e6 (as the playground does)."""
    p = torch.tensor(start, dtype=torch.float64, requires_grad=True)
    optimizer = torch.optim.SGD([p], lr=lr)
    losses = []
    for _ in range(STEPS + 1):
        optimizer.zero_grad()
        loss = loss_fn(p)
        losses.append(loss.item())
        if p.abs().max() > 1e6:
            break
        loss.backward()
        optimizer.step()
    return losses, p.detach()


# Where the steps end on the double well depends on the rate, not only on the start.
for lr in (0.1, 0.2, 0.3, 0.5, 0.6, 0.65):
    losses, w = descend(double_well, [2.0], lr)
    end = f"w = {w[0]:.3f}" if len(losses) > STEPS else "diverged"
    print(f"double well from w = 2, lr = {lr}: after {len(losses) - 1} steps {end}")

fig, axes = plt.subplots(1, 3, figsize=(11, 3.6), sharey=True)
for ax, (name, (loss_fn, start, lowest, rates)) in zip(
    axes, SURFACES.items(), strict=True
):
    for label, lr in zip(("too low", "good", "too high"), rates, strict=True):
        gaps = [loss - lowest for loss in descend(loss_fn, start, lr)[0]]
        end = f"L - L* = {gaps[-1]:.3g} after {len(gaps) - 1} steps"
        print(f"{name:>13}, lr = {lr:<4} ({label:>8}): {end}")
        ax.plot([max(gap, 1e-30) for gap in gaps], label=f"lr = {lr} ({label})")
        # What the page says: too low is still far off, good gets there, too high
        # ends above where it started.
        expected = {"too low": gaps[-1] > 1e-3, "good": abs(gaps[-1]) < 1e-12}
        assert expected.get(label, gaps[-1] > gaps[0]), (name, label)
    ax.set(yscale="log", xlabel="step", ylabel="loss above its minimum, L - L*")
    ax.set_title(name)
    ax.legend(fontsize="small")
fig.suptitle("Gradient descent with the playground's presets")
plt.show()
