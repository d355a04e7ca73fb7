"""Different rates per parameter group: a slow pretrained backbone, a fast new head."""

import torch

backbone = torch.nn.Sequential(torch.nn.Linear(8, 16), torch.nn.ReLU())
head = torch.nn.Linear(16, 2)
optimizer = torch.optim.AdamW(
    [
        {"params": backbone.parameters(), "lr": 1e-4},  # small steps: keep features
        {"params": head.parameters()},  # uses the default lr below
    ],
    lr=1e-3,
)
scheduler = torch.optim.lr_scheduler.StepLR(optimizer, step_size=1, gamma=0.5)

for epoch in range(3):
    backbone_lr, head_lr = scheduler.get_last_lr()  # one entry per group
    print(f"epoch {epoch}: backbone {backbone_lr:.2e}, head {head_lr:.2e}")
    assert abs(head_lr / backbone_lr - 10) < 1e-9  # the ratio survives the decay
    optimizer.step()
    scheduler.step()

# LambdaLR takes one function per group: here the backbone stays frozen (factor 0)
# for the first two epochs while the head trains, then both follow the same decay.
optimizer = torch.optim.AdamW(
    [{"params": backbone.parameters(), "lr": 1e-4}, {"params": head.parameters()}],
    lr=1e-3,
)
scheduler = torch.optim.lr_scheduler.LambdaLR(
    optimizer,
    lr_lambda=[
        lambda epoch: 0.0 if epoch < 2 else 0.5**epoch,  # backbone
        lambda epoch: 0.5**epoch,  # head
    ],
)
backbone_rates = []
for epoch in range(4):
    print(f"epoch {epoch}:", ", ".join(f"{lr:.2e}" for lr in scheduler.get_last_lr()))
    backbone_rates.append(scheduler.get_last_lr()[0])
    optimizer.step()
    scheduler.step()
# What the page claims: the backbone is frozen for the first two epochs, then trains.
assert backbone_rates[:2] == [0.0, 0.0] and min(backbone_rates[2:]) > 0
