"""SWALR: anneal to a constant swa_lr for stochastic weight averaging (SWA)."""

import matplotlib.pyplot as plt
import torch
from torch.optim.lr_scheduler import CosineAnnealingLR
from torch.optim.swa_utils import SWALR, AveragedModel

EPOCHS, SWA_START = 40, 24
torch.manual_seed(0)
X, y = torch.randn(64, 4), torch.randn(64, 1)
batches = list(zip(X.split(16), y.split(16), strict=True))  # 4 batches per epoch


def train(anneal_strategy: str) -> tuple[list[float], int]:
    torch.manual_seed(0)
    model = torch.nn.Linear(4, 1)
    swa_model = AveragedModel(model)  # the running average of the weights
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    scheduler = CosineAnnealingLR(optimizer, T_max=EPOCHS)
    swa_scheduler = SWALR(
        optimizer, swa_lr=0.02, anneal_epochs=5, anneal_strategy=anneal_strategy
    )
    lrs = []
    for epoch in range(EPOCHS):
        lrs.append(optimizer.param_groups[0]["lr"])  # the rate this epoch trains with
        for inputs, targets in batches:
            optimizer.zero_grad()
            torch.nn.functional.mse_loss(model(inputs), targets).backward()
            optimizer.step()
        if epoch >= SWA_START:
            swa_model.update_parameters(model)
            swa_scheduler.step()
        else:
            scheduler.step()
    # With BatchNorm layers, recompute their statistics for the averaged weights:
    # torch.optim.swa_utils.update_bn(loader, swa_model)
    print(f"{anneal_strategy:>6}: averaged {int(swa_model.n_averaged)} models")
    return lrs, int(swa_model.n_averaged)


(cos, averaged), (linear, _) = train("cos"), train("linear")
for epoch in (24, 25, 27, 29, 30, 39):
    print(f"epoch {epoch}: cos {cos[epoch]:.4f}  linear {linear[epoch]:.4f}")
# %% Values for the page, checks and figure
swa_from = cos[SWA_START]  # the cosine's rate when SWA starts
cos_next, linear_next = cos[SWA_START + 1], linear[SWA_START + 1]
reached = next(e for e in range(EPOCHS) if abs(cos[e] - 0.02) < 1e-12)

# What the page claims: both start from the cosine's rate at epoch 24, reach
# swa_lr after anneal_epochs=5 and hold it; one model averaged per epoch from 24.
assert cos[: SWA_START + 1] == linear[: SWA_START + 1]
assert reached == SWA_START + 5 and cos[reached:] == linear[reached:]
assert all(abs(lr - 0.02) < 1e-12 for lr in cos[reached:])
assert averaged == EPOCHS - SWA_START
# The edge the page names: with anneal_epochs=0, creating SWALR already sets swa_lr,
# before the first scheduler has run a step.
edge = torch.optim.SGD(torch.nn.Linear(4, 1).parameters(), lr=0.1)
SWALR(edge, swa_lr=0.02, anneal_epochs=0)
assert edge.param_groups[0]["lr"] == 0.02

fig, ax = plt.subplots()
ax.plot(range(EPOCHS), cos, label="SWALR(anneal_strategy='cos')")
ax.plot(range(EPOCHS), linear, ls="--", label="SWALR(anneal_strategy='linear')")
ax.axvline(SWA_START + 1, color="0.5", lw=1)
ax.set(
    xlabel="epoch",
    ylabel="learning rate",
    title=f"CosineAnnealingLR(T_max={EPOCHS}), then from epoch {SWA_START + 1}\n"
    "SWALR(swa_lr=0.02, anneal_epochs=5); lr=0.1",
)
ax.legend()
plt.show()
