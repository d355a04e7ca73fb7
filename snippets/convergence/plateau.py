"""Loss and gradient norm of a training run, with ReduceLROnPlateau watching the loss,
and the plateau rule written out by hand to check that it decides the same; and the
run's sharpness (the Hessian's largest eigenvalue) against the rate's limit 2 / lr."""

import math

import matplotlib.pyplot as plt
import torch

torch.set_num_threads(1)  # a small model: more threads only add overhead
generator = torch.Generator().manual_seed(0)
# The MLP data of the earlier pages, in float64: late in this run the rate is at the
# edge of stability, which would blow float32's rounding up into other epochs.
X = torch.randn(256, 2, generator=generator).double()
y = torch.sin(3 * X[:, :1]) + 0.5 * X[:, 1:] ** 2
EPOCHS, PATIENCE, THRESHOLD = 300, 10, 0.01

torch.manual_seed(0)
model = torch.nn.Sequential(
    torch.nn.Linear(2, 64),
    torch.nn.ReLU(),
    torch.nn.Linear(64, 64),
    torch.nn.ReLU(),
    torch.nn.Linear(64, 1),
).double()
optimizer = torch.optim.SGD(model.parameters(), lr=0.3)
scheduler = torch.optim.lr_scheduler.ReduceLROnPlateau(
    optimizer, mode="min", factor=0.5, patience=PATIENCE, threshold=THRESHOLD
)  # threshold_mode="rel" is the default

# The same rule by hand: an epoch counts as an improvement only if the metric beats
# the best so far by the relative threshold; more than PATIENCE bad epochs: reduce.
best, bad_epochs, predicted = math.inf, 0, []

losses, norms, rates, reduced, weights = [], [], [], [], {}
for epoch in range(1, EPOCHS + 1):  # one full-batch step per "epoch"
    optimizer.zero_grad()
    loss = torch.nn.functional.mse_loss(model(X), y)
    loss.backward()
    norm = torch.nn.utils.clip_grad_norm_(model.parameters(), math.inf)  # measure only
    if epoch % 5 == 0:  # kept to measure the sharpness, in a fold below
        weights[epoch] = [p.detach().clone() for p in model.parameters()]
    optimizer.step()
    metric = loss.item()
    losses.append(metric)
    norms.append(norm.item())
    rates.append(optimizer.param_groups[0]["lr"])

    if metric < best * (1 - THRESHOLD):
        best, bad_epochs = metric, 0
    else:
        bad_epochs += 1
    if bad_epochs > PATIENCE:
        predicted.append(epoch)
        bad_epochs = 0

    before = optimizer.param_groups[0]["lr"]
    scheduler.step(metric)
    if optimizer.param_groups[0]["lr"] < before:
        reduced.append(epoch)

print(f"lr halved after epochs: {reduced}")
print(f"hand-written rule predicts: {predicted}")
for epoch in (1, 50, 100, 200, 300):
    print(
        f"epoch {epoch:>3}: loss {losses[epoch - 1]:.4f}  grad norm "
        f"{norms[epoch - 1]:.4f}  lr {rates[epoch - 1]:.4g}"
    )
first, second = reduced[:2]
low = min(range(first, second), key=norms.__getitem__)  # list index i is epoch i + 1
high = max(range(low, second), key=norms.__getitem__)
low_epoch, low_norm, high_epoch, high_norm = low + 1, norms[low], high + 1, norms[high]
print(f"gradient norm between the halvings: {low_norm:.3f} at epoch {low_epoch},")
print(f"then up to {high_norm:.3f} at epoch {high_epoch}")
loss_50, norm_50, final_loss, final_norm = losses[49], norms[49], losses[-1], norms[-1]
rises = [i + 1 for i in range(1, EPOCHS) if losses[i] > losses[i - 1]]  # epochs
rises_before = sum(epoch <= first for epoch in rises)
print(f"the loss rose in {rises_before} of the first {first} epochs")
# %% Sharpness: the Hessian's largest eigenvalue, by power iteration
params = list(model.parameters())
vector = [torch.randn(p.shape, generator=generator, dtype=p.dtype) for p in params]


def sharpness(iterations: int = 3) -> float:
    """lambda_max of the loss's Hessian by power iteration on Hessian-vector products
    (torch.autograd, twice). Each call starts from the last call's vector, so a few
    iterations track it. The estimate v.Hv (|v| = 1) is never above lambda_max."""
    loss = torch.nn.functional.mse_loss(model(X), y)
    grads = torch.autograd.grad(loss, params, create_graph=True)
    for _ in range(iterations):
        norm = torch.cat([v.flatten() for v in vector]).norm()
        vector[:] = [v / norm for v in vector]
        products = torch.autograd.grad(grads, params, vector, retain_graph=True)
        estimate = sum((h * v).sum() for h, v in zip(products, vector, strict=True))
        vector[:] = [h.detach() for h in products]
    return estimate.item()


