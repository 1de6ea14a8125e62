"""Loading pretrained models from the Hugging Face hub or a local folder, offline-first.

The bottom of the house for everything with pretrained weights (encoders, heads,
training systems, model adapters): ``hf:ORG/NAME`` or a local folder becomes a
:class:`ModelSource` (:func:`locate_model`), a model that is neither cached nor
reachable fails at once with one error saying how to pass a local path
(:meth:`ModelSource.offline_error`), :func:`from_pretrained` loads with the right
offline flag, :class:`HfArgs` holds the ``--model-args`` every transformers model
takes (devices, dtypes), and :func:`set_pixel_budget` applies ``min_pixels`` /
``max_pixels`` to an image processor.

Nothing here imports torch or transformers at module level, so that ``mmx list``
and the torch-free adapters stay fast and work without the ``hf`` extra.
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from mmx.deps import require
from mmx.errors import InputError, first_line
from mmx.options import Count

__all__ = [
    "DTYPES",
    "HfArgs",
    "ModelSource",
    "cached_commit",
    "from_pretrained",
    "hub_offline",
    "import_transformers",
    "locate_model",
    "positive_int",
    "probe_hub",
    "quiet_logging",
    "resolve_device",
    "resolve_dtype",
    "set_pixel_budget",
]

DTYPES = ("auto", "float32", "bfloat16", "float16")
_DEVICE_RE = re.compile(r"^(auto|cpu|mps|cuda(:\d+)?)$")


def import_transformers() -> Any:
    """The transformers module, or a :class:`MissingDependencyError` saying how to get it."""
    return require("transformers", "a Hugging Face model")


@dataclass
class HfArgs:
    """The ``--model-args`` every transformers adapter accepts."""

    dtype: str = "auto"
    device: str = "auto"
    batch_size: Count = 1
    max_new_tokens: Count = 16
    attn_implementation: str | None = None
    trust_remote_code: bool = False
    revision: str | None = None

    @classmethod
    def parse(cls, owner: str, kwargs: dict[str, Any]) -> HfArgs:
        """Validate ``kwargs``; unknown names raise an :class:`InputError` listing the accepted ones
        (adapters taking these as ``**kwargs`` name this class in ``kwargs_options``, so that
        :func:`mmx.options.bind_options` lists and converts them before this runs)."""
        accepted = list(cls.__dataclass_fields__)
        unknown = sorted(set(kwargs) - set(accepted))
        if unknown:
            raise InputError(
                f"{owner}: unknown model argument(s) {', '.join(unknown)}; "
                f"accepted: {', '.join(accepted)}"
            )
        args = cls(**kwargs)
        args.dtype = str(args.dtype).lower()
        if args.dtype not in DTYPES:
            raise InputError(f"{owner}: dtype={args.dtype} is not one of {', '.join(DTYPES)}")
        args.device = str(args.device).lower()
        if not _DEVICE_RE.match(args.device):
            raise InputError(f"{owner}: device={args.device} is not auto, cpu, cuda or cuda:N")
        args.batch_size = positive_int(owner, "batch_size", args.batch_size)
        args.max_new_tokens = positive_int(owner, "max_new_tokens", args.max_new_tokens)
        if not isinstance(args.trust_remote_code, bool):
            raise InputError(f"{owner}: trust_remote_code must be true or false")
        if args.revision is not None:
            args.revision = str(args.revision)
        if args.attn_implementation is not None:
            args.attn_implementation = str(args.attn_implementation)
        return args

    def describe(self) -> dict[str, Any]:
        out: dict[str, Any] = {"batch_size": self.batch_size, "max_new_tokens": self.max_new_tokens}
        for key in ("attn_implementation", "revision"):
            if getattr(self, key) is not None:
                out[key] = getattr(self, key)
        if self.trust_remote_code:
            out["trust_remote_code"] = True
        return out


def positive_int(owner: str, key: str, value: Any) -> int:
    """``value`` if it is a positive int (not a bool); else an :class:`InputError` naming ``key``."""
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise InputError(f"{owner}: {key} must be a positive integer, not {value!r}")
    return value


def resolve_device(device: str) -> Any:
    """``auto`` -> ``cuda`` when torch sees a GPU (under torchrun, this process's
    ``cuda:LOCAL_RANK``), else ``cpu``."""
    import torch

    if device == "auto":
        if not torch.cuda.is_available():
            return torch.device("cpu")
        if "LOCAL_RANK" in os.environ:  # torchrun: one GPU per process (mmx eval shards by rank)
            return torch.device(f"cuda:{int(os.environ['LOCAL_RANK']) % torch.cuda.device_count()}")
        return torch.device("cuda")
    if device.startswith("cuda") and not torch.cuda.is_available():
        raise InputError(f"device={device} but torch sees no CUDA device (use device=cpu)")
    return torch.device(device)


def resolve_dtype(dtype: str, device: Any) -> Any:
    """``auto`` -> bfloat16 on a GPU that has it, float16 on other GPUs, float32 on CPU."""
    import torch

    if dtype != "auto":
        return getattr(torch, dtype)
    if device.type == "cuda":
        return torch.bfloat16 if torch.cuda.is_bf16_supported() else torch.float16
    return torch.float32


@contextmanager
def quiet_logging() -> Iterator[None]:
    """Silence every logger while a library loads weights whose failure mmx reports itself in
    one line: open_clip logs ``ERROR:root: Failed to download ...`` before it raises (and, on a
    root logger without handlers, installs one for good), and the hub logs each retry. Logging
    is as it was afterwards. The switch is process-wide, so it is meant for loading at start-up."""
    root = logging.getLogger()
    guard = logging.NullHandler()  # logging.error() on a handler-less root would call basicConfig()
    root.addHandler(guard)
    previous = logging.root.manager.disable
    logging.disable(logging.CRITICAL)
    try:
        yield
    finally:
        logging.disable(previous)
        root.removeHandler(guard)


def _env_true(name: str) -> bool:
    return os.environ.get(name, "").strip().upper() in ("1", "ON", "YES", "TRUE")


def hub_offline() -> bool:
    """HF_HUB_OFFLINE / TRANSFORMERS_OFFLINE, read now (huggingface_hub reads them at import)."""
    if _env_true("HF_HUB_OFFLINE") or _env_true("TRANSFORMERS_OFFLINE"):
        return True
    try:
        from huggingface_hub import constants
    except ImportError:
        return False
    return bool(constants.HF_HUB_OFFLINE)


@dataclass
class ModelSource:
    """Where a model comes from: a local folder or a hub repository, and how to load it."""

    #: what the user wrote (``hf:ORG/NAME`` or a path)
    spec: str
    #: what ``from_pretrained`` gets (``ORG/NAME`` or an absolute folder)
    path: str
    is_local: bool
    local_files_only: bool
    #: the option the user wrote it in (``--model``, ``--model-args model=``), named in errors
    option: str = "--model"

    @property
    def _opt(self) -> str:
        return self.option if self.option.endswith("=") else self.option + " "

    def offline_error(self) -> InputError:
        """The one error for a hub model that is neither cached nor reachable: how to pass a local path."""
        repo = self.path
        return InputError(
            f"could not load the model {repo!r} offline: it is not in the local Hugging Face cache "
            f"and the hub cannot be reached. On a machine with hub access run "
            f"`hf download {repo} --local-dir DIR` (older huggingface_hub: `huggingface-cli download "
            f"{repo} --local-dir DIR`), copy DIR to this machine and pass the local path: {self._opt}DIR"
        )

    def load_error(self, what: str, exc: BaseException) -> InputError:
        """One message for a failed ``from_pretrained`` of ``what`` (model, processor, tokenizer)."""
        if not self.is_local and self.local_files_only and isinstance(exc, OSError):
            return self.offline_error()
        cause = first_line(exc)
        hint = ""
        if "trust_remote_code" in str(exc):
            hint = " (if you trust the model's code, pass --model-args trust_remote_code=true)"
        elif "Unrecognized configuration class" in str(exc) and "ImageTextToText" in str(exc):
            hint = " (a text-only model? use --model text-only --model-args model=...)"
        return InputError(f"could not load the {what} from {self.spec!r}: {cause}{hint}")


def locate_model(
    spec: str, revision: str | None = None, option: str = "--model", marker: str = "config.json"
) -> ModelSource:
    """Turn ``hf:ORG/NAME`` or a local folder into a :class:`ModelSource`, failing early and
    clearly when it cannot be loaded: a missing folder, or a hub model that is neither
    cached nor reachable (a quick probe instead of minutes of download retries). Errors
    name ``option``, where the user wrote ``spec`` (``--model``, ``--model-args model=``).
    ``marker`` is the file that makes a folder (or a cached hub snapshot) a model:
    ``config.json`` for transformers, ``model_index.json`` for a diffusers pipeline."""
    opt = option if option.endswith("=") else option + " "
    if spec.startswith("hf:"):
        repo = spec[3:].strip().strip("/")
        if not repo or repo.count("/") > 1 or " " in repo:
            raise InputError(
                f"{opt}{spec}: write hf:ORG/NAME, e.g. hf:Qwen/Qwen2.5-VL-3B-Instruct"
            )
        source = ModelSource(spec, repo, is_local=False, local_files_only=True, option=option)
        if hub_offline():
            return source
        problem = probe_hub(source, revision)
        if problem is None:
            source.local_files_only = False
        elif cached_commit(repo, revision, marker) is None:
            raise problem
        return source
    path = os.path.abspath(os.path.expanduser(spec))
    if not os.path.exists(path):
        raise InputError(
            f"{opt}{spec}: no such local model folder {path} "
            f"(for a Hugging Face hub model write {opt}hf:ORG/NAME)"
        )
    if not os.path.isdir(path) or not os.path.isfile(os.path.join(path, marker)):
        why = "a file, not a folder" if not os.path.isdir(path) else f"a folder without {marker}"
        raise InputError(
            f"{opt}{spec}: {path} is {why}; pass the model folder that `save_pretrained` "
            f"or `hf download ORG/NAME --local-dir DIR` wrote"
        )
    return ModelSource(spec, path, is_local=True, local_files_only=True, option=option)


def cached_commit(repo: str, revision: str | None = None, marker: str = "config.json") -> str | None:
    """The commit of the cached snapshot holding the repository's ``marker`` file, if any."""
    from huggingface_hub import try_to_load_from_cache

    found = try_to_load_from_cache(repo, marker, revision=revision)
    # the cache keeps files under .../snapshots/<commit>/config.json
    return os.path.basename(os.path.dirname(found)) if isinstance(found, str) else None


