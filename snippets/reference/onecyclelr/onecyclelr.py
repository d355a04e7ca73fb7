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
print(f"len(loader) = {len(loader)} batches, total_steps = {scheduler.total_steps}")

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
print(f"start lr = {lrs[0]:.2e} (max_lr / 25), peak {lrs[peak]:.2e} at step {peak}")
print(f"last lr = {lrs[-1]:.2e}, beta1 from {beta1s[0]} to {min(beta1s)} and back")
assert peak == 23 and abs(lrs[0] - 0.01 / 25) < 1e-15

# One batch more than total_steps (say, an epoch too many) stops training:
try:
    optimizer.step()
    scheduler.step()
except ValueError as err:
    print(f"ValueError: {err}")

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
