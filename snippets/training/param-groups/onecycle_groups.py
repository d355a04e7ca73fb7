"""OneCycleLR with one max_lr gives every group the same rates, whatever lr each
group had; a list of max_lr, one per group, keeps them apart."""

import torch


def first_rates(max_lr, cyclic=False) -> list[float]:
    backbone = torch.nn.Linear(4, 4)
    head = torch.nn.Linear(4, 1)
    optimizer = torch.optim.SGD(
        [
            {"params": backbone.parameters(), "lr": 1e-4},
            {"params": head.parameters(), "lr": 1e-3},
        ],
        momentum=0.9,
    )
    if cyclic:  # CyclicLR: base_lr is its starting rate
        torch.optim.lr_scheduler.CyclicLR(optimizer, base_lr=max_lr, max_lr=1e-2)
    else:
        torch.optim.lr_scheduler.OneCycleLR(optimizer, max_lr=max_lr, total_steps=100)
    return [group["lr"] for group in optimizer.param_groups]


flattened = first_rates(max_lr=1e-3)  # wrong: one number for both groups
kept = first_rates(max_lr=[1e-4, 1e-3])  # right: one per group
print("max_lr=1e-3:         step 0 rates", [f"{lr:.1e}" for lr in flattened])
print("max_lr=[1e-4, 1e-3]: step 0 rates", [f"{lr:.1e}" for lr in kept])

# %% Checks
assert flattened[0] == flattened[1]  # the backbone's own 1e-4 is gone
assert abs(flattened[0] - 1e-3 / 25) < 1e-12  # max_lr / div_factor (25)
assert abs(kept[1] / kept[0] - 10) < 1e-9  # the tenfold ratio kept
cyclic_flat = first_rates(1e-3, cyclic=True)
cyclic_kept = first_rates([1e-4, 1e-3], cyclic=True)
assert cyclic_flat == [1e-3, 1e-3] and cyclic_kept == [1e-4, 1e-3]
