"""``mmx eval`` under ``torchrun``: who this process is, and waiting for the others.

torchrun (torch.distributed's launcher) starts the processes and sets ``RANK``,
``WORLD_SIZE`` and ``LOCAL_RANK``; the runner shards samples by rank, each rank writes
its own part, and rank 0 merges. Barriers go through ``torch.distributed`` (gloo, which
runs on every machine and needs no GPU), so mmx keeps no process pool of its own. A
single process never imports torch for this.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import timedelta

from mmx.errors import InputError


@dataclass(frozen=True)
class Dist:
    """This process's place in a torchrun job (rank 0 of 1 when run alone)."""

    rank: int = 0
    world: int = 1
    local_rank: int = 0

    @property
    def main(self) -> bool:
        return self.rank == 0

    @classmethod
    def from_env(cls) -> Dist:
        """Read torchrun's environment; a lone process is rank 0 of 1."""
        try:
            world = int(os.environ.get("WORLD_SIZE", "1"))
            rank = int(os.environ.get("RANK", "0"))
            local = int(os.environ.get("LOCAL_RANK", str(rank)))
        except ValueError:
            raise InputError("RANK / WORLD_SIZE / LOCAL_RANK are not integers; start mmx eval with torchrun "
                             "or unset them") from None
        if world < 1 or not 0 <= rank < world:
            raise InputError(f"RANK={rank} does not fit WORLD_SIZE={world}; start mmx eval with torchrun or unset them")
        return cls(rank, world, local)

    def init(self) -> None:
        """Join the process group (gloo) when there is more than one process."""
        if self.world == 1:
            return
        import torch.distributed as td

        if not td.is_initialized():
            # long timeout: ranks wait at the final barrier while the slowest one predicts
            td.init_process_group("gloo", rank=self.rank, world_size=self.world, timeout=timedelta(hours=12))

    def barrier(self) -> None:
        """Wait until every rank gets here (no-op alone)."""
        if self.world == 1:
            return
        import torch.distributed as td

        td.barrier()

    def close(self) -> None:
        if self.world == 1:
            return
        import torch.distributed as td

        if td.is_initialized():
            td.barrier()  # nobody leaves while another still talks to it
            td.destroy_process_group()
