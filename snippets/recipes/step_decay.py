"""Step decay: MultiStepLR divides the rate by 10 at epochs 30, 60 and 80."""

import matplotlib.pyplot as plt
import torch

EPOCHS, MILESTONES = 90, [30, 60, 80]  # Goyal et al.'s ResNet-50 schedule
model = torch.nn.Linear(10, 2)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
scheduler = torch.optim.lr_scheduler.MultiStepLR(
    optimizer, milestones=MILESTONES, gamma=0.1
)
lrs = []
for _ in range(EPOCHS):  # step once per epoch
    lrs.append(scheduler.get_last_lr()[0])  # the rate this epoch trains with
    optimizer.step()  # stands for the epoch's training batches
    scheduler.step()
for epoch in (0, 29, 30, 59, 60, 80, 89):
    print(f"epoch {epoch:2d}: lr {lrs[epoch]:.0e}")

# %% Checks and figure
first_lr, last_lr = lrs[0], lrs[-1]
drops = [e for e in range(1, EPOCHS) if lrs[e] < lrs[e - 1]]
# What the page claims: the rate holds at 0.1 for epochs 0-29, drops by exactly 10x
# at each milestone, no other epoch changes it, and the last 10 epochs run at 1e-4.
assert drops == MILESTONES and lrs[29] == first_lr == 0.1
assert all(abs(lrs[e] / lrs[e - 1] - 0.1) < 1e-9 for e in drops)
assert abs(last_lr - 1e-4) < 1e-12

fig, ax = plt.subplots()
ax.plot(range(EPOCHS), lrs, drawstyle="steps-post")
for milestone in MILESTONES:
    ax.axvline(milestone, color="0.6", lw=1, ls=":")
ax.set(
    xlabel="epoch",
    ylabel="learning rate",
    yscale="log",
    title="MultiStepLR(milestones=[30, 60, 80], gamma=0.1); SGD lr=0.1",
)
plt.show()
