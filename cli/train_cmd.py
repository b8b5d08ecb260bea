"""`ringrift-lake train`: train a model on a dataset of the lake (training/train.py; flags from
`training.settings.TrainSettings`, one per field). Torch loads only when the command runs."""
from __future__ import annotations

import argparse

from ringrift_lake.knobs import add_flags, from_namespace
from training.settings import TrainSettings


def register(sub) -> None:
    parser = sub.add_parser("train", help="train a policy/value model on a dataset and register it as a candidate",
                            description="Train a policy/value model on the newest (or given) dataset of a config.")
    add_flags(parser, TrainSettings)
    parser.set_defaults(func=_run)


def _run(args: argparse.Namespace) -> int:
    from training.train import run_and_report

    return run_and_report(from_namespace(TrainSettings, args))
