"""Right: cycle_momentum=False unless you mean CyclicLR to drive the momentum."""

import torch
from torch.optim.lr_scheduler import CyclicLR

params = torch.nn.Linear(2, 1).parameters
adam = torch.optim.Adam(params(), lr=1e-3, betas=(0.95, 0.999))
scheduler = CyclicLR(
    adam, base_lr=1e-4, max_lr=1e-3, step_size_up=4, cycle_momentum=False
)
lrs, beta1 = [], []
for _step in range(8):
    lrs.append(scheduler.get_last_lr()[0])
    beta1.append(adam.param_groups[0]["betas"][0])
    adam.step()
    scheduler.step()
print("lr:   ", ", ".join(f"{lr:.1e}" for lr in lrs))
print("beta1:", ", ".join(f"{b:.3f}" for b in beta1))
# What the page claims: the rate cycles between base_lr and max_lr, beta1 stays.
assert abs(min(lrs) - 1e-4) < 1e-12 and abs(max(lrs) - 1e-3) < 1e-12
assert set(beta1) == {0.95}  # your beta1, untouched

sgd = torch.optim.SGD(params(), lr=1e-3)
CyclicLR(sgd, base_lr=1e-4, max_lr=1e-3, cycle_momentum=False)
adagrad = torch.optim.Adagrad(params(), lr=1e-3)
CyclicLR(adagrad, base_lr=1e-4, max_lr=1e-3, cycle_momentum=False)
print("SGD momentum:", sgd.param_groups[0]["momentum"], "| Adagrad: no error")
