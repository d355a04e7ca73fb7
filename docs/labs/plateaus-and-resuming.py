# %% [markdown]
# # Lab: plateaus and resuming
#
# In this lab you let the validation loss drive the learning rate, stop
# training when it no longer improves, and then interrupt a run halfway and
# resume it from a checkpoint so that the curve continues exactly as if nothing
# had happened. You will:
#
# 1. load scikit-learn's bundled handwritten digits (no download);
# 2. train with `ReduceLROnPlateau`, which halves the rate when the validation
#    loss stops improving, and with early stopping, which ends the run when it
#    has not improved for several epochs;
# 3. save a checkpoint mid-run (model, optimizer, scheduler, early-stopping
#    state and the random generator that shuffles the batches), load it into
#    fresh objects and finish the run;
# 4. check that the resumed run's losses and rates are *equal* to those of the
#    run that was never interrupted, and see what goes wrong when only the
#    model's weights are saved.
#
# **Run it yourself.** Download the notebook (`plateaus-and-resuming.ipynb`, a
# button at the top of this lab's page on the site) and open it with
# `jupyter lab plateaus-and-resuming.ipynb`, or download the script
# (`plateaus-and-resuming.py`) and run `python plateaus-and-resuming.py` (each
# figure opens in a window; close it to go on). You need `torch`,
# `scikit-learn` and `matplotlib`; it runs in a few seconds on a CPU.

# %% [markdown]
# ## The data and the model
#
# The setup of the first lab: pixels scaled to 0..1, the same fixed split into
# 1,400 training images and the rest for validation, a two-layer network, SGD
# with momentum 0.9, mini-batches of 64 and a starting rate of 0.1.

# %%
import tempfile
from pathlib import Path

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
MAX_EPOCHS = 60

# %% [markdown]
# ## Everything a run needs, in one place
#
# A run is more than a model: the optimizer holds the momentum of every weight,
# the scheduler holds its best loss so far and how many epochs it has waited,
# early stopping holds its own counter, and a generator decides the order of
# the mini-batches. Each of them has a `state_dict()` (or, for the generator,
# `get_state()`), and a checkpoint must hold all of them.


# %%
class EarlyStopping:
    """Stop when the validation loss has not improved for `patience` epochs."""

    def __init__(self, patience=6):
        self.patience, self.best, self.bad_epochs = patience, float("inf"), 0

    def step(self, val_loss):
        """Record one epoch; True when training should stop."""
        if val_loss < self.best:
            self.best, self.bad_epochs = val_loss, 0
        else:
            self.bad_epochs += 1
        return self.bad_epochs >= self.patience

    def state_dict(self):
        return {"best": self.best, "bad_epochs": self.bad_epochs}

    def load_state_dict(self, state):
        self.best, self.bad_epochs = state["best"], state["bad_epochs"]


def new_run(seed=0):
    torch.manual_seed(seed)
    model = nn.Sequential(nn.Linear(64, 128), nn.ReLU(), nn.Linear(128, 10))
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    scheduler = torch.optim.lr_scheduler.ReduceLROnPlateau(
        optimizer, mode="min", factor=0.5, patience=2
    )
    return {
        "model": model,
        "optimizer": optimizer,
        "scheduler": scheduler,
        "early_stopping": EarlyStopping(patience=6),
        "generator": torch.Generator().manual_seed(seed),
        "history": {"train_loss": [], "val_loss": [], "lr": []},
    }


def train(run, until_epoch=MAX_EPOCHS):
    """Train until early stopping, MAX_EPOCHS or `until_epoch` epochs."""
    model, optimizer, history = run["model"], run["optimizer"], run["history"]
    while len(history["val_loss"]) < until_epoch:
        history["lr"].append(optimizer.param_groups[0]["lr"])
        total = 0.0
        for idx in torch.randperm(
            len(X_train), generator=run["generator"]
        ).split(64):
            loss = F.cross_entropy(model(X_train[idx]), y_train[idx])
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            total += loss.item() * len(idx)
        history["train_loss"].append(total / len(X_train))
        with torch.no_grad():
            val_loss = F.cross_entropy(model(X_val), y_val).item()
        history["val_loss"].append(val_loss)
        run["scheduler"].step(val_loss)  # ReduceLROnPlateau needs the metric
        if run["early_stopping"].step(val_loss):
            break
    return history


