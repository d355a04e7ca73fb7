"""What each scheduler with a planned end does when it is stepped past that end."""

import torch
from torch.optim import lr_scheduler as sched
from torch.optim.swa_utils import SWALR

END = 10  # every schedule below is planned for 10 calls of scheduler.step()


def rates(make_scheduler) -> list:
    """The lr after 0, 1, ..., 20 calls of step(), up to an error if one stops it."""
    optimizer = torch.optim.SGD([torch.nn.Parameter(torch.zeros(1))], lr=0.1)
    scheduler, lrs = make_scheduler(optimizer), []
    for _ in range(2 * END):
        lrs.append(optimizer.param_groups[0]["lr"])
        optimizer.step()  # (no gradient here: only the schedule matters)
        try:
            scheduler.step()
        except ValueError as err:
            return lrs + [f"ValueError: {err}"]
    return lrs + [optimizer.param_groups[0]["lr"]]


# %% The schedulers with a planned end, stepped past it
SCHEDULERS = {  # name: (what it does past the end, how to make it)
    "LinearLR(1.0, 0.1, total_iters=10)": (
        "holds end_factor x lr",
        lambda o: sched.LinearLR(o, 1.0, 0.1, total_iters=END),
    ),
    "ConstantLR(0.25, total_iters=10)": (
        "holds lr",
        lambda o: sched.ConstantLR(o, 0.25, total_iters=END),
    ),
    "PolynomialLR(total_iters=10)": (
        "holds 0",
        lambda o: sched.PolynomialLR(o, total_iters=END),
    ),
    "CosineAnnealingLR(T_max=10)": (
        "climbs back to lr",
        lambda o: sched.CosineAnnealingLR(o, T_max=END),
    ),
    "SequentialLR(LinearLR 5, cosine 5)": (
        "its last part goes on",
        lambda o: sched.SequentialLR(
            o,
            [sched.LinearLR(o, 0.1, total_iters=5), sched.CosineAnnealingLR(o, 5)],
            [5],
        ),
    ),
    "OneCycleLR(total_steps=10)": (
        "raises ValueError",
        lambda o: sched.OneCycleLR(o, max_lr=0.1, total_steps=END),
    ),
    "CyclicLR(0.01, 0.1, step_size_up=5)": (
        "cycles on",
        lambda o: sched.CyclicLR(o, 0.01, 0.1, step_size_up=5),
    ),
    "CosineAnnealingWarmRestarts(T_0=10)": (
        "restarts",
        lambda o: sched.CosineAnnealingWarmRestarts(o, T_0=END),
    ),
    "SWALR(0.02, anneal_epochs=10)": (
        "holds swa_lr",
        lambda o: SWALR(o, swa_lr=0.02, anneal_epochs=END),
    ),
    "MultiStepLR([5, 10])": ("holds", lambda o: sched.MultiStepLR(o, [5, END])),
    "StepLR(step_size=5)": ("no end: drops on", lambda o: sched.StepLR(o, 5)),
}

runs = {}  # the class name -> lr after n calls, n = 0 ... 20
print(f"{'lr=0.1; after n calls of step():':36}{'n=9':>8}{'10':>8}{'15':>8}{'20':>8}")
for name, (past_the_end, make) in SCHEDULERS.items():
    lrs = runs[name.split("(")[0]] = rates(make)
    shown = "".join(
        f"{lrs[n]:8.2g}" if n < len(lrs) and isinstance(lrs[n], float) else "  raises"
        for n in (9, 10, 15, 20)
    )
    print(f"{name:36}{shown}  {past_the_end}")
onecycle_error = runs["OneCycleLR"][-1]
print(onecycle_error)

# %% Checks


def flat(lrs: list, value: float) -> bool:
    return all(abs(lr - value) < 1e-12 for lr in lrs)


# What the table says past the end (n > 10), for every row.
r = runs
assert r["LinearLR"][9] > 0.01 and flat(r["LinearLR"][10:], 0.1 * 0.1)
assert flat(r["ConstantLR"][:10], 0.025) and flat(r["ConstantLR"][10:], 0.1)
assert r["PolynomialLR"][9] > 0 and flat(r["PolynomialLR"][10:], 0.0)
cosine = r["CosineAnnealingLR"]  # down to 0 at 10, then up, back to 0.1 at 20
assert cosine[10] < 1e-12 and all(
    b > a for a, b in zip(cosine[10:], cosine[11:], strict=False)
)
assert abs(cosine[20] - 0.1) < 1e-12
seq = r["SequentialLR"]  # its cosine (T_max=5) goes on: up at 15, down at 20
assert seq[10] < 1e-12 and abs(seq[15] - 0.1) < 1e-12 and seq[20] < 1e-12
one = r["OneCycleLR"]  # 11 rates (n = 0 ... 10), then the 11th call raises
assert len(one) == 12 and one[10] > one[9] and "Tried to step 11 times" in one[-1]
cyclic = r["CyclicLR"]
assert abs(cyclic[15] - 0.1) < 1e-12 and abs(cyclic[20] - 0.01) < 1e-12
warm = r["CosineAnnealingWarmRestarts"]
assert warm[10] == warm[20] == 0.1 and warm[15] < 0.1 and warm[9] < 0.01
assert r["SWALR"][9] > 0.02 and flat(r["SWALR"][10:], 0.02)
assert flat(r["MultiStepLR"][10:], 0.1 * 0.1 * 0.1)
step = r["StepLR"]
assert step[20] < step[15] < step[10]
# The values the page quotes.
onecycle_last, onecycle_end = one[10], one[9]
cosine_back, seq_up, warm_restart = cosine[20], seq[15], warm[10]
