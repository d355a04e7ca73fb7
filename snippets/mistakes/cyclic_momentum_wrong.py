"""Wrong: CyclicLR's default cycle_momentum=True with an optimizer you configured."""

import torch
from torch.optim.lr_scheduler import CyclicLR

params = torch.nn.Linear(2, 1).parameters
# Adam has no "momentum", but it has betas: CyclicLR cycles beta1 instead,
# between base_momentum=0.8 and max_momentum=0.9, overwriting the value you chose.
adam = torch.optim.Adam(params(), lr=1e-3, betas=(0.95, 0.999))
scheduler = CyclicLR(adam, base_lr=1e-4, max_lr=1e-3, step_size_up=4)
beta1 = []
for _step in range(8):
    beta1.append(adam.param_groups[0]["betas"][0])
    adam.step()
    scheduler.step()
print("Adam, betas=(0.95, 0.999); beta1 used:", ", ".join(f"{b:.3f}" for b in beta1))
beta1_low, beta1_high = min(beta1), max(beta1)
# What the page claims: beta1 stays between 0.8 and 0.9, never the 0.95 you chose.
assert 0.8 - 1e-12 < beta1_low < beta1_high < 0.9 + 1e-12 < 0.95

# SGD without momentum: CyclicLR switches momentum on, silently.
sgd = torch.optim.SGD(params(), lr=1e-3)  # momentum=0
CyclicLR(sgd, base_lr=1e-4, max_lr=1e-3)
sgd_momentum = sgd.param_groups[0]["momentum"]
print("SGD, momentum=0; momentum now:", sgd_momentum)
assert sgd_momentum == 0.9  # What the page claims: momentum switched on, at 0.9

# An optimizer with neither momentum nor betas: an error.
try:
    CyclicLR(torch.optim.Adagrad(params(), lr=1e-3), base_lr=1e-4, max_lr=1e-3)
except ValueError as err:
    print(f"ValueError: {err}")
else:
    raise AssertionError("the page says CyclicLR refuses Adagrad, but it accepted it")
