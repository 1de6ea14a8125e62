"""What every mmx LightningModule shares: the optimizer recipe, checkpoints that load
with ``torch.load(weights_only=True)``, a clear error for a checkpoint of another
architecture, and a safetensors export of the trained weights."""

from __future__ import annotations

import json
import os
from typing import Any

import lightning.pytorch as pl
import torch
from lightning.pytorch.callbacks import RichProgressBar

from mmx.errors import InputError

#: what :meth:`MmxSystem.export` writes next to the Lightning checkpoints
EXPORT_WEIGHTS = "model.safetensors"
EXPORT_CONFIG = "mmx_system.json"


class MmxSystem(pl.LightningModule):
    """Base LightningModule: AdamW with linear warm-up and cosine decay, architecture
    checks on load, and a weights export at the end of ``fit``.

    Subclasses call ``self.save_hyperparameters()`` with plain (YAML) values only, so
    their checkpoints hold tensors and primitives and load with ``weights_only=True``.
    """

    #: checkpoints and exports hold only the trainable weights (e.g. LoRA adapters); the
    #: frozen base weights are reloaded from their source when the system is built
    trainable_only_checkpoints: bool = False

    def __init__(self, lr: float = 1e-3, weight_decay: float = 0.01, warmup_steps: int = 0) -> None:
        super().__init__()
        self.lr = lr
        self.weight_decay = weight_decay
        self.warmup_steps = warmup_steps

    def configure_optimizers(self) -> Any:
        params = [p for p in self.parameters() if p.requires_grad]
        if not params:
            raise InputError(f"{type(self).__name__}: nothing to train (every parameter is frozen)")
        decay = [p for p in params if p.ndim >= 2]
        no_decay = [p for p in params if p.ndim < 2]
        opt = torch.optim.AdamW(
            [{"params": decay, "weight_decay": self.weight_decay}, {"params": no_decay, "weight_decay": 0.0}],
            lr=self.lr,
        )
        total = max(int(self.trainer.estimated_stepping_batches), 1) if self._trainer is not None else 1
        warm = min(self.warmup_steps, max(total - 1, 0))

        def schedule(step: int) -> float:
            if step < warm:
                return (step + 1) / warm
            progress = (step - warm) / max(total - warm, 1)
            return 0.5 * (1.0 + torch.cos(torch.tensor(min(progress, 1.0) * torch.pi)).item())

        sched = torch.optim.lr_scheduler.LambdaLR(opt, schedule)
        return {"optimizer": opt, "lr_scheduler": {"scheduler": sched, "interval": "step"}}

    def configure_callbacks(self) -> list[pl.Callback]:
        """Lightning's default rich progress bar, titled truthfully when training is
        bounded by ``max_steps`` (Lightning's own title reads "Epoch 0/-2" then)."""
        bar = self._trainer.progress_bar_callback if self._trainer is not None else None
        if type(bar) is not RichProgressBar:  # none, tqdm, or one the user configured
            return []
        # Lightning replaces its bar with this subclass (a model callback wins over the
        # trainer's of a parent type); the bar's own settings carry over
        return [StepsProgressBar(refresh_rate=int(bar.refresh_rate), leave=getattr(bar, "_leave", False),
                                 theme=bar.theme, console_kwargs=getattr(bar, "_console_kwargs", None))]

    # -- checkpoints -----------------------------------------------------
    def on_save_checkpoint(self, checkpoint: dict[str, Any]) -> None:
        checkpoint["mmx_system"] = f"{type(self).__module__}.{type(self).__qualname__}"
        if self.trainable_only_checkpoints:
            checkpoint["state_dict"] = self._saved_state(checkpoint["state_dict"])
            checkpoint["mmx_trainable_only"] = True

    def on_load_checkpoint(self, checkpoint: dict[str, Any]) -> None:
        partial = bool(checkpoint.get("mmx_trainable_only"))
        check_architecture(self, checkpoint.get("state_dict", {}), checkpoint.get("mmx_system"), "checkpoint", partial)
        # Lightning loads the state after this hook; a trainable-only state leaves the
        # frozen base weights as they were loaded from their source
        self.strict_loading = not partial

    def _saved_state(self, state: dict[str, Any]) -> dict[str, Any]:
        keep = {n for n, p in self.named_parameters() if p.requires_grad}
        return {k: v for k, v in state.items() if k in keep}

    def on_fit_end(self) -> None:
        log_dir = self.trainer.log_dir  # a collective under DDP: every rank must ask
        if self.trainer.is_global_zero and log_dir:
            self.export(log_dir)

    # -- predict: `mmx predict` keeps what it predicts --------------------
    def on_predict_epoch_start(self) -> None:
        self._predict_rows: list[dict[str, Any]] = []

    def on_predict_batch_end(self, outputs: Any, batch: Any, batch_idx: int, dataloader_idx: int = 0) -> None:
        """A ``predict_step`` that returns a list of dicts has them written to
        ``predictions.jsonl`` in the run folder at the end of the epoch."""
        if isinstance(outputs, list):
            self._predict_rows.extend(row for row in outputs if isinstance(row, dict))

    def on_predict_epoch_end(self) -> None:
        self.write_rows("predictions", self._predict_rows)

    def write_rows(self, name: str, rows: list[dict[str, Any]]) -> str | None:
        """Write ``rows`` as JSON lines into the run folder (``name.jsonl``; under DDP one
        ``name.rankN.jsonl`` per rank, each with its share). Every rank must call it."""
        log_dir = self.trainer.log_dir  # a collective under DDP
        if not log_dir:
            return None
        os.makedirs(log_dir, exist_ok=True)
        suffix = "" if self.trainer.world_size == 1 else f".rank{self.trainer.global_rank}"
        path = os.path.join(log_dir, f"{name}{suffix}.jsonl")
        with open(path, "w", encoding="utf-8") as f:
            for row in rows:
                f.write(json.dumps(row, ensure_ascii=False) + "\n")
        return path

    def export(self, folder: str) -> str:
        """Write the trainable state as safetensors plus the hyper-parameters as JSON;
        :func:`load_system` reads them back. Returns the weights file's path."""
        from safetensors.torch import save_file

        os.makedirs(folder, exist_ok=True)
        state = self.state_dict()
        if self.trainable_only_checkpoints:
            state = self._saved_state(state)
        state = {k: v.detach().cpu().contiguous() for k, v in state.items()}
        # tied weights share storage; safetensors wants each tensor once
        seen: dict[int, str] = {}
        for k in list(state):
            ptr = state[k].data_ptr()
            if ptr in seen and state[k].numel():
                state[k] = state[k].clone()
            seen[ptr] = k
        path = os.path.join(folder, EXPORT_WEIGHTS)
        save_file(state, path)
        meta = {
            "system": f"{type(self).__module__}.{type(self).__qualname__}",
            "hparams": _plain(dict(self.hparams)),
            "trainable_only": self.trainable_only_checkpoints,
        }
        with open(os.path.join(folder, EXPORT_CONFIG), "w", encoding="utf-8") as f:
            json.dump(meta, f, indent=2, ensure_ascii=False)
        return path


