"""``mmx fit|validate|test|predict``: Lightning's CLI over mmx systems.

The YAML picks a system (``model.class_path``) and a data module
(``data.class_path``); inside them components are chosen by registry name. The
trainer section is Lightning's own, so strategies (``ddp``, ``fsdp``), devices and
nodes are configuration, not code.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

SUBCOMMANDS = ("fit", "validate", "test", "predict")


def run(argv: Sequence[str]) -> int:
    """Run one LightningCLI subcommand; ``argv`` starts with the subcommand."""
    import importlib
    import warnings

    from mmx.deps import require

    command = f'`mmx {argv[0] if argv else "fit"}`'
    pl = require("lightning.pytorch", command)
    LightningCLI = require("lightning.pytorch.cli", command).LightningCLI

    from mmx.systems.base import MmxSystem, system_modules

    # importing them makes LightningCLI know the subclasses (short class_path names work)
    for module in system_modules():
        importlib.import_module(module)

    # a 2-core CPU run has no use for more workers; the hint is noise in every log
    warnings.filterwarnings("ignore", message=".*does not have many workers.*")
    warnings.filterwarnings("ignore", message=".*GPU available but not used.*")
    # mmx passes its own argv on purpose (`mmx fit ...` is the command line)
    warnings.filterwarnings("ignore", message=".*LightningCLI's args parameter is intended.*")
    warnings.filterwarnings("ignore", message=".*isinstance\\(treespec, LeafSpec\\).*")
    _check_ckpt_path(argv)
    # Under `--trainer.strategy ddp` Lightning makes a gloo process group. torch._dynamo,
    # imported once the group exists (Lightning and functional collectives import it), keeps
    # references to the group, so its worker threads outlive it into interpreter shutdown, where
    # one may abort the process after a finished fit ("terminate called without an active
    # exception", SIGABRT; pytorch/pytorch#190489, seen under load; tests/heads/test_contrastive_ddp.py).
    # Importing it first and destroying the group on the way out lets the threads end in time.
    import torch._dynamo  # noqa: F401

    try:
        LightningCLI(
            MmxSystem,
            pl.LightningDataModule,
            subclass_mode_model=True,
            subclass_mode_data=True,
            args=list(argv),
            save_config_kwargs={"overwrite": True},
            parser_kwargs={"prog": "mmx", "default_env": False},
            seed_everything_default=0,
        )
    except Exception as exc:
        # jsonargparse wraps errors raised while building the model (an unknown
        # registry name, a bad option value) in its own ValueError; show ours
        found = _mmx_error(exc)
        if found is None:
            raise
        raise found from None
    finally:
        _close_process_group()
    return 0


def _close_process_group() -> None:
    """Destroy the process group a distributed run made (see the comment in :func:`run`)."""
    import torch.distributed as dist

    if dist.is_available() and dist.is_initialized():
        dist.destroy_process_group()


def _mmx_error(exc: BaseException) -> BaseException | None:
    """The first MmxError in an exception's cause/context chain, if any."""
    from mmx.errors import MmxError

    seen = set()
    while exc is not None and id(exc) not in seen:
        if isinstance(exc, MmxError):
            return exc
        seen.add(id(exc))
        exc = exc.__cause__ or exc.__context__
    return None


def _check_ckpt_path(argv: Sequence[str]) -> None:
    """Fail in one line on a --ckpt_path that is missing or not a checkpoint (Lightning
    would otherwise unpickle it deep inside its CLI and show a traceback)."""
    import os

    import torch

    from mmx.errors import InputError, first_line

    argv = list(argv)
    paths = [argv[i + 1] for i, a in enumerate(argv[:-1]) if a == "--ckpt_path"]
    paths += [a.split("=", 1)[1] for a in argv if a.startswith("--ckpt_path=")]
    for path in paths:
        if path in ("best", "last", "hpc", "registry") or path.startswith("registry:"):
            continue  # Lightning's own names for checkpoints it tracks
        if os.path.isdir(path):
            raise InputError(_folder_advice(path))
        if not os.path.isfile(path):
            raise InputError(f"--ckpt_path {path}: no such file")
        try:
            # memory-mapped: only the keys are looked at here; Lightning reads the file for real
            ckpt = torch.load(path, map_location="cpu", weights_only=True, mmap=True)
        except Exception as exc:
            reason = first_line(exc, 160)
            raise InputError(f"--ckpt_path {path}: not a readable checkpoint ({reason})") from None
        if not isinstance(ckpt, dict) or "state_dict" not in ckpt:
            raise InputError(f"--ckpt_path {path}: not a Lightning checkpoint (no state_dict)")


def _folder_advice(path: str) -> str:
    """What a folder given as --ckpt_path is, and the file to pass instead."""
    import glob
    import os

    from mmx.systems.base import EXPORT_CONFIG, EXPORT_WEIGHTS

    ckpts = sorted(glob.glob(os.path.join(path, "*.ckpt")) + glob.glob(os.path.join(path, "checkpoints", "*.ckpt")))
    if ckpts:
        return (f"--ckpt_path {path}: a folder, not a checkpoint; pass one of its checkpoint files, "
                f"e.g. --ckpt_path {ckpts[-1]}")
    if os.path.isfile(os.path.join(path, EXPORT_CONFIG)) and os.path.isfile(os.path.join(path, EXPORT_WEIGHTS)):
        return (f"--ckpt_path {path}: an exported model folder ({EXPORT_WEIGHTS} + {EXPORT_CONFIG}), not a "
                f"Lightning checkpoint; pass a .ckpt file written by `mmx fit` (under its run folder's "
                f"checkpoints/), or load this folder in Python with mmx.systems.load_system({path!r})")
    return f"--ckpt_path {path}: a folder, not a checkpoint; pass a .ckpt file written by `mmx fit`"


if __name__ == "__main__":  # pragma: no cover
    sys.exit(run(sys.argv[1:]))
