"""Several budgets from one warmup-stable-decay run: keep checkpoints of the stable
phase, branch a cooldown off each, and compare with one warmup + cosine run per
budget, on the site's comparison problem."""

import io
import itertools
import math
from functools import partial

import matplotlib.pyplot as plt
import torch
from torch import nn
from torch.optim import lr_scheduler

torch.set_num_threads(1)  # a tiny model: more threads only add overhead
LONGEST, BATCH, PEAK, SEEDS = 300, 32, 0.1, 10
BUDGETS = [LONGEST * tenths // 10 for tenths in (4, 6, 8, 10)]
WARMUP, EVERY = LONGEST // 20, 6  # warmup steps; measure the loss every 6 steps

torch.manual_seed(0)  # the comparison problem of the Recipes page
X = torch.randn(1024, 10)
teacher = nn.Sequential(nn.Linear(10, 16), nn.Tanh(), nn.Linear(16, 4))
with torch.no_grad():
    y = teacher(X).argmax(dim=1)
flip = torch.rand(len(y)) < 0.1
y[flip] = torch.randint(0, 4, (int(flip.sum()),))


def cooldown_start(end: int) -> int:  # the cooldown is the last 20% of the budget
    return end - end // 5


def wsd(step: int, end: int) -> float:
    """Warmup, the peak, then a 1-sqrt cooldown to 0 at step `end`."""
    if step < WARMUP:
        return (step + 1) / WARMUP
    start = cooldown_start(end)
    progress = min(1.0, max(0, step - start) / (end - start))  # 0, then up to 1
    return 1 - math.sqrt(progress)


def warmup_cosine(step: int, end: int) -> float:
    if step < WARMUP:
        return (step + 1) / WARMUP
    progress = min(1.0, (step - WARMUP) / (end - WARMUP))  # 1, then rate 0
    return 0.5 * (1 + math.cos(math.pi * progress))


def init(*shape: int, fan_in: int) -> torch.Tensor:  # nn.Linear's default init
    bound = 1 / math.sqrt(fan_in)
    return torch.empty(*shape).uniform_(-bound, bound).requires_grad_()


def build(*schedules):
    """SEEDS copies of the 10-32-4 network per schedule, one parameter group each,
    their optimizer and scheduler, as at the start of a run; the batches come from
    a generator of their own, the same for every schedule."""
    model = []
    for _ in schedules:
        torch.manual_seed(1)  # every schedule's copy s starts from the same weights
        w1, b1 = init(SEEDS, 10, 32, fan_in=10), init(SEEDS, 1, 32, fan_in=10)
        w2, b2 = init(SEEDS, 32, 4, fan_in=32), init(SEEDS, 1, 4, fan_in=32)
        model.append([w1, b1, w2, b2])
    optimizer = torch.optim.SGD([{"params": g} for g in model], lr=PEAK, momentum=0.9)
    scheduler = lr_scheduler.LambdaLR(optimizer, list(schedules))
    return model, optimizer, scheduler, torch.Generator().manual_seed(2)


def losses(model, xs: torch.Tensor, ys: torch.Tensor) -> torch.Tensor:
    """The loss of every copy, shape (schedules, SEEDS); copy s of every schedule
    sees batch s."""
    w1, b1, w2, b2 = (torch.cat(ws) for ws in zip(*model, strict=True))
    xs, ys = xs.repeat(len(model), 1, 1), ys.repeat(len(model), 1)
    logits = torch.baddbmm(b2, torch.relu(torch.baddbmm(b1, xs, w1)), w2)
    per_sample = nn.functional.cross_entropy(
        logits.flatten(0, 1), ys.flatten(), reduction="none"
    )
    return per_sample.view(len(model), SEEDS, -1).mean(dim=2)


def full_loss(model) -> torch.Tensor:  # each copy's loss on the whole training set
    with torch.no_grad():
        return losses(model, X.expand(SEEDS, -1, -1), y.expand(SEEDS, -1))


def train(run, end: int, curve=None, checkpoints=None, at=()) -> torch.Tensor:
    """Train from the scheduler's step to `end`; the mean loss goes into `curve`
    every EVERY steps; at the steps in `at`, a checkpoint goes into `checkpoints`.
    Returns each copy's final loss."""
    model, optimizer, scheduler, batches = run
    for step in range(scheduler.last_epoch, end):
        if step in at:  # torch.save copies: the tensors go on changing after this
            buffer = io.BytesIO()
            torch.save(
                {
                    "model": [[w.detach() for w in group] for group in model],
                    "optimizer": optimizer.state_dict(),
                    "scheduler": scheduler.state_dict(),
                    "batches": batches.get_state(),
                },
                buffer,
            )
            checkpoints[step] = buffer.getvalue()
        if curve is not None and step % EVERY == 0:
            curve[step] = full_loss(model).mean().item()
        batch = torch.randint(0, len(X), (SEEDS, BATCH), generator=batches)
        optimizer.zero_grad()
        losses(model, X[batch], y[batch]).sum().backward()
        optimizer.step()
        scheduler.step()
    final = full_loss(model)
    if curve is not None:
        curve[end] = final.mean().item()
    return final


def branch(checkpoint: bytes, end: int):
    """A run resumed from `checkpoint` that cools down to `end`: build everything
    as at the start, with this budget's schedule, then load the states."""
    model, optimizer, scheduler, batches = build(partial(wsd, end=end))
    state = torch.load(io.BytesIO(checkpoint))
    with torch.no_grad():
        for w, saved in zip(model[0], state["model"][0], strict=True):
            w.copy_(saved)
    optimizer.load_state_dict(state["optimizer"])
    scheduler.load_state_dict(state["scheduler"])  # the step count, not the function
    batches.set_state(state["batches"])
    return model, optimizer, scheduler, batches


# One run for the longest budget, with a checkpoint where each shorter budget's
# cooldown begins; then one branch per checkpoint.
checkpoints, curves, wsd_final = {}, {}, {}
stable = build(partial(wsd, end=LONGEST))
branch_points = [cooldown_start(end) for end in BUDGETS[:-1]]
curves[LONGEST] = {}
final = train(stable, LONGEST, curves[LONGEST], checkpoints, branch_points)
wsd_final[LONGEST] = final[0]
for end, point in zip(BUDGETS[:-1], branch_points, strict=True):
    curves[end] = {}
    wsd_final[end] = train(branch(checkpoints[point], end), end, curves[end])[0]

# The usual way: a whole warmup + cosine run per budget. To be quick, the four train
# side by side in one loop, one parameter group each; after its budget a run's rate
# is 0, so its weights stay as they were at its end. The cost counted below is
# that of four separate runs.
cosines = build(*(partial(warmup_cosine, end=end) for end in BUDGETS))
cosine_final = dict(zip(BUDGETS, train(cosines, LONGEST), strict=True))

wsd_steps = LONGEST + sum(
    e - p for e, p in zip(BUDGETS[:-1], branch_points, strict=True)
)
cosine_steps = sum(BUDGETS)
print(f"budgets {BUDGETS}: WSD computes {wsd_steps} steps, cosine {cosine_steps}")
for end in BUDGETS:
    a, b = wsd_final[end], cosine_final[end]
    print(f"{end:>4} steps: WSD {a.mean():.4f} ± {a.std():.4f}", end=", ")
    print(f"cosine {b.mean():.4f} ± {b.std():.4f}")

# %% Checks and figure
# A branch is exactly the run it stands for: a whole WSD run of the shortest budget,
# from scratch, ends with the same losses, to the last bit.
scratch = train(build(partial(wsd, end=BUDGETS[0])), BUDGETS[0])[0]
branch_is_exact = torch.equal(scratch, wsd_final[BUDGETS[0]])
wsd_means = [wsd_final[end].mean().item() for end in BUDGETS]
wsd_stds = [wsd_final[end].std().item() for end in BUDGETS]
cosine_means = [cosine_final[end].mean().item() for end in BUDGETS]
cosine_stds = [cosine_final[end].std().item() for end in BUDGETS]
gaps = [c - w for c, w in zip(cosine_means, wsd_means, strict=True)]  # > 0: WSD lower
spreads = [max(a, b) for a, b in zip(wsd_stds, cosine_stds, strict=True)]
wsd_lower = [int((wsd_final[e] < cosine_final[e]).sum()) for e in BUDGETS]
saved_fraction = 1 - wsd_steps / cosine_steps
print(f"a branch equals a whole run of its budget: {branch_is_exact}")
print(f"cosine mean minus WSD mean: {[round(g, 4) for g in gaps]}")
print(f"larger std of the two: {[round(s, 4) for s in spreads]}")
print(f"seeds where WSD ended lower: {wsd_lower} of {SEEDS}")
print(f"WSD computed {saved_fraction:.0%} fewer steps")

# What the page claims: the branch is exact; each branch ends below the long run at
# the same step; a longer budget ends lower, for both; at every budget the two
# means are closer than the larger of their stds, and WSD's is the lower one.
assert branch_is_exact
assert all(curves[end][end] < curves[LONGEST][end] for end in BUDGETS[:-1])
assert all(a > b for a, b in itertools.pairwise(wsd_means))
assert all(a > b for a, b in itertools.pairwise(cosine_means))
assert all(abs(g) < s for g, s in zip(gaps, spreads, strict=True))
assert all(g > 0 for g in gaps)
assert wsd_steps < cosine_steps / 2

fig, ax = plt.subplots()
for i, end in enumerate(reversed(BUDGETS)):  # the long run first, under the branches
    steps, loss = zip(*sorted(curves[end].items()), strict=True)
    label = f"the run, {end} steps" if end == LONGEST else f"branch, {end} steps"
    ax.plot(steps, loss, color=f"C{i}", label=label)
for i, end in enumerate(BUDGETS):  # beside the end of each budget
    ax.errorbar(
        end + 4,
        cosine_means[i],
        yerr=cosine_stds[i],
        fmt="s",
        color="0.3",
        capsize=4,
        zorder=4,
    )
ax.errorbar(
    [],
    [],
    yerr=[],
    fmt="s",
    color="0.3",
    capsize=4,
    label="warmup + cosine, own run (mean ± std)",
)
ax.set_ylim(0.45, 0.8)
ax.set(
    xlabel="step",
    ylabel=f"training loss (mean of {SEEDS} seeds)",
    title="Four budgets from one WSD run",
)
ax.legend(loc="upper right")
plt.show()
