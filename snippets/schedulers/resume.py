"""Save and load the scheduler with the model and optimizer: the run continues."""

import io

import torch

torch.manual_seed(0)
X, y = torch.randn(64, 3), torch.randn(64, 1)


def make():
    torch.manual_seed(1)  # same initial weights every time
    model = torch.nn.Linear(3, 1)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    scheduler = torch.optim.lr_scheduler.StepLR(optimizer, step_size=2, gamma=0.5)
    return model, optimizer, scheduler


def train(model, optimizer, scheduler, epochs):
    lrs = []
    for _ in range(epochs):
        lrs.append(scheduler.get_last_lr()[0])
        optimizer.zero_grad()
        torch.nn.functional.mse_loss(model(X), y).backward()
        optimizer.step()
        scheduler.step()
    return lrs


# One run of 8 epochs, without a break.
model, optimizer, scheduler = make()
straight = train(model, optimizer, scheduler, 8)
weights_straight = model.weight.detach().clone()

# The same run stopped after 4 epochs, saved, and resumed in fresh objects.
model, optimizer, scheduler = make()
first = train(model, optimizer, scheduler, 4)
checkpoint = io.BytesIO()  # a file on disk in real life
torch.save(
    {
        "model": model.state_dict(),
        "optimizer": optimizer.state_dict(),
        "scheduler": scheduler.state_dict(),
    },
    checkpoint,
)

checkpoint.seek(0)
state = torch.load(checkpoint)
model, optimizer, scheduler = make()  # build first, then load the state into them
model.load_state_dict(state["model"])
optimizer.load_state_dict(state["optimizer"])
scheduler.load_state_dict(state["scheduler"])
second = train(model, optimizer, scheduler, 4)

saved = state["scheduler"]
saved_steps, saved_lr = saved["last_epoch"], saved["_last_lr"][0]
print("saved:", {k: saved[k] for k in ("last_epoch", "_last_lr")})
print("straight run:", straight)
print("resumed run: ", first, "+", second)
assert first + second == straight  # the same learning-rate sequence
assert torch.equal(model.weight, weights_straight)  # and the same weights
assert saved_steps == 4 and saved_lr == straight[4]  # the state at the break