class StepsProgressBar(RichProgressBar):
    """Lightning's ``RichProgressBar`` whose training title names the step training
    stops at when ``max_steps`` bounds it: "Epoch 3 (to step 2400)", where Lightning
    writes "Epoch 3/-2" (max_epochs is -1 then)."""

    def _get_train_description(self, current_epoch: int) -> str:
        trainer = self.trainer
        if trainer.max_epochs is not None and trainer.max_epochs >= 0:
            return super()._get_train_description(current_epoch)
        title = f"Epoch {current_epoch}"
        if trainer.max_steps is not None and trainer.max_steps > 0:
            title += f" (to step {trainer.max_steps})"
        # as Lightning does: as wide as the validation title, so the bars do not jump
        return f"{title:{len(self.validation_description)}}"


def check_architecture(
    module: torch.nn.Module, state: dict[str, Any], saved_system: str | None, what: str, partial: bool = False
) -> None:
    """Raise one clear :class:`InputError` when ``state`` does not fit ``module``. With
    ``partial`` (a trainable-only checkpoint) only the trainable weights must be there."""
    mine = f"{type(module).__module__}.{type(module).__qualname__}"
    if saved_system and saved_system != mine:
        raise InputError(f"the {what} was saved by {saved_system}, not {mine}; use the config it was trained with")
    own = module.state_dict()
    needed = {n for n, p in module.named_parameters() if p.requires_grad} if partial else set(own)
    missing = sorted(needed - set(state))
    unexpected = sorted(set(state) - set(own))
    wrong = sorted(k for k in set(own) & set(state) if tuple(own[k].shape) != tuple(state[k].shape))
    if missing or unexpected or wrong:
        parts = []
        if wrong:
            k = wrong[0]
            parts.append(f"{len(wrong)} {'tensor' if len(wrong) == 1 else 'tensors'} of another shape (e.g. {k}: {tuple(state[k].shape)} saved, {tuple(own[k].shape)} here)")
        if missing:
            parts.append(f"{len(missing)} missing (e.g. {missing[0]})")
        if unexpected:
            parts.append(f"{len(unexpected)} unexpected (e.g. {unexpected[0]})")
        raise InputError(
            f"the {what} is from another architecture: {'; '.join(parts)}. "
            "Load it with the config (model section) it was trained with"
        )


