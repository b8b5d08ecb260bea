"""Every training knob, once: the optimisation loop's (`FitSettings`) and a whole run's (`TrainSettings`).

    python -m training.train --help        # the flags are generated from these fields
    settings = TrainSettings(config="square8_2p", epochs=2)
    to_dict(settings)                      # the JSON that crosses Dagster Pipes (training.pipes_train)

No torch here: the command line builds its parser from these classes without loading torch.
"""
from __future__ import annotations

from dataclasses import dataclass

from ringrift_lake.knobs import knob

DEFAULT_CHANNELS = 96       # the default trunk width of a new network (DESIGN.md: 96 x 6)
DEFAULT_BLOCKS = 6          # the default number of squeeze-excitation residual blocks
DEFAULT_EPOCHS = 8
AUGMENT_CHOICES = ("off", "symmetries")
DEFAULT_AUGMENT = "symmetries"  # each sample in a random symmetry of its board (docs/generations.md: better values)


@dataclass
class FitSettings:
    """The optimisation loop (training.loop.fit): AdamW, warm-up + cosine LR, early stopping."""

    epochs: int = knob(DEFAULT_EPOCHS, "passes over the training positions")
    batch_size: int = knob(256, "positions per optimizer step")
    lr: float = knob(1e-3, "peak learning rate")
    lr_min_ratio: float = knob(0.01, "final LR as a fraction of --lr")
    weight_decay: float = knob(1e-4, "AdamW weight decay")
    warmup_steps: int = knob(100, "linear warm-up steps")
    max_steps: int | None = knob(None, "stop after this many optimizer steps")
    patience: int = knob(3, "epochs without val improvement before stopping")
    min_delta: float = knob(1e-4, "smallest val-loss improvement that counts")
    value_weight: float = knob(1.0, "weight of the value MSE in the loss")
    grad_clip: float = knob(1.0, "gradient norm clip")
    seed: int = knob(0, "seed of the initial weights, the shuffling and the transfer's noise")
    device: str = knob("auto", "auto | cpu | cuda | cuda:N")
    amp: str = knob("auto", "autocast on CUDA", choices=("auto", "bf16", "fp16", "off"))
    augment: str = knob(DEFAULT_AUGMENT, "train each sample in a random symmetry of its board (rotations and "
                                         "mirrors the rules keep: 8 on square, 4 on hex8, 12 on hexagonal)",
                        choices=AUGMENT_CHOICES)
    prefetch: int = knob(4, "batches prepared ahead by the loader threads")
    loader_workers: int = knob(2, "loader threads gathering batches")


@dataclass
class TrainSettings(FitSettings):
    """A training run (training.train.run): the data, the network, the loop, the registration."""

    config: str = knob("", "e.g. square8_2p", required=True)
    dataset: str | None = knob(None, "dataset_id (default: the newest datasets row for the config)")
    shards: list[str] | None = knob(None, "train on these shard files instead of a dataset", metavar="NPZ")
    init: str | None = knob(None, "start from this model id or checkpoint path (same board)", metavar="MODEL")
    lake: str | None = knob(None, "lake root (default: $RINGRIFT_LAKE or ./lake)")
    val_fraction: float = knob(0.05, "share of games held out (by game hash)")
    channels: int | None = knob(None, f"trunk width (default {DEFAULT_CHANNELS}, or the --init model's)")
    blocks: int | None = knob(None, f"SE residual blocks (default {DEFAULT_BLOCKS}, or the --init model's)")
    model_id: str | None = knob(None, "model id to write (default: <config>-<UTC time>-<random>)")
    generation: int | None = knob(None, "generation number recorded in the models row (the generation loop sets it)")
    no_register: bool = knob(False, "write the checkpoint but no models row")
