"""CosineAnnealingWarmRestarts: cosine decays restarting after T_0, T_0 x T_mult, ..."""

import matplotlib.pyplot as plt
import torch
from torch.optim.lr_scheduler import CosineAnnealingWarmRestarts

EPOCHS = 35  # restarts at epochs 5 and 15 with T_0=5, T_mult=2
torch.manual_seed(0)
model = torch.nn.Linear(4, 1)
X, y = torch.randn(64, 4), torch.randn(64, 1)
batches = list(zip(X.split(16), y.split(16), strict=True))  # 4 batches per epoch
iters = len(batches)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
scheduler = CosineAnnealingWarmRestarts(optimizer, T_0=5, T_mult=2, eta_min=1e-3)

steps, lrs = [], []
for epoch in range(EPOCHS):
    for i, (inputs, targets) in enumerate(batches):
        steps.append(epoch + i / iters)
        lrs.append(scheduler.get_last_lr()[0])  # the rate this batch trains with
        optimizer.zero_grad()
        torch.nn.functional.mse_loss(model(inputs), targets).backward()
        optimizer.step()
        # A fractional epoch: the cosine moves every batch, T_0 still counts epochs.
        scheduler.step(epoch + (i + 1) / iters)

for epoch in (0, 4.75, 5, 10, 14.75, 15, 34.75):
    lr = lrs[steps.index(epoch)]
    print(f"epoch {epoch:5}: lr = {lr:.4f}")
first_low = lrs[steps.index(5) - 1]  # the last batch of epoch 4
restart_lr, half_way, final = lrs[steps.index(5)], lrs[steps.index(10)], lrs[-1]
restarts = [steps[s] for s in range(1, len(lrs)) if lrs[s] > lrs[s - 1]]

# %% Checks and figure
# What the page claims: restarts at the full rate at epochs 5 and 15 only, half way
# at epoch 10, the end at eta_min (to the 4 decimals shown); the rate moves every
# batch, not once per epoch.
assert restarts == [5, 15] and restart_lr == lrs[steps.index(15)] == 0.1
assert abs(half_way - (0.1 + 1e-3) / 2) < 1e-12 and abs(final - 1e-3) < 5e-5
assert all(a != b for a, b in zip(lrs, lrs[1:], strict=False))

# The pitfalls: T_0 must be an int (10.0 is refused); step(epoch) warns that it is
# deprecated for StepLR, not for this scheduler; SequentialLR and ChainedScheduler
# take no epoch.
import warnings  # noqa: E402

from torch.optim import lr_scheduler as S  # noqa: E402

edge = torch.optim.SGD([torch.zeros(1)], lr=0.1)
try:
    CosineAnnealingWarmRestarts(edge, T_0=10.0)
    refused = False
except ValueError:
    refused = True
assert refused
for make, deprecated in [
    (lambda o: S.StepLR(o, step_size=1), True),
    (lambda o: CosineAnnealingWarmRestarts(o, T_0=5), False),
]:
    scheduler = make(edge)
    edge.step()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        scheduler.step(1)
    assert any("deprecated" in str(w.message) for w in caught) == deprecated
composites = [
    S.SequentialLR(edge, [S.ConstantLR(edge), S.StepLR(edge, 1)], [2]),
    S.ChainedScheduler([S.ConstantLR(edge), S.StepLR(edge, 1)]),
]
took_epoch = []
for composite in composites:  # neither takes an epoch
    try:
        composite.step(1)
        took_epoch.append(True)
    except TypeError:
        took_epoch.append(False)
assert took_epoch == [False, False]

fig, ax = plt.subplots()
ax.plot(steps, lrs)
ax.set(
    xlabel="epoch (fractional: stepped every batch)",
    ylabel="learning rate",
    title="CosineAnnealingWarmRestarts(T_0=5, T_mult=2, eta_min=0.001), lr=0.1",
)
plt.show()