def probe_hub(source: ModelSource, revision: str | None = None) -> InputError | None:
    """None when the hub answers for the repository; else the error to raise if it is not cached."""
    from huggingface_hub import HfApi
    from huggingface_hub.errors import (
        HfHubHTTPError,
        RepositoryNotFoundError,
        RevisionNotFoundError,
    )

    try:
        HfApi().model_info(source.path, revision=revision, timeout=10)
    except RepositoryNotFoundError:
        return InputError(
            f"--model {source.spec}: the hub has no model {source.path!r} "
            f"(private or gated? log in with `hf auth login`)"
        )
    except RevisionNotFoundError:
        return InputError(f"--model {source.spec}: the hub has no revision {revision!r}")
    except HfHubHTTPError:
        return None  # the hub answered; let from_pretrained report what it can
    except Exception:  # connection refused, DNS, timeouts, proxies: the hub is unreachable
        return source.offline_error()
    return None


def from_pretrained(
    loader: Any, source: ModelSource, args: HfArgs, what: str, **kwargs: Any
) -> Any:
    """``loader.from_pretrained`` with the source's offline flag and revision, errors as one message."""
    try:
        return loader.from_pretrained(
            source.path,
            revision=args.revision,
            trust_remote_code=args.trust_remote_code,
            local_files_only=source.local_files_only,
            **kwargs,
        )
    except (OSError, ValueError, KeyError) as exc:
        raise source.load_error(what, exc) from exc


