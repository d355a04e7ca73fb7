"""A scheduler does one thing: it writes a new rate into optimizer.param_groups."""

import torch

model = torch.nn.Linear(4, 1)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
scheduler = torch.optim.lr_scheduler.StepLR(optimizer, step_size=2, gamma=0.5)

used = []
for epoch in range(6):
    lr = optimizer.param_groups[0]["lr"]  # the rate optimizer.step() will use
    assert scheduler.get_last_lr() == [lr]  # the scheduler reports the same value
    used.append(lr)
    print(f"epoch {epoch}: lr = {lr:.4f}")
    # ... one epoch of batches: zero_grad(), loss.backward(), optimizer.step() ...
    optimizer.step()
    scheduler.step()  # after optimizer.step(): sets the rate for the next epoch

assert used == [0.1, 0.1, 0.05, 0.05, 0.025, 0.025]
assert optimizer.defaults["lr"] == 0.1  # the constructor's rate: never rewritten

# Nothing else is hidden: the optimizer uses whatever rate the group holds, and StepLR
# goes on from a rate written by hand. (A scheduler that computes each rate from the
# initial one, like LambdaLR or OneCycleLR, writes over it at its next step().)
for group in optimizer.param_groups:
    group["lr"] = 0.001
optimizer.step()
scheduler.step()
print("a manual write, then one more step:", optimizer.param_groups[0]["lr"])
assert scheduler.get_last_lr() == [0.001]

# A scheduler writes into the optimizer it was built with: a new optimizer (built
# after loading a checkpoint, say) keeps its own rate while the old scheduler steps.
replacement = torch.optim.SGD(model.parameters(), lr=0.1)
scheduler.step()
assert replacement.param_groups[0]["lr"] == 0.1 != optimizer.param_groups[0]["lr"]
