"""Training as a Dagster Pipes process: `python -m training.pipes_train [train flags]`.

Launched by the Dagster asset through `PipesSubprocessClient`. The flags are
those of `ringrift-lake train`; the asset may instead (or also) pass
`extras={"config": ..., "train_args": [...]}`, and with no `--config` the
partition key is used as the config. Runs the same `training.train.run`,
streams the progress lines to the Dagster log and reports the model as the
asset materialization (metadata: model id, checkpoint, dataset, losses,
accuracy, samples/s, device); `data_version` is the model id. Any failure
leaves through the Pipes context (Dagster sees the error) and exit status 1.
"""
from __future__ import annotations

import argparse
import sys
import traceback

from dagster_pipes import open_dagster_pipes

from ringrift_lake.cli.train_cmd import add_arguments


def _argv(pipes, argv: list[str]) -> list[str]:
    extras = pipes.extras or {}
    argv = list(argv) + [str(a) for a in extras.get("train_args", [])]
    if "--config" not in argv:
        config = extras.get("config") or (pipes.partition_key if pipes.is_partition_step else None)
        if not config:
            raise ValueError("no --config flag, extras['config'] or partition key to train")
        argv += ["--config", str(config)]
    return argv


def materialization_metadata(result) -> dict:
    """The model's summary as flat Dagster metadata (None values left out)."""
    summary = result.summary()
    return {k: v for k, v in summary.items() if v is not None}


def main(argv: list[str] | None = None) -> int:
    from training.train import run

    with open_dagster_pipes() as pipes:
        parser = argparse.ArgumentParser(prog="python -m training.pipes_train")
        add_arguments(parser)
        args = parser.parse_args(_argv(pipes, sys.argv[1:] if argv is None else argv))
        result = run(args, log=pipes.log.info)
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