def _declares_pixel_budget(image_processor: Any) -> bool:
    """Whether the processor's ``size`` is a pixel budget (Qwen2-VL's ``shortest_edge`` /
    ``longest_edge`` counted in pixels), not edge lengths (CLIP's ``shortest_edge: 336``)."""
    valid = getattr(getattr(image_processor, "valid_kwargs", None), "__annotations__", {})
    return "max_pixels" in valid or hasattr(image_processor, "max_pixels")


def set_pixel_budget(
    processor: Any,
    min_pixels: int | None = None,
    max_pixels: int | None = None,
    *,
    owner: str = "--model-args",
) -> tuple[dict[str, int], str | None]:
    """Apply ``min_pixels`` / ``max_pixels`` (pixels per image) to ``processor``'s image processor.

    The rule: only an image processor that declares a pixel budget (``min_pixels`` /
    ``max_pixels`` among its accepted kwargs or attributes, as Qwen2-VL's and its
    successors') gets it, written into ``size`` as ``shortest_edge`` / ``longest_edge``
    (what transformers 5 reads) and into the ``min_pixels`` / ``max_pixels`` attributes
    where they exist (what transformers 4 reads). Any other processor keeps its own
    sizing. ``processor`` may be a multimodal processor or the image processor itself.

    Returns ``(applied, note)``: the values set (``{"min_pixels": ..., "max_pixels": ...}``,
    empty when none) and, when values were asked for but ignored, a one-line note for
    the caller to show. Raises :class:`InputError` (prefixed with ``owner``) for a value
    that is not a positive integer or a ``min_pixels`` above ``max_pixels``.
    """
    wanted = {
        key: positive_int(owner, key, value)
        for key, value in (("min_pixels", min_pixels), ("max_pixels", max_pixels))
        if value is not None
    }
    if not wanted:
        return {}, None
    image_processor = getattr(processor, "image_processor", processor)
    if image_processor is None or not _declares_pixel_budget(image_processor):
        return {}, (
            f"{owner}: {' / '.join(wanted)} ignored: "
            f"{type(image_processor).__name__} has no pixel budget"
        )
    # Set on the processor, not passed to from_pretrained or to each call: transformers 5
    # copies from_pretrained kwargs into the tokenizer's defaults and then warns on every
    # call that per-call min/max_pixels are deprecated.
    size = dict(getattr(image_processor, "size", None) or {})
    if "min_pixels" in wanted:
        size["shortest_edge"] = wanted["min_pixels"]
    if "max_pixels" in wanted:
        size["longest_edge"] = wanted["max_pixels"]
    if size.get("shortest_edge", 0) > size.get("longest_edge", float("inf")):
        raise InputError(
            f"{owner}: min_pixels ({size['shortest_edge']}) is larger than "
            f"max_pixels ({size['longest_edge']})"
        )
    size_type = type(image_processor.size) if getattr(image_processor, "size", None) else dict
    image_processor.size = size_type(**{k: v for k, v in size.items() if v is not None})
    for key, value in wanted.items():
        if hasattr(image_processor, key):
            setattr(image_processor, key, value)
    return wanted, None