# %% [markdown]
# ## The uninterrupted run
#
# Train until early stopping ends the run, and look at the rate the scheduler
# chose after each epoch.

# %%
full = train(new_run())
lrs = full["lr"]
drops = [epoch for epoch in range(1, len(lrs)) if lrs[epoch] < lrs[epoch - 1]]
best_epoch = min(
    range(len(full["val_loss"])), key=full["val_loss"].__getitem__
)
print(f"early stopping ended the run after {len(lrs)} of {MAX_EPOCHS} epochs")
print(
    f"lowest validation loss {full['val_loss'][best_epoch]:.4f} in epoch "
    f"{best_epoch + 1}"
)
print(
    f"the rate was halved before epochs {[e + 1 for e in drops]}: "
    f"{lrs[0]:g} -> {lrs[-1]:g}"
)
assert len(lrs) < MAX_EPOCHS, "early stopping should end the run"
assert drops, "the scheduler should reduce the rate at least once"

# %%
fig, (ax_loss, ax_lr) = plt.subplots(
    2, 1, figsize=(8, 6), sharex=True, height_ratios=[2, 1]
)
epochs = range(1, len(lrs) + 1)
ax_loss.plot(epochs, full["train_loss"], label="training loss")
ax_loss.plot(epochs, full["val_loss"], label="validation loss")
ax_loss.axvline(
    best_epoch + 1, color="C2", linestyle=":", label="lowest validation loss"
)
ax_loss.set_yscale("log")
ax_loss.set_ylabel("loss (log scale)")
ax_loss.set_title("ReduceLROnPlateau and early stopping")
ax_lr.step(epochs, lrs, where="post", color="C3", label="learning rate")
ax_lr.set_yscale("log")
ax_lr.set_xlabel("epoch")
ax_lr.set_ylabel("learning rate (log scale)")
for ax in (ax_loss, ax_lr):
    ax.grid(True, alpha=0.3)
    ax.legend()
fig.tight_layout()
plt.show()

# %% [markdown]
# ## Interrupt, save, resume
#
# Now the same run again, stopped two epochs after the scheduler first lowered
# the rate (the cell below names that epoch `CHECKPOINT_EPOCH`). Everything
# that changes during training goes into the checkpoint. Then brand-new
# objects, created with a *different* seed so that nothing carries over by
# accident, load it and train on. `torch.load(..., weights_only=True)` refuses
# to unpickle arbitrary objects: a checkpoint of tensors, numbers, lists and
# dicts loads fine with it. It is the default since PyTorch 2.6; written out,
# older versions do the same.

# %%
CHECKPOINT_EPOCH = drops[0] + 2
assert CHECKPOINT_EPOCH < len(lrs), "the checkpoint must fall inside the run"
assert lrs[CHECKPOINT_EPOCH - 1] < lrs[0], "the rate was lowered before it"


def save_checkpoint(run, path):
    torch.save(
        {
            "model": run["model"].state_dict(),
            "optimizer": run["optimizer"].state_dict(),
            "scheduler": run["scheduler"].state_dict(),
            "early_stopping": run["early_stopping"].state_dict(),
            "generator": run["generator"].get_state(),
            "history": run["history"],
        },
        path,
    )


def load_checkpoint(run, path):
    checkpoint = torch.load(path, weights_only=True)
    run["model"].load_state_dict(checkpoint["model"])
    run["optimizer"].load_state_dict(checkpoint["optimizer"])
    run["scheduler"].load_state_dict(checkpoint["scheduler"])
    run["early_stopping"].load_state_dict(checkpoint["early_stopping"])
    run["generator"].set_state(checkpoint["generator"])
    run["history"] = checkpoint["history"]


with tempfile.TemporaryDirectory() as folder:
    path = Path(folder) / "checkpoint.pt"
    interrupted = new_run()
    train(interrupted, until_epoch=CHECKPOINT_EPOCH)
    save_checkpoint(interrupted, path)
    del interrupted  # as if the process had ended

    resumed = new_run(seed=1)
    load_checkpoint(resumed, path)
    train(resumed)

    # The common mistake: save and load the model's weights only.
    weights_only = new_run(seed=1)
    checkpoint = torch.load(path, weights_only=True)
    weights_only["model"].load_state_dict(checkpoint["model"])
    weights_only["history"] = checkpoint["history"]
    train(weights_only)

