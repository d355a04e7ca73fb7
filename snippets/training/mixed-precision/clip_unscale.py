"""Clip gradients after scaler.unscale_(): before it, they are still multiplied by
the loss scale, and clipping them to max_norm shrinks the real step by that scale."""

import torch


def applied_grad_norm(unscale_first: bool, **implementation) -> float:
    """The norm of the gradient optimizer.step() used, after clipping to 0.1."""
    torch.manual_seed(0)
    model = torch.nn.Linear(4, 1)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1, **implementation)
    scaler = torch.amp.GradScaler("cpu")
    x, y = torch.randn(8, 4), torch.randn(8, 1)
    with torch.autocast("cpu", dtype=torch.float16):
        loss = torch.nn.functional.mse_loss(model(x / 10), y)
    scaler.scale(loss).backward()
    if unscale_first:
        scaler.unscale_(optimizer)  # right: the real gradients, then clip
    torch.nn.utils.clip_grad_norm_(model.parameters(), max_norm=0.1)
    scaler.step(optimizer)  # unscales here if unscale_() was not called
    grads = [p.grad for p in model.parameters()]
    return torch.linalg.vector_norm(torch.cat([g.flatten() for g in grads])).item()


clipped_scaled = applied_grad_norm(unscale_first=False)
clipped_real = applied_grad_norm(unscale_first=True)
loss_scale = torch.amp.GradScaler("cpu").get_scale()
print(f"clip, then unscale: the step used a gradient of norm {clipped_scaled:.3g}")
print(f"unscale_, then clip: the step used a gradient of norm {clipped_real:.3g}")
# Why float16 needs a scaler and bfloat16 does not: the largest number each holds.
fp16_max = torch.finfo(torch.float16).max
bf16_max = torch.finfo(torch.bfloat16).max
print(f"largest float16: {fp16_max:.0f}; largest bfloat16: {bf16_max:.3g}")

# %% Checks
assert abs(clipped_real - 0.1) < 1e-4  # clipped to max_norm, as asked
assert abs(clipped_scaled * loss_scale - 0.1) < 1e-4  # 1 / 65536 of it
assert bf16_max > 1e38 > fp16_max  # bfloat16 has float32's range
for implementation in [{"foreach": True}, {"fused": True}]:  # the same either way
    scaled = applied_grad_norm(False, **implementation)
    real = applied_grad_norm(True, **implementation)
    assert abs(scaled / clipped_scaled - 1) < 1e-5 > abs(real / clipped_real - 1)
