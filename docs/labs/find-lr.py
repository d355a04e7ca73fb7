# %% [markdown]
# # Lab: find a learning rate
#
# In this lab you pick the learning rate for a real classifier with an **LR
# range test**, then train with the rate you found and check it against rates
# ten times smaller and ten times larger. You will:
#
# 1. load scikit-learn's bundled handwritten digits (1,797 images of 8×8
#    pixels, no download) and split them into training and validation sets;
# 2. train a small network for up to a hundred steps while the learning rate
#    grows exponentially from 0.0001 towards 10, recording the loss at every
#    step, until the loss explodes;
# 3. read the curve: the loss falls, bottoms out, then explodes; pick a rate
#    about ten times below the bottom;
# 4. train a *fresh* network with that rate for 15 epochs and compare.
#
# **Run it yourself.** Download the notebook (`find-lr.ipynb`, a button at the
# top of this lab's page on the site) and open it with
# `jupyter lab find-lr.ipynb`, or download the script
# (`find-lr.py`) and run `python find-lr.py` (each figure opens in a window;
# close it to go on). You need `torch`, `scikit-learn` and `matplotlib`; it
# runs in a few seconds on a CPU.

# %% [markdown]
# ## The data and the model
#
# Pixels go from 0..16 to 0..1. A fixed seed splits the 1,797 images into 1,400
# for training and the rest for validation, so every run sees the same split.

# %%
import math

import matplotlib.pyplot as plt
import torch
import torch.nn.functional as F
from sklearn.datasets import load_digits
from torch import nn

torch.set_num_threads(1)  # the fastest for a model this small

images, labels = load_digits(return_X_y=True)
X = torch.tensor(images / 16.0, dtype=torch.float32)
y = torch.tensor(labels)
order = torch.randperm(len(X), generator=torch.Generator().manual_seed(0))
X_train, y_train = X[order[:1400]], y[order[:1400]]
X_val, y_val = X[order[1400:]], y[order[1400:]]
print(f"{len(X_train)} training images, {len(X_val)} validation images")
print(f"{X.shape[1]} pixels each, {len(y.unique())} classes")

# %% tags=["checks"]
assert len(X) == 1797 and X.shape[1] == 64  # the digits, as described above


# %%
def make_model(seed=0):
    """A fresh two-layer network; the seed fixes its initial weights."""
    torch.manual_seed(seed)
    return nn.Sequential(nn.Linear(64, 128), nn.ReLU(), nn.Linear(128, 10))


def batches(generator, batch_size=64):
    """The training set's indices, shuffled, in mini-batches."""
    return torch.randperm(len(X_train), generator=generator).split(batch_size)


# %% [markdown]
# ## The LR range test
#
# Start at a rate far too small, multiply it by the same factor after every
# step (an `ExponentialLR` scheduler does exactly that), and stop when the loss
# has blown up to four times its best value. One mini-batch is noisy, so the
# test smooths the loss with an exponential moving average.


# %%
def lr_range_test(start_lr=1e-4, end_lr=10.0, num_steps=100, smoothing=0.9):
    model = make_model()
    optimizer = torch.optim.SGD(model.parameters(), lr=start_lr, momentum=0.9)
    gamma = (end_lr / start_lr) ** (1 / num_steps)
    scheduler = torch.optim.lr_scheduler.ExponentialLR(optimizer, gamma=gamma)
    generator = torch.Generator().manual_seed(0)
    lrs, smoothed = [], []
    average, best = 0.0, math.inf
    while len(lrs) < num_steps:
        for idx in batches(generator):
            lr = scheduler.get_last_lr()[0]
            loss = F.cross_entropy(model(X_train[idx]), y_train[idx])
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            scheduler.step()
            average = smoothing * average + (1 - smoothing) * loss.item()
            value = average / (
                1 - smoothing ** (len(lrs) + 1)
            )  # bias-corrected
            lrs.append(lr)
            smoothed.append(value)
            best = min(best, value)
            if (
                not math.isfinite(value)
                or value > 4 * best
                or len(lrs) == num_steps
            ):
                return lrs, smoothed
    return lrs, smoothed


lrs, losses = lr_range_test()
lowest = min(range(len(losses)), key=losses.__getitem__)
lr_at_min = lrs[lowest]
chosen_lr = lr_at_min / 10
print(f"the test stopped after {len(lrs)} steps, at lr = {lrs[-1]:.3g}")
print(f"lowest smoothed loss {losses[lowest]:.3f} at lr = {lr_at_min:.3g}")
print(f"chosen rate: a tenth of that, lr = {chosen_lr:.3g}")

# %% tags=["checks"]
# What the text below the figure says of this curve, checked: over the first
# 20 steps the loss hardly moves (less than a twentieth of its whole fall);
# then it falls to a bottom, and the test stops within ten steps of the bottom
# because the loss has shot up. The chosen rate sits on the falling part, where
# the loss is still going down steeply. The second lab trains at a peak rate of
# 0.3, which this test puts between the chosen rate and the bottom.
at_chosen = max(i for i, lr in enumerate(lrs) if lr <= chosen_lr)
fall = losses[0] - losses[lowest]
assert max(losses[:20]) - min(losses[:20]) < fall / 20
assert 20 < lowest < len(lrs) - 1 < 100 and len(lrs) - 1 - lowest < 10
assert losses[-1] > 4 * losses[lowest] or not math.isfinite(losses[-1])
assert losses[at_chosen - 1] > losses[at_chosen] > losses[at_chosen + 1]
assert losses[at_chosen] - losses[at_chosen + 1] > fall / len(lrs)
assert chosen_lr < 0.3 < lr_at_min