lr_after = lrs[CHECKPOINT_EPOCH]
print(
    f"checkpoint after epoch {CHECKPOINT_EPOCH}; the rate then: {lr_after:g}"
)
for name, run in (("full state", resumed), ("weights only", weights_only)):
    history = run["history"]
    print(
        f"resumed from {name}: {len(history['lr'])} epochs, "
        f"final validation loss {history['val_loss'][-1]:.4f}"
    )

# %% [markdown]
# ## The test: does the curve continue exactly?
#
# Not approximately: the resumed run repeats the very same floating-point
# operations in the same order, so every loss and every rate must be *equal* to
# the uninterrupted run's.

# %%
assert resumed["history"]["train_loss"] == full["train_loss"]
assert resumed["history"]["val_loss"] == full["val_loss"]
assert resumed["history"]["lr"] == full["lr"]
print(f"the resumed run equals the uninterrupted one in all {len(lrs)} epochs")

# %% tags=["checks"]
# What the text below says of the run resumed from the weights alone: it leaves
# the uninterrupted run in its first epoch after the checkpoint, back at the
# initial rate; it still trains (its validation loss goes below where it was at
# the checkpoint); and early stopping ends it at a different epoch.
alone = weights_only["history"]
first = CHECKPOINT_EPOCH  # index of its first epoch after resuming
assert alone["val_loss"][:first] == full["val_loss"][:first]
assert alone["val_loss"][first] != full["val_loss"][first]
assert alone["lr"][first] == lrs[0] > full["lr"][first]
assert min(alone["val_loss"][first:]) < alone["val_loss"][first - 1]
assert len(alone["lr"]) != len(lrs)
print(
    f"weights only: back to lr {alone['lr'][first]:g} in epoch {first + 1}, "
    f"stopped after {len(alone['lr'])} epochs"
)

# %%
fig, (ax_loss, ax_lr) = plt.subplots(
    2, 1, figsize=(8, 6), sharex=True, height_ratios=[2, 1]
)
styles = (
    ("uninterrupted", full, {"linewidth": 5, "alpha": 0.6}),
    ("resumed, full state", resumed["history"], {"linestyle": "--"}),
    ("resumed, weights only", weights_only["history"], {"linestyle": ":"}),
)
for label, history, style in styles:
    epochs = range(1, len(history["lr"]) + 1)
    ax_loss.plot(epochs, history["val_loss"], label=label, **style)
    ax_lr.step(epochs, history["lr"], where="post", label=label, **style)
for ax in (ax_loss, ax_lr):
    ax.axvline(
        CHECKPOINT_EPOCH + 0.5, color="gray", linestyle="-.", linewidth=1
    )
    ax.grid(True, alpha=0.3)
    ax.legend()
ax_loss.set_yscale("log")
ax_loss.set_ylabel("validation loss (log scale)")
ax_loss.set_title("Resuming from a checkpoint (dash-dot line)")
ax_lr.set_yscale("log")
ax_lr.set_xlabel("epoch")
ax_lr.set_ylabel("learning rate (log scale)")
fig.tight_layout()
plt.show()

# %% [markdown]
# The dashed line, resumed from the full checkpoint, lies exactly on the thick
# line of the uninterrupted run, in the loss and in the rate, up to the same
# last epoch. The dotted line, resumed from the weights alone, leaves it at
# once: its optimizer starts at the initial rate of 0.1 again, with no
# momentum, its scheduler and early stopping have forgotten the best loss and
# their counters, and its batches come in another order. It still trains, but
# it is another run, and it stops at a different epoch.
#
# ## What to take away
#
# - `ReduceLROnPlateau` is the one scheduler that needs a metric:
#   `scheduler.step(val_loss)`, once per epoch, after validation.
# - Give early stopping a longer patience than the scheduler, so the rate gets
#   lowered at least once before training gives up.
# - A checkpoint that resumes exactly holds the model, the optimizer, the
#   scheduler, every other piece of training state (here early stopping) and
#   the random generator that orders the batches. With a `DataLoader`, pass it
#   a `generator=` and save that generator's state the same way.
# - Test it as this lab does: interrupt, resume, and compare with an
#   uninterrupted run. Equal numbers, not close ones.
