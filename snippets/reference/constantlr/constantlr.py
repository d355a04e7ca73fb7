"""ConstantLR: a lower learning rate for the first total_iters epochs, then base lr."""

import matplotlib.pyplot as plt
import torch
from torch.optim.lr_scheduler import ConstantLR

EPOCHS = 15
torch.manual_seed(0)
model = torch.nn.Linear(4, 1)
X, y = torch.randn(64, 4), torch.randn(64, 1)
batches = list(zip(X.split(16), y.split(16), strict=True))  # 4 batches per epoch
optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
scheduler = ConstantLR(optimizer, factor=0.25, total_iters=5)

lrs = []
for _ in range(EPOCHS):
    lrs.append(scheduler.get_last_lr()[0])  # the rate this epoch trains with
    for inputs, targets in batches:
        optimizer.zero_grad()
        torch.nn.functional.mse_loss(model(inputs), targets).backward()
        optimizer.step()
    scheduler.step()  # once per epoch

print("lr per epoch:", ", ".join(f"{lr:g}" for lr in lrs))
low, full = lrs[0], lrs[-1]
jump_call = next(e for e, lr in enumerate(lrs) if lr > low)  # step() calls before it

# %% Checks and figure
# What the page claims: total_iters=5 epochs at 0.25 x 0.1, every later one at 0.1;
# the jump comes with the fifth call of scheduler.step().
assert lrs[:jump_call] == [low] * jump_call
assert lrs[jump_call:] == [full] * (EPOCHS - jump_call)
assert abs(low - 0.25 * 0.1) < 1e-15 and full == 0.1 and jump_call == 5
# The edges the page names: total_iters=0 never gives the factor back, and factor=0
# divides by zero at call number total_iters.
edge = torch.optim.SGD([torch.nn.Parameter(torch.zeros(1))], lr=0.1)
never_back = ConstantLR(edge, factor=0.5, total_iters=0)
for _ in range(3):
    edge.step()
    never_back.step()
assert never_back.get_last_lr()[0] == 0.05
edge.param_groups[0]["lr"] = 0.1
zero = ConstantLR(edge, factor=0.0, total_iters=2)
edge.step()
zero.step()
try:
    edge.step()
    zero.step()
    raise AssertionError("factor=0 did not raise")
except ZeroDivisionError:
    pass

fig, ax = plt.subplots()
ax.plot(range(EPOCHS), lrs, drawstyle="steps-post", marker="o")
ax.set(
    xlabel="epoch",
    ylabel="learning rate",
    title="ConstantLR(factor=0.25, total_iters=5), lr=0.1",
)
plt.show()
