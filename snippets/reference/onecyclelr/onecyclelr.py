"""OneCycleLR: one rise and one fall of the lr over the whole run, per batch."""

import matplotlib.pyplot as plt
import torch
from torch.optim.lr_scheduler import OneCycleLR

EPOCHS = 10
torch.manual_seed(0)
model = torch.nn.Linear(4, 1)
X, y = torch.randn(128, 4), torch.randn(128, 1)
loader = torch.utils.data.DataLoader(
    torch.utils.data.TensorDataset(X, y), batch_size=16, shuffle=True
)
optimizer = torch.optim.AdamW(model.parameters(), lr=1e-3)  # lr is replaced
scheduler = OneCycleLR(
    optimizer, max_lr=0.01, epochs=EPOCHS, steps_per_epoch=len(loader)
)
total_steps = scheduler.total_steps
print(f"len(loader) = {len(loader)} batches, total_steps = {total_steps}")

lrs, beta1s = [], []
for _ in range(EPOCHS):
    for inputs, targets in loader:
        lrs.append(scheduler.get_last_lr()[0])  # the rate this batch trains with
        beta1s.append(optimizer.param_groups[0]["betas"][0])
        optimizer.zero_grad()
        torch.nn.functional.mse_loss(model(inputs), targets).backward()
        optimizer.step()
        scheduler.step()  # once per batch, never once per epoch

peak = max(range(len(lrs)), key=lrs.__getitem__)
start_lr, peak_lr, last_lr = lrs[0], lrs[peak], lrs[-1]
beta1_start, beta1_low, beta1_end = beta1s[0], min(beta1s), beta1s[-1]
print(f"start lr = {start_lr:.2e} (max_lr / 25), peak {peak_lr:.2e} at step {peak}")
print(f"last lr = {last_lr:.2e}, beta1 from {beta1_start} to {beta1_low} and back")

# One batch more than total_steps (say, an epoch too many) stops training:
try:
    optimizer.step()
    scheduler.step()
except ValueError as err:
    refused = str(err)
    print(f"ValueError: {refused}")

# %% Checks and figure
# What the page claims: total_steps = epochs x batches; the rate starts at
# max_lr / 25, peaks at max_lr 30 % of the way and ends 1e4 times lower still;
# beta1 is lowest at the peak and back at 0.95 at the end; one step more raises.
assert len(lrs) == total_steps == EPOCHS * len(loader)
assert abs(start_lr - 0.01 / 25) < 1e-15 and abs(peak_lr - 0.01) < 1e-15
assert peak == round(0.3 * total_steps) - 1 and abs(last_lr - start_lr / 1e4) < 1e-15
assert beta1s.index(beta1_low) == peak and beta1_start == 0.95 and beta1_low == 0.85
assert abs(beta1_end - 0.95) < 1e-12 and f"step {total_steps + 1} times" in refused
# Past the end, as the page says: the total_steps-th call already set a rate past
# the cycle, above the last one; with anneal_strategy="linear" it is negative.
past_end = scheduler.get_last_lr()[0]
assert past_end > last_lr
edge = torch.optim.SGD([torch.nn.Parameter(torch.zeros(1))], lr=0.1, momentum=0.9)
linear = OneCycleLR(edge, max_lr=0.1, total_steps=10, anneal_strategy="linear")
for _ in range(10):
    edge.step()
    linear.step()
assert linear.get_last_lr()[0] < 0

fig, (ax_lr, ax_b) = plt.subplots(2, 1, sharex=True, figsize=(7, 5))
ax_lr.plot(range(len(lrs)), lrs)
ax_lr.set(
    ylabel="learning rate",
    title=f"OneCycleLR(max_lr=0.01, epochs={EPOCHS}, steps_per_epoch={len(loader)})",
)
ax_b.plot(range(len(beta1s)), beta1s, color="C1")
ax_b.set(
    xlabel="step (batch)",
    ylabel="AdamW beta1",
    title="beta1 cycles inversely (base_momentum=0.85, max_momentum=0.95)",
)
plt.show()