# lr * lambda_max at every 5th epoch (2 is the quadratic's limit), at the weights
# that epoch's step started from.
sharp = {}
for epoch, kept in weights.items():
    with torch.no_grad():
        for p, w in zip(params, kept, strict=True):
            p.copy_(w)
    sharp[epoch] = rates[epoch - 1] * sharpness()

# The edge of stability: lr * lambda_max against 2, every 5th epoch.
edge = [epoch for epoch in sharp if 10 <= epoch <= first]  # at lr = 0.3
above, edge_peak = sum(sharp[e] > 2 for e in edge), max(sharp[e] for e in edge)
low_early, low_late = min(losses[9:35]), min(losses[35:first])  # epochs 10-35, 36-
after = min(e for e in sharp if e > first)  # the first measurement at lr / 2
cross = min(e for e in sharp if e > first and sharp[e] > 2)  # sharpened past 2 / lr
late_peak = max(sharp[e] for e in sharp if e > second)
measured, sharp_after = len(edge), sharp[after]
print(f"lr * lambda_max above 2 in {above} of the {measured} measurements from")
print(f"epoch 10 to {first}, up to {edge_peak:.2f}; after the first halving")
print(f"{sharp_after:.2f} at epoch {after}, above 2 again at epoch {cross};")
print(f"after the second halving at most {late_peak:.2f}")

# %% A negative metric: the relative rule counts a worse epoch as an improvement
negative_best, negative_next = -10.0, -9.95
check = torch.optim.lr_scheduler.ReduceLROnPlateau(
    torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=0.1), threshold=THRESHOLD
)
check.step(negative_best)
check.step(negative_next)  # worse than -10, yet -9.95 < -10 * (1 - 0.01) = -9.9

# %% Checks and figure
# What the page claims: the hand-written rule is exactly torch's, and it halves the
# rate twice; the loss bounces before the first halving and then falls at every
# epoch until the gradient norm's low; the norm then climbs more than tenfold, with
# the loss, up to the second halving; at the end both still creep down.
assert reduced == predicted and len(reduced) == 2
assert rises_before > 10 and not any(first < epoch <= low_epoch for epoch in rises)
assert high_epoch == second and high_norm > 10 * low_norm
assert losses[high] > losses[low]
assert final_loss < losses[-50] and final_norm < norms[-50] and final_loss < loss_50
# The edge of stability. The estimate v.Hv is never above lambda_max, so lr *
# estimate > 2 proves the rate above 2 / lambda_max. At lr = 0.3 it is so at a third
# of the measurements or more, while the loss's lows keep falling. After the first
# halving lr * lambda_max is below 2, then the net sharpens until it passes 2 again,
# near the gradient norm's low; after the second halving it stays below 2.
assert 3 * above >= measured >= 10 and edge_peak > 2.5 and low_late < low_early
assert sharp_after < 1.5 and sharp[cross] < 2.5 and abs(cross - low_epoch) <= 10
assert late_peak < 1.5
assert check.best == negative_next and check.num_bad_epochs == 0

fig, (top, middle, bottom) = plt.subplots(3, 1, figsize=(7, 8.5), layout="constrained")
top.plot(range(1, EPOCHS + 1), losses, label="training loss")
middle.plot(range(1, EPOCHS + 1), norms, color="C1", label="gradient norm")
bottom.plot(list(sharp), list(sharp.values()), "o-", color="C2", markersize=3)
bottom.axhline(2, color="C3", linewidth=1, label="2: the quadratic's limit")
for ax in (top, middle, bottom):
    for i, epoch in enumerate(reduced):
        label = "lr halved by ReduceLROnPlateau" if i == 0 else None
        ax.axvline(epoch, color="0.5", linestyle="--", linewidth=1, label=label)
    ax.legend()
top.set(xlabel="epoch", ylabel="loss (MSE)", title="Training loss", yscale="log")
middle.set(xlabel="epoch", ylabel="gradient norm (L2)", title="Gradient norm")
middle.set_yscale("log")
bottom.set(
    xlabel="epoch", ylabel="lr × λmax", title="Rate times sharpness", ylim=(0, 5)
)
fig.suptitle("Watching a run converge, with ReduceLROnPlateau on the loss")
plt.show()
