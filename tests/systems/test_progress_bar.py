"""Training bounded by max_steps shows a true title on Lightning's rich progress bar."""

from __future__ import annotations

import lightning.pytorch as pl
import torch
from torch.utils.data import DataLoader, TensorDataset

from mmx.systems.base import MmxSystem, StepsProgressBar


class _Tiny(MmxSystem):
    def __init__(self) -> None:
        super().__init__(lr=0.01)
        self.layer = torch.nn.Linear(3, 1)

    def training_step(self, batch, batch_idx):
        x, y = batch
        return torch.nn.functional.mse_loss(self.layer(x), y)


class _Titles(pl.Callback):
    """Reads the training bar's title while it is shown."""

    def __init__(self) -> None:
        self.titles: list[str] = []

    def on_train_batch_end(self, trainer, *args) -> None:
        bar = trainer.progress_bar_callback
        if bar is not None and bar.progress is not None and bar.train_progress_bar_id is not None:
            self.titles.append(bar.progress.tasks[bar.train_progress_bar_id].description)


def _fit(tmp_path, **trainer_args) -> tuple[pl.Trainer, list[str]]:
    g = torch.Generator().manual_seed(0)
    data = DataLoader(TensorDataset(torch.randn(8, 3, generator=g), torch.randn(8, 1, generator=g)), batch_size=2)
    titles = _Titles()
    trainer = pl.Trainer(accelerator="cpu", logger=False, enable_checkpointing=False, enable_model_summary=False,
                         default_root_dir=str(tmp_path), callbacks=[titles], **trainer_args)
    trainer.fit(_Tiny(), data)
    return trainer, titles.titles


def test_max_steps_title_names_the_last_step(tmp_path) -> None:
    trainer, titles = _fit(tmp_path, max_steps=6)  # 4 batches an epoch: epochs 0 and 1
    assert isinstance(trainer.progress_bar_callback, StepsProgressBar)
    assert titles and not any("/-" in t for t in titles), titles
    assert {t.strip() for t in titles} == {"Epoch 0 (to step 6)", "Epoch 1 (to step 6)"}


def test_max_epochs_title_is_lightnings(tmp_path) -> None:
    _, titles = _fit(tmp_path, max_epochs=2)
    assert {t.strip() for t in titles} == {"Epoch 0/1", "Epoch 1/1"}


def test_no_bar_when_disabled(tmp_path) -> None:
    trainer, titles = _fit(tmp_path, max_steps=2, enable_progress_bar=False)
    assert trainer.progress_bar_callback is None and not titles
