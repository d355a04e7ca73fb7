"""Wrong: resuming by passing last_epoch= to a new scheduler. It needs the
'initial_lr' that a scheduler stores in the optimizer's param groups."""

import torch

model = torch.nn.Linear(2, 1)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)  # fresh: no 'initial_lr'
try:
    scheduler = torch.optim.lr_scheduler.StepLR(
        optimizer,
        step_size=2,
        gamma=0.5,
        last_epoch=3,  # "we are at epoch 3"
    )
except KeyError as error:
    message = error.args[0]
    print(f"KeyError: {message}")

# %% Checks
import inspect  # noqa: E402

assert message.startswith(
    "param 'initial_lr' is not specified in param_groups[0] when resuming scheduler"
    " with last_epoch >= 0."
)

# Which schedulers take last_epoch=: every one but these two (torch 2.13).
schedulers = {
    name: cls
    for name, cls in vars(torch.optim.lr_scheduler).items()
    if isinstance(cls, type)
    and issubclass(cls, torch.optim.lr_scheduler.LRScheduler)
    and name[0] != "_"
    and name != "LRScheduler"
}
without = {
    name
    for name, cls in schedulers.items()
    if "last_epoch" not in inspect.signature(cls).parameters
}
assert without == {"ReduceLROnPlateau", "ChainedScheduler"}, without
