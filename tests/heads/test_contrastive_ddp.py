"""The contrastive head under torch.distributed: two CPU processes (gloo) that each
hold half of a batch give the same loss and gradients as one process with all of it."""

from __future__ import annotations

import os
import socket

import torch
import torch.distributed as dist
import torch.multiprocessing as mp

from mmx.heads import create_head


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _batch() -> tuple[torch.Tensor, torch.Tensor]:
    g = torch.Generator().manual_seed(0)
    return torch.randn(8, 6, generator=g), torch.randn(8, 5, generator=g)


def _head():
    torch.manual_seed(0)
    return create_head("contrastive", dim_a=6, dim_b=5, embed_dim=4, temperature=0.1)


def _worker(rank: int, port: int, out: str) -> None:
    os.environ.update(MASTER_ADDR="127.0.0.1", MASTER_PORT=str(port))
    dist.init_process_group("gloo", rank=rank, world_size=2)
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


def test_gathered_loss_equals_the_global_batch(tmp_path) -> None:
    out = str(tmp_path / "ddp.pt")
    mp.start_processes(_worker, args=(_free_port(), out), nprocs=2, start_method="spawn")
    got = torch.load(out, weights_only=True)
    a, b = _batch()
    head = _head()
    loss = head(a, b)["loss"]
    loss.backward()
    torch.testing.assert_close(got["loss"], loss.detach())
    torch.testing.assert_close(got["grad"], head.proj_a.weight.grad)
