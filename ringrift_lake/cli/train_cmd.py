"""`ringrift-lake train`: train a model on a dataset of the lake (see training/train.py).

This module only declares the arguments (ringrift_lake never imports torch);
the run function imports `training.train` when the command is actually run.
`training.train` builds its own parser from `add_arguments` too, so
`python -m training.train` and `ringrift-lake train` take the same flags.
"""
from __future__ import annotations

import argparse


def register(sub) -> None:
    parser = sub.add_parser("train", help="train a policy/value model on a dataset and register it as a candidate",
                            description="Train a policy/value model on the newest (or given) dataset of a config.")
    add_arguments(parser)
    parser.set_defaults(func=_run)


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--config", required=True, help="e.g. square8_2p")
    p.add_argument("--dataset", help="dataset_id (default: the newest datasets row for the config)")
    p.add_argument("--shards", nargs="+", metavar="NPZ", help="train on these shard files instead of a dataset")
    p.add_argument("--init", metavar="MODEL", help="start from this model id or checkpoint path (same board)")
    p.add_argument("--lake", help="lake root (default: $RINGRIFT_LAKE or ./lake)")
    p.add_argument("--epochs", type=int, default=20)
    p.add_argument("--batch-size", type=int, default=256)
    p.add_argument("--lr", type=float, default=1e-3)
    p.add_argument("--lr-min-ratio", type=float, default=0.01, help="final LR as a fraction of --lr")
    p.add_argument("--weight-decay", type=float, default=1e-4)
    p.add_argument("--warmup-steps", type=int, default=100)
    p.add_argument("--max-steps", type=int, help="stop after this many optimizer steps")
    p.add_argument("--patience", type=int, default=3, help="epochs without val improvement before stopping")
    p.add_argument("--val-fraction", type=float, default=0.05, help="share of games held out (by game hash)")
    p.add_argument("--value-weight", type=float, default=1.0)
    p.add_argument("--grad-clip", type=float, default=1.0)
    p.add_argument("--channels", type=int, help="trunk width (default 96, or the --init model's)")
    p.add_argument("--blocks", type=int, help="SE residual blocks (default 6, or the --init model's)")
    p.add_argument("--device", default="auto", help="auto | cpu | cuda | cuda:N")
    p.add_argument("--amp", default="auto", choices=("auto", "bf16", "fp16", "off"), help="autocast on CUDA")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--prefetch", type=int, default=4, help="batches prepared ahead by the loader threads")
    p.add_argument("--loader-workers", type=int, default=2, help="loader threads gathering batches")
    p.add_argument("--model-id", help="model id to write (default: <config>-<UTC time>-<random>)")
    p.add_argument("--no-register", action="store_true", help="write the checkpoint but no models row")


def _run(args: argparse.Namespace) -> int:
    from training.train import run_and_report

    return run_and_report(args)
