"""torch.compile guards on Python floats: a rate stored as a float that the
scheduler changes makes Dynamo compile the optimizer step again. A tensor rate is
read inside the graph and never triggers a recompile. The count comes from torch's
own recompile log."""

import logging
import re

import torch
import torch._dynamo

# Dynamo logs every recompile, with the guard that failed, to this logger.
torch._logging.set_logs(dynamo=logging.ERROR, recompiles=True)
recompile_log = logging.getLogger("torch._dynamo.guards.__recompiles")


class Recompiles(logging.Handler):
    def __init__(self) -> None:
        super().__init__()
        self.guards = []  # the guard that failed, for each recompile

    def emit(self, record) -> None:
        failed = re.search(r"- \d+/\d+: (.*?)\s+#", record.getMessage())
        self.guards.append(failed.group(1) if failed else record.getMessage())


def recompiles(lr, cycle_momentum=True, steps=20) -> tuple[list[str], int]:
    """Train 20 steps with OneCycleLR and a compiled Adam step: the recompiles, and
    how many different rates the steps used."""
    torch._dynamo.reset()  # a fresh cache for each run
    torch.manual_seed(0)
    model = torch.nn.Linear(8, 1)
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    scheduler = torch.optim.lr_scheduler.OneCycleLR(
        optimizer, max_lr=0.01, total_steps=steps, cycle_momentum=cycle_momentum
    )

    # backend="eager": Dynamo captures and guards the graph as with the default
    # backend, but runs it without generating code, so this takes a second.
    @torch.compile(backend="eager")
    def optimizer_step():
        optimizer.step()

    x = torch.randn(16, 8)
    found = Recompiles()
    recompile_log.addHandler(found)
    recompile_log.propagate = False  # to our handler only, not to stderr
    rates = set()
    try:
        for _step in range(steps):
            rates.add(float(optimizer.param_groups[0]["lr"]))
            optimizer.zero_grad()
            model(x).pow(2).mean().backward()
            optimizer_step()
            scheduler.step()
    finally:
        recompile_log.removeHandler(found)
    return found.guards, len(rates)


float_lr, rates_used = recompiles(0.01)  # wrong: lr is a Python float
tensor_lr, _ = recompiles(torch.tensor(0.01))  # a tensor; but beta1 is cycled
tensor_lr_fixed, _ = recompiles(torch.tensor(0.01), cycle_momentum=False)
torch._logging.set_logs()  # back to torch's default logging
for name, guards in (
    ("lr=0.01", float_lr),
    ("lr=torch.tensor(0.01)", tensor_lr),
    ("lr=torch.tensor(0.01), cycle_momentum=False", tensor_lr_fixed),
):
    print(f"{name}: {len(guards)} recompile(s) in 20 steps")
    for guard in guards:
        print(f"    guard that failed: {guard}")
float_recompiles = len(float_lr)
tensor_recompiles = len(tensor_lr)
fixed_recompiles = len(tensor_lr_fixed)
recompile_limit = torch._dynamo.config.recompile_limit  # then it stops compiling

# %% Checks
assert float_recompiles == 1 and "['lr'] ==" in float_lr[0]
assert rates_used == 20  # twenty rates, one recompile: then lr is a graph input
assert tensor_recompiles == 1 and "['betas'][0] ==" in tensor_lr[0]
assert fixed_recompiles == 0
