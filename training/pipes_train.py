"""Training as a Dagster Pipes process: `python -m training.pipes_train`.

Launched by the Dagster asset through `PipesSubprocessClient` with
`extras={"train_settings": to_dict(TrainSettings(...))}`: the settings cross
the process boundary as JSON, field for field (an unknown key is an error);
with no `config` the partition key is used. Runs `training.train.run`,
streams the progress lines to the Dagster log and reports the model as the
asset materialization (metadata: model id, checkpoint, dataset, losses,
accuracy, samples/s, device); `data_version` is the model id. Any failure
leaves through the Pipes context (Dagster sees the error) and exit status 1.
"""
from __future__ import annotations

import dataclasses
import sys
import traceback

from dagster_pipes import open_dagster_pipes

from ringrift_lake.knobs import from_dict
from training.settings import TrainSettings

EXTRAS_KEY = "train_settings"


def settings_from(pipes) -> TrainSettings:
    """The run's TrainSettings from the Pipes extras (config defaulting to the partition key)."""
    extras = dict(pipes.extras or {})
    settings = from_dict(TrainSettings, extras.get(EXTRAS_KEY) or {})
    if not settings.config:
        if not pipes.is_partition_step:
            raise ValueError(f"no config in extras[{EXTRAS_KEY!r}] and no partition key to train")
        settings = dataclasses.replace(settings, config=pipes.partition_key)
    return settings


def materialization_metadata(result) -> dict:
    """The model's summary as flat Dagster metadata (None values left out)."""
    summary = result.summary()
    return {k: v for k, v in summary.items() if v is not None}


def main() -> int:
    from training.train import run

    with open_dagster_pipes() as pipes:
        result = run(settings_from(pipes), log=pipes.log.info)
        pipes.report_asset_materialization(metadata=materialization_metadata(result), data_version=result.model_id)
        pipes.log.info(f"trained {result.model_id}: val loss {result.metrics['val_loss']:.4f}")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except SystemExit:
        raise
    except BaseException:   # already reported to Dagster by the Pipes context; the status must say so too
        traceback.print_exc()
        sys.exit(1)
