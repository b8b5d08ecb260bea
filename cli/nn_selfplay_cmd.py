"""`ringrift-lake nn-selfplay`: the champion network (or a given model) plays itself into raw_games
(see training/nn_selfplay.py).

This module only declares the arguments (ringrift_lake never imports torch); the run function
imports `training.nn_selfplay` when the command is actually run, whose own `main` builds its parser
from the same `add_arguments`, so `python -m training.nn_selfplay` takes the same flags.
"""
from __future__ import annotations

import argparse

from training.nn_selfplay import add_arguments


def register(sub) -> None:
    parser = sub.add_parser("nn-selfplay", help="network selfplay: the champion model plays itself into raw_games",
                            description="Play games with a model (the config's champion by default) in every "
                                        "seat and append them to raw_games.")
    add_arguments(parser)
    parser.set_defaults(func=_run)


def _run(args: argparse.Namespace) -> int:
    from training.nn_selfplay import run_and_report

    return run_and_report(args)