# %%
fig, ax = plt.subplots(figsize=(8, 4.5))
ax.plot(lrs, losses, label="smoothed training loss")
label_min = f"lowest loss, lr = {lr_at_min:.2g}"
label_chosen = f"chosen rate, lr = {chosen_lr:.2g}"
ax.axvline(lr_at_min, color="C1", linestyle="--", label=label_min)
ax.axvline(chosen_lr, color="C2", linestyle=":", label=label_chosen)
ax.set_xscale("log")
ax.set_xlabel("learning rate (log scale)")
ax.set_ylabel("training loss (cross-entropy)")
ax.set_title("LR range test: loss while the rate grows every step")
ax.grid(True, alpha=0.3)
ax.legend()
plt.show()

# %% [markdown]
# Read the curve from left to right. At the smallest rates the loss hardly
# moves: the steps are too small to matter. Then it falls steeply, bottoms out,
# and finally shoots up when the steps overshoot; the test stops a few steps
# past the bottom, well before the hundredth step. The bottom is *not* the rate
# to train with: by then the loss is already on the edge of blowing up, and
# during the test the weights had the benefit of all the earlier steps. A tenth
# of it sits on the steep part of the curve, where the loss is still falling
# fast.

# %% [markdown]
# ## Train with the rate found
#
# The range test changed the weights of its model, so training starts from a
# **fresh** model with the same seed. For comparison, two more fresh models
# train with a rate ten times smaller and ten times larger.


# %%
def train(lr, epochs=15, seed=0):
    model = make_model(seed)
    optimizer = torch.optim.SGD(model.parameters(), lr=lr, momentum=0.9)
    generator = torch.Generator().manual_seed(seed)
    train_losses, val_accuracies = [], []
    for _ in range(epochs):
        total = 0.0
        for idx in batches(generator):
            loss = F.cross_entropy(model(X_train[idx]), y_train[idx])
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            total += loss.item() * len(idx)
        train_losses.append(total / len(X_train))
        with torch.no_grad():
            accuracy = (
                (model(X_val).argmax(dim=1) == y_val).float().mean().item()
            )
        val_accuracies.append(accuracy)
    return train_losses, val_accuracies


runs = {lr: train(lr) for lr in (chosen_lr / 10, chosen_lr, chosen_lr * 10)}
for lr, (train_losses, val_accuracies) in runs.items():
    print(
        f"lr = {lr:<8.3g} final training loss {train_losses[-1]:.4f}, "
        f"validation accuracy {val_accuracies[-1]:.1%}"
    )

# %%
fig, (ax_loss, ax_acc) = plt.subplots(2, 1, figsize=(8, 7), sharex=True)
styles = [":", "-", "--"]
for (lr, (train_losses, val_accuracies)), style in zip(
    runs.items(), styles, strict=True
):
    epochs = range(1, len(train_losses) + 1)
    label = f"lr = {lr:.2g}" + (" (chosen)" if lr == chosen_lr else "")
    ax_loss.plot(epochs, train_losses, style, label=label)
    ax_acc.plot(epochs, [100 * a for a in val_accuracies], style, label=label)
ax_loss.set_yscale("log")
ax_loss.set_ylabel("training loss (log scale)")
ax_loss.set_title("Three rates, same model, same data, same seed")
ax_acc.set_xlabel("epoch")
ax_acc.set_ylabel("validation accuracy (%)")
for ax in (ax_loss, ax_acc):
    ax.grid(True, alpha=0.3)
    ax.legend()
fig.tight_layout()
plt.show()

# %% tags=["checks"]
small, chosen, large = (
    runs[lr] for lr in (chosen_lr / 10, chosen_lr, chosen_lr * 10)
)
# What the figure shows, checked: the chosen rate has the lowest training loss
# in every epoch and ends with the best validation accuracy, above 95%; a
# tenth of it learns, but after 15 epochs has not reached the training loss the
# chosen rate had after 3; ten times larger, the rate at the bottom of the
# range test, the loss goes up as well as down.
assert all(
    c < min(s, g)
    for s, c, g in zip(small[0], chosen[0], large[0], strict=True)
)
assert chosen[1][-1] > max(0.95, small[1][-1], large[1][-1])
assert small[0][-1] < small[0][0] and small[0][-1] > chosen[0][2]
assert math.isclose(chosen_lr * 10, lr_at_min)
losses_large = large[0]
assert any(
    b > a for a, b in zip(losses_large[:-1], losses_large[1:], strict=True)
)
assert large[0][-1] > chosen[0][-1]
print("checks passed")

# %% [markdown]
# The chosen rate drives the training loss down fastest and ends with the best
# validation accuracy. Ten times smaller still learns, but slowly: after 15
# epochs its training loss is still above the chosen rate's after 3. Ten times
# larger, the rate at the bottom of the test's curve, makes the loss go up as
# well as down: in the range test the loss there looked best, but a few steps
# later, at rates not much larger, the test had stopped on an exploding loss.

# %% [markdown]
# ## What to take away
#
# - The range test costs at most a hundred steps, a fraction of one training
#   run, and gives a rate in the right decade without guessing.
# - Pick a rate on the falling slope, about ten times below the bottom of the
#   curve; a rate near the bottom is on the edge of instability.
# - The test depends on everything else in the recipe: batch size, momentum,
#   weight initialisation, the model. Change one of them and run the test
#   again.
# - Start every real training run from fresh weights, not from the model the
#   test left behind.
