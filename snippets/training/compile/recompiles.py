"""torch.compile guards on the Python floats an optimizer step reads. Adam's rate as
a float costs one recompile, then it is an input of the graph; OneCycleLR's cycled
beta1 fails its guard at every step until Dynamo stops compiling the step. A tensor
rate with cycle_momentum=False compiles once. The counts come from torch's own log,
under aot_eager: the default backend's graph capture, without its code generation."""

import logging
import re
import warnings

import torch

# aot_eager imports torch.utils.mkldnn, which warns that torch.jit is deprecated.
warnings.filterwarnings("ignore", "`torch.jit.script_method`", DeprecationWarning)

# Dynamo logs each recompile with the guard that failed (TORCH_LOGS=recompiles),
# and warns when it reaches the recompile limit and stops compiling the function.
torch._logging.set_logs(dynamo=logging.ERROR, recompiles=True)
LOGS = "torch._dynamo.guards.__recompiles", "torch._dynamo.convert_frame"
logging.getLogger(LOGS[1]).setLevel(logging.WARNING)


class DynamoLog(logging.Handler):
    def __init__(self) -> None:
        super().__init__()
        self.guards = []  # the guard that failed, for each recompile
        self.gave_up = False  # the recompile limit was hit

    def emit(self, record) -> None:
        message = record.getMessage()
        if "hit config.recompile_limit" in message:
            self.gave_up = True
        elif failed := re.search(r"- \d+/\d+: (.*?)\s+#", message):
            self.guards.append(failed.group(1))


def recompiles(lr, cycle_momentum=True, steps=20) -> tuple[DynamoLog, list]:
    """Adam and OneCycleLR for 20 steps, optimizer.step() compiled: what Dynamo
    logged, and the (lr, beta1) of each step."""
    torch._dynamo.reset()  # a fresh cache for each run
    torch.manual_seed(0)
    model = torch.nn.Linear(8, 1)
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    scheduler = torch.optim.lr_scheduler.OneCycleLR(
        optimizer, max_lr=0.01, total_steps=steps, cycle_momentum=cycle_momentum
    )

    # aot_eager: Dynamo and AOTAutograd, which decide the guards, as under the
    # default backend (Inductor), but no code generation: several times faster.
    @torch.compile(backend="aot_eager")
    def optimizer_step():
        optimizer.step()

    x, found, used = torch.randn(16, 8), DynamoLog(), []
    for name in LOGS:
        logging.getLogger(name).addHandler(found)
        logging.getLogger(name).propagate = False  # to our handler, not to stderr
    try:
        for _step in range(steps):
            group = optimizer.param_groups[0]
            used.append((float(group["lr"]), group["betas"][0]))
            optimizer.zero_grad()
            model(x).pow(2).mean().backward()
            optimizer_step()
            scheduler.step()
    finally:
        for name in LOGS:
            logging.getLogger(name).removeHandler(found)
            logging.getLogger(name).propagate = True
    return found, used


float_lr, float_used = recompiles(0.01, cycle_momentum=False)  # beta1 stays 0.9
tensor_lr, tensor_used = recompiles(torch.tensor(0.01))  # but beta1 is cycled
tensor_lr_fixed, _ = recompiles(torch.tensor(0.01), cycle_momentum=False)

# %% Output and checks
torch._logging.set_logs()  # back to torch's default logging
logging.getLogger(LOGS[1]).setLevel(logging.NOTSET)
for name, found in (
    ("lr=0.01, cycle_momentum=False", float_lr),
    ("lr=torch.tensor(0.01)", tensor_lr),
    ("lr=torch.tensor(0.01), cycle_momentum=False", tensor_lr_fixed),
):
    print(f"{name}: {len(found.guards)} recompile(s) in 20 steps")
    for guard in found.guards:
        print(f"    guard that failed: {guard}")
    if found.gave_up:
        print("    recompile limit hit: Dynamo stopped compiling the step")
float_recompiles = len(float_lr.guards)
tensor_recompiles = len(tensor_lr.guards)
fixed_recompiles = len(tensor_lr_fixed.guards)
rates_used = len({lr for lr, _ in float_used})
beta1s_used = len({beta1 for _, beta1 in tensor_used})
recompile_limit = torch._dynamo.config.recompile_limit  # then it stops compiling
torch_version = torch.__version__.split("+")[0]  # the torch these counts are for

assert float_recompiles == 1 and "['lr'] ==" in float_lr.guards[0]
assert rates_used == 20  # twenty rates, one recompile: then lr is a graph input
assert not float_lr.gave_up
assert tensor_recompiles == recompile_limit < beta1s_used  # beta1 changed more
assert all("['betas'][0] ==" in guard for guard in tensor_lr.guards)
assert tensor_lr.gave_up  # the steps after the limit ran uncompiled
assert fixed_recompiles == 0 and not tensor_lr_fixed.gave_up
