"""Two processes with torch.distributed (gloo, CPU). Each steps its own scheduler:
a step-count schedule agrees on every rank by itself, ReduceLROnPlateau only when
every rank sees the same metric. Run it with `python two_ranks.py` (it starts its
two ranks itself), or with `torchrun --nproc-per-node=2 two_ranks.py`."""

import datetime
import multiprocessing
import os
import socket
import time

import torch
import torch.distributed as dist

EPOCHS = 8


def plateau_run(model, data, shared_metric: bool) -> list[float]:
    """Train with DDP; ReduceLROnPlateau fed this rank's validation loss, or the
    loss all-reduced over the ranks. The rate of every epoch."""
    x, y, val_x, val_y = data
    optimizer = torch.optim.SGD(model.parameters(), lr=0.2)
    plateau = torch.optim.lr_scheduler.ReduceLROnPlateau(optimizer, patience=0)
    rates = []
    for _epoch in range(EPOCHS):
        rates.append(optimizer.param_groups[0]["lr"])
        for xb, yb in zip(x.split(8), y.split(8), strict=True):
            optimizer.zero_grad()
            torch.nn.functional.mse_loss(model(xb), yb).backward()  # grads averaged
            optimizer.step()
        with torch.no_grad():
            val_loss = torch.nn.functional.mse_loss(model(val_x), val_y)
        if shared_metric:  # right: every rank steps with the same number
            dist.all_reduce(val_loss, op=dist.ReduceOp.SUM)
            val_loss /= dist.get_world_size()
        plateau.step(val_loss.item())
    return rates


# %% The data, a cosine schedule beside it, and the launcher of the two ranks
def train(rank: int) -> dict:
    """This rank's rates and weights: a cosine schedule, then ReduceLROnPlateau fed
    this rank's own validation loss, then the loss all-reduced."""
    torch.manual_seed(rank)  # each rank its own shard of the data
    w = torch.tensor([[1.0], [-2.0], [0.5], [3.0]])
    x = torch.randn(64, 4)
    y = x @ w + 0.3 * torch.randn(64, 1)
    val_x = torch.randn(16, 4)
    val_y = val_x @ w + 0.3 * torch.randn(16, 1)
    data = (x, y, val_x, val_y)
    report = {}

    # A schedule by step count: every rank takes the same steps, so it agrees.
    torch.manual_seed(0)  # the same initial weights on every rank
    model = torch.nn.parallel.DistributedDataParallel(torch.nn.Linear(4, 1))
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    cosine = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=EPOCHS * 8)
    rates = []
    for _epoch in range(EPOCHS):
        for xb, yb in zip(x.split(8), y.split(8), strict=True):
            optimizer.zero_grad()
            torch.nn.functional.mse_loss(model(xb), yb).backward()
            optimizer.step()
            cosine.step()
            rates.append(optimizer.param_groups[0]["lr"])
    report["cosine"] = rates
    for shared in (False, True):
        torch.manual_seed(0)
        model = torch.nn.parallel.DistributedDataParallel(torch.nn.Linear(4, 1))
        rates = plateau_run(model, data, shared_metric=shared)
        weights = model.module.weight.detach().flatten().tolist()
        report["shared" if shared else "own"] = {"rates": rates, "weights": weights}
    return report


def rank_main(rank: int, world_size: int, address: str, results=None):
    """One rank: join the others, train, and gather every rank's report on rank 0
    (returned, and put in `results` if given)."""
    dist.init_process_group(
        "gloo",
        init_method=address,
        rank=rank,
        world_size=world_size,
        timeout=datetime.timedelta(seconds=20),  # a partner that hangs: an error
    )
    report = train(rank)
    gathered = [None] * world_size
    dist.all_gather_object(gathered, report)
    dist.destroy_process_group()
    if rank != 0:
        return None
    if results is not None:
        results.put(gathered)
    return gathered


def start_ranks(world_size: int, timeout: float) -> list[dict]:
    """Start the ranks as torch.multiprocessing.spawn does (fork: each is a copy of
    this process); stop them all if one fails or the time is up."""
    with socket.socket() as free:  # a free port for the ranks to meet on
        free.bind(("127.0.0.1", 0))
        address = f"tcp://127.0.0.1:{free.getsockname()[1]}"
    results = multiprocessing.get_context("fork").SimpleQueue()
    ranks = torch.multiprocessing.start_processes(
        rank_main,
        args=(world_size, address, results),
        nprocs=world_size,
        join=False,
        start_method="fork",
    )
    deadline = time.monotonic() + timeout
    while not ranks.join(timeout=1):  # raises if a rank raised or died
        if time.monotonic() > deadline:
            for process in ranks.processes:
                process.kill()
            raise TimeoutError(f"the ranks did not finish in {timeout} s")
    return results.get()


if "RANK" in os.environ:  # started by torchrun: this process is one rank
    rank, world_size = int(os.environ["RANK"]), int(os.environ["WORLD_SIZE"])
    ranks = rank_main(rank, world_size, "env://")
    if ranks is None:
        raise SystemExit  # rank 0 reports
else:
    ranks = start_ranks(world_size=2, timeout=20)

cosine_agrees = ranks[0]["cosine"] == ranks[1]["cosine"]
cosine_steps = len(ranks[0]["cosine"])
print(f"CosineAnnealingLR, {cosine_steps} steps: ranks agree: {cosine_agrees}")
for variant, title in (("own", "own metric"), ("shared", "all-reduced metric")):
    print(f"ReduceLROnPlateau, each rank's {title}:")
    for rank, report in enumerate(ranks):
        rates = " ".join(f"{lr:.3g}" for lr in report[variant]["rates"])
        print(f"  rank {rank}, lr per epoch: {rates}")


def first_cut(rates: list[float]) -> int:
    return next(epoch for epoch, lr in enumerate(rates) if lr < rates[0])


own_cuts = [first_cut(r["own"]["rates"]) for r in ranks]
shared_cut = first_cut(ranks[0]["shared"]["rates"])
own_weights_differ = ranks[0]["own"]["weights"] != ranks[1]["own"]["weights"]
print("first cut, own metric, by rank:", own_cuts, "; all-reduced:", shared_cut)
print("weights differ between ranks: own metric", own_weights_differ, end=", ")
print("all-reduced", ranks[0]["shared"]["weights"] != ranks[1]["shared"]["weights"])

# %% Checks
assert cosine_agrees
assert own_cuts[0] != own_cuts[1]  # the ranks cut at different epochs
assert own_weights_differ  # so DDP's replicas drift apart: same grads, other rates
assert ranks[0]["shared"] == ranks[1]["shared"]  # same rates, same weights
