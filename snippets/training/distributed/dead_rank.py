"""What a rank's next collective does when its partner has died, and when its
partner is alive but never gets there (gloo, CPU). Run it with `python
dead_rank.py`: it starts two ranks itself, once for each case."""

import datetime
import multiprocessing
import os
import socket
import time

import torch
import torch.distributed as dist

TIMEOUT = datetime.timedelta(minutes=1)  # the process group's timeout
SHORT = datetime.timedelta(seconds=1)  # a second group's, to wait less for a hang


def rank_main(rank: int, address: str, partner: str, report) -> None:
    """Rank 1 dies or hangs after one all-reduce; rank 0 sends how long its next
    all-reduce took to raise, and the error."""
    dist.init_process_group(
        "gloo", init_method=address, rank=rank, world_size=2, timeout=TIMEOUT
    )
    short = dist.new_group(timeout=SHORT)  # the same two ranks, a shorter timeout
    dist.all_reduce(torch.ones(1))  # both alive: it works
    if rank == 1:
        if partner == "dies":
            os._exit(1)  # a crash: the process ends, and its sockets close with it
        time.sleep(60)  # alive, but it never gets to the next all-reduce
    start = time.monotonic()
    try:
        dist.all_reduce(torch.ones(1), group=short if partner == "hangs" else None)
        report.send((time.monotonic() - start, "", "no error"))
    except RuntimeError as error:
        report.send((time.monotonic() - start, type(error).__name__, str(error)))
    os._exit(0)


# %% Starting the two ranks (forked, as in two_ranks.py), once for each case
def survivor(partner: str) -> tuple[float, str, str]:
    """Rank 0's report, with rank 1 dying or hanging; then stop both."""
    with socket.socket() as free:  # a free port for the ranks to meet on
        free.bind(("127.0.0.1", 0))
        address = f"tcp://127.0.0.1:{free.getsockname()[1]}"
    fork = multiprocessing.get_context("fork")
    receive, report = fork.Pipe(duplex=False)
    ranks = [
        fork.Process(target=rank_main, args=(rank, address, partner, report))
        for rank in range(2)
    ]
    for process in ranks:
        process.start()
    try:
        if not receive.poll(timeout=30):
            raise TimeoutError("rank 0 did not report in 30 s")
        return receive.recv()
    finally:
        for process in ranks:  # the rank that hangs is still asleep
            process.kill()
            process.join()


dies_seconds, dies_type, dies_error = survivor("dies")
hangs_seconds, hangs_type, hangs_error = survivor("hangs")
timeout_s, short_s = TIMEOUT.total_seconds(), SHORT.total_seconds()
print(f"rank 1 died:  rank 0's all_reduce raised {dies_type} after", end=" ")
print(f"{dies_seconds:.3f} s (its group's timeout: {timeout_s:g} s)")
print(f"rank 1 hangs: rank 0's all_reduce raised {hangs_type} after", end=" ")
print(f"{hangs_seconds:.3f} s (its group's timeout: {short_s:g} s)")

# %% Checks
# The dead partner's sockets closed: gloo says so at once, whatever the timeout.
assert dies_type == "RuntimeError"
# Which of the socket's errors gloo sees depends on when the end arrives.
assert any(e in dies_error for e in ("closed by peer", "reset by peer", "Broken pipe"))
assert "Timed out" not in dies_error
assert dies_seconds < 5 < timeout_s
# The partner that hangs closes nothing: the wait ends at the group's timeout.
assert hangs_type == "RuntimeError" and "Timed out" in hangs_error
assert 0.9 * short_s <= hangs_seconds < short_s + 10
