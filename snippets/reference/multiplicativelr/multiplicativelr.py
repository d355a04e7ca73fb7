"""MultiplicativeLR: lr <- lr x f(epoch), each epoch. LambdaLR: lr = lr0 x f(epoch)."""

import matplotlib.pyplot as plt
import torch
from torch.optim.lr_scheduler import LambdaLR, MultiplicativeLR

EPOCHS = 30
torch.manual_seed(0)
model = torch.nn.Linear(4, 1)
X, y = torch.randn(64, 4), torch.randn(64, 1)
batches = list(zip(X.split(16), y.split(16), strict=True))  # 4 batches per epoch


def keep_then_shrink(epoch: int) -> float:
    """Keep the rate for 10 epochs, then shrink it by 10% per epoch."""
    return 1.0 if epoch < 10 else 0.9


def schedule(scheduler_class) -> list[float]:
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    scheduler = scheduler_class(optimizer, lr_lambda=keep_then_shrink)
    lrs = []
    for _ in range(EPOCHS):
        lrs.append(scheduler.get_last_lr()[0])  # the rate this epoch trains with
        for inputs, targets in batches:
            optimizer.zero_grad()
            torch.nn.functional.mse_loss(model(inputs), targets).backward()
            optimizer.step()
        scheduler.step()  # once per epoch
    return lrs


multiplied = schedule(MultiplicativeLR)
scaled = schedule(LambdaLR)  # the same function, read as a factor of the base lr
for epoch in (9, 10, 11, 20, 29):
    print(
        f"epoch {epoch:2d}: MultiplicativeLR {multiplied[epoch]:.4f}   "
        f"LambdaLR {scaled[epoch]:.4f}"
    )
held, first_shrink, lambda_stays = multiplied[9], multiplied[10], scaled[-1]
after_11, after_20, after_29 = multiplied[11], multiplied[20], multiplied[29]

# %% Checks and figure
# What the page claims: both hold 0.1 for 10 epochs and are at 0.09 at epoch 10;
# then LambdaLR stays there while MultiplicativeLR shrinks by 0.9 every epoch.
assert multiplied[:10] == scaled[:10] == [0.1] * 10
assert abs(first_shrink - 0.09) < 1e-12 and abs(scaled[10] - 0.09) < 1e-12
assert all(abs(lr - lambda_stays) < 1e-12 for lr in scaled[10:])
assert all(abs(multiplied[e + 1] / multiplied[e] - 0.9) < 1e-12 for e in range(9, 29))

fig, ax = plt.subplots()
ax.plot(range(EPOCHS), multiplied, label="MultiplicativeLR(lr_lambda=f)")
ax.plot(range(EPOCHS), scaled, ls="--", label="LambdaLR(lr_lambda=f)")
ax.set(
    xlabel="epoch",
    ylabel="learning rate",
    title="f(epoch) = 1.0 if epoch < 10 else 0.9; lr=0.1",
)
ax.legend()
plt.show()