def system_modules() -> tuple[str, ...]:
    """Modules holding the registered LightningModules and DataModules (``mmx.registry.systems``
    and ``data_modules``): what ``mmx fit`` imports, and where a checkpoint's system may live."""
    from mmx.registry import data_modules, systems

    paths = [reg.target(n) for reg in (systems, data_modules) for n in reg.names()]
    return tuple(dict.fromkeys(p.partition(":")[0] for p in paths))


def component_spec(kind: str, spec: Any) -> tuple[str, dict[str, Any]]:
    """A config's ``model.<kind>`` (``encoder``, ``head``): a registry name, or a mapping with
    ``name`` and that component's keyword arguments -> ``(name, kwargs)``."""
    if isinstance(spec, str):
        return spec, {}
    if not isinstance(spec, dict) or "name" not in spec:
        raise InputError(f"model.{kind} must be a registry name or a mapping with 'name' (got {spec!r})")
    cfg = dict(spec)
    return str(cfg.pop("name")), cfg


def registered_systems() -> dict[str, type[MmxSystem]]:
    """The training systems a checkpoint or an exported folder may name, by the name
    they are saved under (``module.Class``): the systems of ``mmx.registry.systems``."""
    from mmx.registry import systems

    found: dict[str, type[MmxSystem]] = {}
    for name in systems.names():
        cls = systems.get(name)
        found[f"{cls.__module__}.{cls.__qualname__}"] = cls
    return found


def load_system(path: str, map_location: str = "cpu") -> MmxSystem:
    """Load a trained system from a Lightning ``.ckpt`` (read with ``weights_only=True``) or
    from an exported folder (``model.safetensors`` + ``mmx_system.json``).

    The system the file names must be one of :func:`registered_systems`: a downloaded
    folder names a class, and only mmx's own training systems are imported and built
    from it, never an arbitrary module."""
    if not os.path.exists(path):
        raise InputError(f"no such checkpoint: {path}")
    if os.path.isdir(path):
        cfg_path, weights = os.path.join(path, EXPORT_CONFIG), os.path.join(path, EXPORT_WEIGHTS)
        if not (os.path.isfile(cfg_path) and os.path.isfile(weights)):
            raise InputError(f"{path}: expected {EXPORT_CONFIG} and {EXPORT_WEIGHTS} (written at the end of `mmx fit`)")
        try:
            with open(cfg_path, encoding="utf-8") as f:
                meta = json.load(f)
        except (OSError, ValueError) as exc:
            raise InputError(f"{cfg_path}: not readable JSON ({str(exc).splitlines()[0][:160]})") from None
        if not isinstance(meta, dict):
            raise InputError(f"{cfg_path}: expected a JSON object with 'system' and 'hparams'")
        system_name, hparams = meta.get("system"), meta.get("hparams", {})
        partial = bool(meta.get("trainable_only"))
        # the system is checked before the weights are read: a folder naming anything
        # else is refused without touching its other files
        cls = _system_class(system_name, path)
        from safetensors.torch import load_file

        state = load_file(weights, device=map_location)
    else:
        try:
            ckpt = torch.load(path, map_location=map_location, weights_only=True)
        except Exception as exc:  # pickle errors, truncated files: one message
            raise InputError(f"{path}: not a readable checkpoint ({str(exc).splitlines()[0][:200]})") from None
        if not isinstance(ckpt, dict) or "state_dict" not in ckpt:
            raise InputError(f"{path}: not a Lightning checkpoint (no state_dict)")
        state, system_name, hparams = ckpt["state_dict"], ckpt.get("mmx_system"), ckpt.get("hyper_parameters", {})
        partial = bool(ckpt.get("mmx_trainable_only"))
        cls = _system_class(system_name, path)
    if not isinstance(hparams, dict):
        raise InputError(f"{path}: the saved hyper-parameters are not a mapping")
    system = cls(**{k: v for k, v in hparams.items() if not str(k).startswith("_")})
    check_architecture(system, state, system_name, "checkpoint", partial)
    system.load_state_dict(state, strict=not partial)
    return system.eval()


def _system_class(system_name: Any, path: str) -> type[MmxSystem]:
    """The registered system ``system_name`` names, or one InputError; nothing outside
    ``registered_systems()`` is imported."""
    if not system_name or not isinstance(system_name, str):
        raise InputError(f"{path}: the checkpoint does not say which mmx system wrote it")
    known = registered_systems()
    cls = known.get(system_name)
    if cls is None:
        raise InputError(
            f"{path}: names the system {system_name!r}, which is not a registered mmx training system "
            f"(known: {', '.join(sorted(known))}); load only checkpoints written by `mmx fit`"
        )
    return cls


def _plain(value: Any) -> Any:
    """Hyper-parameters as JSON values (jsonargparse may hand over Namespaces)."""
    if isinstance(value, dict) or hasattr(value, "items"):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    return str(value)
