"""The contrastive head under torch.distributed: two CPU processes (gloo) that each
hold half of a batch give the same loss and gradients as one process with all of it.

Teardown is part of the test. The first functional collective imports ``torch._dynamo``,
and an import of ``torch._dynamo`` made while a process group exists keeps references
to that group, so ``destroy_process_group()`` no longer frees it: gloo's worker threads
then run on into interpreter shutdown, and a thread that releases a tensor there aborts
the process ("terminate called without an active exception", rank killed by SIGABRT;
pytorch/pytorch#190489). It happened only under load, when the threads were slow to
finish. Importing ``torch._dynamo`` before the group exists lets the group die at
``destroy_process_group()``, which each worker checks: no gloo or store thread is left
when it returns. Rendezvous goes through a file in the test's folder, not a probed free
port that another process could take before rank 0 binds it.
"""

from __future__ import annotations

import sys
from pathlib import Path

import torch
import torch._dynamo  # before any process group exists: see the module docstring
import torch.distributed as dist
import torch.multiprocessing as mp

from mmx.heads import create_head

# native threads of a live gloo group and its store, as Linux names them
_GROUP_THREADS = ("gloo", "pt_gloo", "pt_tcpstore")


def _batch() -> tuple[torch.Tensor, torch.Tensor]:
    g = torch.Generator().manual_seed(0)
    return torch.randn(8, 6, generator=g), torch.randn(8, 5, generator=g)


def _head():
    torch.manual_seed(0)
    return create_head("contrastive", dim_a=6, dim_b=5, embed_dim=4, temperature=0.1)


def _group_threads() -> list[str]:
    """Names of this process's native threads that belong to a process group (Linux)."""
    tasks = Path("/proc/self/task")
    if not sys.platform.startswith("linux") or not tasks.is_dir():
        return []
    names = []
    for task in tasks.iterdir():
        try:
            names.append((task / "comm").read_text().strip())
        except OSError:  # the thread ended while we looked
            continue
    return [n for n in names if n.startswith(_GROUP_THREADS)]


def _worker(rank: int, init_file: str, out: str) -> None:
    dist.init_process_group("gloo", init_method=f"file://{init_file}", rank=rank, world_size=2)
    try:
        a, b = _batch()
        head = _head()
        loss = head(a[rank * 4 : rank * 4 + 4], b[rank * 4 : rank * 4 + 4])["loss"]
        loss.backward()
        grad = head.proj_a.weight.grad.clone()
        dist.all_reduce(grad)  # what DDP does to gradients (then divides by world size)
        losses = [torch.zeros(()) for _ in range(2)]
        dist.all_gather(losses, loss.detach())
        if rank == 0:
            torch.save({"loss": torch.stack(losses).mean(), "grad": grad / 2}, out)
        dist.barrier()  # neither rank tears the group down while the other still uses it
    finally:
        dist.destroy_process_group()
    left = _group_threads()
    assert not left, f"rank {rank}: process-group threads outlive destroy_process_group: {left}"


def test_gathered_loss_equals_the_global_batch(tmp_path) -> None:
    out = str(tmp_path / "ddp.pt")
    # join=True (the default) waits for both ranks and raises if either failed or was killed
    mp.start_processes(
        _worker, args=(str(tmp_path / "rendezvous"), out), nprocs=2, start_method="spawn"
    )
    got = torch.load(out, weights_only=True)
    a, b = _batch()
    head = _head()
    loss = head(a, b)["loss"]
    loss.backward()
    torch.testing.assert_close(got["loss"], loss.detach())
    torch.testing.assert_close(got["grad"], head.proj_a.weight.grad)
