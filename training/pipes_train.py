"""Training as a Dagster Pipes process: `python -m training.pipes_train [train flags]`.

Launched by the Dagster asset through `PipesSubprocessClient`. The flags are
those of `ringrift-lake train`; the asset may instead (or also) pass them as
extras, one key per flag (`{"config": "square8_2p", "batch_size": 512}`), or
as a list `extras["train_args"]`; with no config at all the partition key is
used. Runs the same `training.train.run`,
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


def _argv(pipes, argv: list[str], known_flags: set[str]) -> list[str]:
    """The command-line flags, then `extras["train_args"]`, then one flag per other extra
    (`{"batch_size": 512}` -> `--batch-size 512`; None and False are left out; flags already given win)."""
    extras = dict(pipes.extras or {})
    argv = list(argv) + [str(a) for a in extras.pop("train_args", None) or []]
    for key, value in extras.items():
        flag = "--" + key.replace("_", "-")
        if flag not in known_flags:
            raise ValueError(f"Pipes extra {key!r} is not a train flag")
        if value is None or value is False or flag in argv:
            continue
        argv += [flag] if value is True else [flag, str(value)]
    if "--config" not in argv:
        if not pipes.is_partition_step:
            raise ValueError("no --config flag, extras['config'] or partition key to train")
        argv += ["--config", pipes.partition_key]
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
        known = {flag for action in parser._actions for flag in action.option_strings}
        args = parser.parse_args(_argv(pipes, sys.argv[1:] if argv is None else argv, known))
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
