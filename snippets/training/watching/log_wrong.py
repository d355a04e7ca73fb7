"""Wrong: the same logging, with a scheduler whose T_max counts epochs stepped after
every batch. The log is faithful: it shows the schedule the run really had."""

import math
import shutil
import tempfile

import matplotlib.pyplot as plt
import torch
from tensorboard.backend.event_processing.event_accumulator import EventAccumulator
from torch.utils.tensorboard import SummaryWriter

torch.manual_seed(0)
EPOCHS, BATCHES = 6, 8
x = torch.randn(BATCHES * 16, 8)
y = x @ torch.randn(8, 1) + 0.1 * torch.randn(len(x), 1)
model = torch.nn.Sequential(
    torch.nn.Linear(8, 16), torch.nn.Tanh(), torch.nn.Linear(16, 1)
)
body, head = model[0].parameters(), model[2].parameters()
groups = [{"params": body, "lr": 0.005}, {"params": head}]
optimizer = torch.optim.SGD(groups, lr=0.05, momentum=0.9)
scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=EPOCHS)

writer = SummaryWriter(logdir := tempfile.mkdtemp())
step = 0
for _epoch in range(EPOCHS):
    for batch in torch.randperm(len(x)).split(16):
        loss = torch.nn.functional.mse_loss(model(x[batch]), y[batch])
        optimizer.zero_grad()
        loss.backward()
        # the norm of all the gradients together; clip_grad_norm_ returns it too
        grad_norm = torch.nn.utils.get_total_norm([p.grad for p in model.parameters()])
        for i, group in enumerate(optimizer.param_groups):  # the rate this step uses
            writer.add_scalar(f"lr/group{i}", group["lr"], step)
        writer.add_scalar("grad_norm", grad_norm, step)
        optimizer.step()
        scheduler.step()  # wrong: T_max counts epochs, this steps every batch
        step += 1
writer.close()  # flushes the event file

events = EventAccumulator(logdir)  # reads the event file as TensorBoard does
events.Reload()
tags = events.Tags()["scalars"]
logged = {tag: [(e.step, e.value) for e in events.Scalars(tag)] for tag in tags}

# %% What was logged, checks and figure
shutil.rmtree(logdir)
rates = [[v for _, v in logged[f"lr/group{i}"]] for i in range(2)]
norms = [v for _, v in logged["grad_norm"]]
points, lr_first, lr_last = len(norms), rates[1][0], rates[1][-1]
norm_ratio = sum(norms[-BATCHES:]) / sum(norms[:BATCHES])  # last epoch / first
print(f"tags: {tags}, {points} points each")
print(f"head's rate: {lr_first:.4g} at step 0, {lr_last:.4g} at step {points - 1}")
print(f"mean gradient norm, last epoch / first epoch: {norm_ratio:.2f}")

# The scheduler's own rates, from the same optimizer settings stepped the same way.
probe = [{"params": [torch.zeros(1)], "lr": 0.005}, {"params": [torch.zeros(1)]}]
reference = torch.optim.SGD(probe, lr=0.05, momentum=0.9)
planner = torch.optim.lr_scheduler.CosineAnnealingLR(reference, T_max=EPOCHS)
planned = []
for _step in range(EPOCHS * BATCHES):  # stepped per batch, as the run was
    planned.append(planner.get_last_lr())
    reference.step()
    planner.step()

steps, period = EPOCHS * BATCHES, 2 * EPOCHS  # the cosine's period: 2 * T_max
assert sorted(tags) == ["grad_norm", "lr/group0", "lr/group1"]
for tag in tags:  # one point per step, steps 0 .. steps - 1
    assert [s for s, _ in logged[tag]] == list(range(steps)), tag
for i in range(2):  # TensorBoard keeps a float32: the scheduler's rate, rounded
    assert rates[i] == [float(torch.tensor(lrs[i]).float()) for lrs in planned]
    # the rate at the first and last step is the scheduler's
    assert math.isclose(rates[i][0], planned[0][i], rel_tol=1e-7)
    assert math.isclose(rates[i][-1], planned[-1][i], rel_tol=1e-7)
# Stepped per batch: the cosine reaches 0 after T_max batches, then climbs back,
# once every 2 * T_max steps, and the run ends near its peak rate.
rises = sum(b > a for a, b in zip(rates[1], rates[1][1:], strict=False))
assert rises >= steps // 3
assert min(rates[1][:period]) < 1e-9 * lr_first
assert math.isclose(max(rates[1][period // 2 : period + 1]), lr_first, rel_tol=1e-6)
assert lr_last > 0.5 * lr_first
assert norm_ratio > 0.7  # it does not settle (0.91-1.55 over 8 seeds)
assert all(math.isfinite(n) and n > 0 for n in norms)

fig, (ax_lr, ax_norm) = plt.subplots(2, 1, sharex=True, figsize=(7, 5.5))
for i, name in enumerate(["lr/group0 (body)", "lr/group1 (head)"]):
    s, v = zip(*logged[f"lr/group{i}"], strict=True)
    ax_lr.plot(s, v, drawstyle="steps-post", label=name)
ax_lr.set(ylabel="learning rate", title="Read back from the event file: wrong")
ax_lr.set_ylim(0, 0.07)
ax_lr.legend(loc="upper center", ncol=2)
s, v = zip(*logged["grad_norm"], strict=True)
ax_norm.plot(s, v, color="C2")
ax_norm.set(xlabel="step", ylabel="gradient norm", title="grad_norm")
fig.tight_layout()
plt.show()
