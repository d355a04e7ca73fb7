"""Wrong: with GradScaler, a step whose gradients overflow changes no weight, but the
scheduler still steps: the schedule runs ahead of the weights, one step per skip.
The same with the three implementations of SGD: for-loop, foreach and fused."""

import warnings

import torch

torch.manual_seed(0)
x, y = torch.randn(8, 4), torch.randn(8, 1)
# two batches whose gradients overflow float16
batches = [x * 300, x / 10, x / 10, x * 300, x / 10]


def train(**implementation) -> dict:
    """The wrong loop, with SGD(**implementation): what each step did."""
    torch.manual_seed(0)
    model = torch.nn.Linear(4, 1)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1, **implementation)
    scheduler = torch.optim.lr_scheduler.StepLR(optimizer, step_size=1, gamma=0.5)
    scaler = torch.amp.GradScaler("cpu")  # on a GPU: GradScaler("cuda")
    calls, rows = [], []  # calls: each optimizer.step(), as a wrapper around it sees it
    optimizer.register_step_pre_hook(lambda *args: calls.append(1))
    with warnings.catch_warnings(record=True) as caught:  # to count them below
        warnings.simplefilter("always")
        for xb in batches:
            optimizer.zero_grad()
            with torch.autocast("cpu", dtype=torch.float16):  # on a GPU: "cuda"
                loss = torch.nn.functional.mse_loss(model(xb), y)
            scaler.scale(loss).backward()
            scale = scaler.get_scale()
            finite = all(p.grad.isfinite().all() for p in model.parameters())
            before, called = model.weight.detach().clone(), len(calls)
            lr = optimizer.param_groups[0]["lr"]
            scaler.step(optimizer)  # no update if a gradient is inf or nan
            scaler.update()  # and then halves the scale
            scheduler.step()  # wrong: steps even when the weights did not move
            moved = not torch.equal(before, model.weight)
            called = len(calls) > called
            row = dict(scale=scale, finite=finite, called=called, moved=moved, lr=lr)
            rows.append(row | {"lr_next": scheduler.get_last_lr()[0]})
    return {"rows": rows, "warnings": [w.message for w in caught], "calls": len(calls)}


runs = {"for-loop": train(foreach=False)}

# %% The foreach and fused SGD, and the printed tables
runs["foreach"] = train(foreach=True)
runs["fused"] = train(fused=True)  # fused kernels: CUDA, and CPU too
print("for-loop SGD:")
print("step  loss scale  gradients  step() called  weights moved  lr used  lr next")
for step, row in enumerate(runs["for-loop"]["rows"]):
    grads = "finite" if row["finite"] else "inf/nan"
    print(f"{step:4d}  {row['scale']:10.0f}  {grads:9s}  {row['called']!s:13s}", end="")
    print(f"  {row['moved']!s:13s}  {row['lr']:7.4f}  {row['lr_next']:.4f}")
print("\nimplementation  optimizer.step() calls  weight updates  warnings")
for name, run in runs.items():
    updates = sum(row["moved"] for row in run["rows"])
    print(f"{name:>14}  {run['calls']:22d}  {updates:14d}  {len(run['warnings'])}")
for warning in runs["for-loop"]["warnings"]:  # what PyTorch said, once
    print(f"{type(warning).__name__}: {warning}")


# %% Values for the page, and checks
def column(name: str, key: str) -> list:
    return [row[key] for row in runs[name]["rows"]]


init_scale = column("for-loop", "scale")[0]  # 65536 by default
first_lr, second_lr = column("for-loop", "lr")[:2]
skipped = [not moved for moved in column("for-loop", "moved")]
real_steps = len(batches) - sum(skipped)
scheduler_steps = len(batches)  # one per batch: the wrong loop
loop_calls, fused_calls = runs["for-loop"]["calls"], runs["fused"]["calls"]
fused_warnings = len(runs["fused"]["warnings"])
assert skipped == [True, False, False, True, False]  # batches 0 and 3 overflowed
assert (first_lr, second_lr) == (0.1, 0.05)  # the rate moved on after a skipped step
assert column("for-loop", "lr_next")[-1] == 0.1 * 0.5**scheduler_steps
for name in runs:  # the same scales, updates and rates, whatever the kernel
    for key in ["scale", "finite", "moved", "lr", "lr_next"]:
        assert column(name, key) == column("for-loop", key), (name, key)
# for-loop and foreach: no optimizer.step() call on a skip; fused: a call on every
# batch, and the fused kernel itself leaves the weights alone
for name in ["for-loop", "foreach"]:
    assert column(name, "called") == column(name, "moved"), name
assert loop_calls == runs["foreach"]["calls"] == real_steps == 3
assert column("fused", "called") == [True] * len(batches)
assert fused_calls == len(batches)
# One warning, for the skip at the first step; the skip at step 3 is silent.
for name in ["for-loop", "foreach"]:
    assert [str(w)[:65] for w in runs[name]["warnings"]] == [
        "Detected call of `lr_scheduler.step()` before `optimizer.step()`."
    ]
assert fused_warnings == 0  # fused: step() was called, so no warning at all
