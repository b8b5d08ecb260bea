"""`ringrift-lake nn-selfplay`: the champion network (or a given model) plays itself into raw_games
(see training/nn_selfplay.py).

This module only declares the arguments (ringrift_lake never imports torch); the run function
imports `training.nn_selfplay` when the command is actually run, whose own `main` builds its parser
from the same `add_arguments`, so `python -m training.nn_selfplay` takes the same flags.
"""
from __future__ import annotations

import argparse


def register(sub) -> None:
    parser = sub.add_parser("nn-selfplay", help="network selfplay: the champion model plays itself into raw_games",
                            description="Play games with a model (the config's champion by default) in every "
                                        "seat and append them to raw_games.")
    add_arguments(parser)
    parser.set_defaults(func=_run)


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--config", required=True, help="e.g. square8_2p")
    p.add_argument("--games", type=int, default=100)
    p.add_argument("--model", default="champion", help="champion | a model id | heuristic | random")
    p.add_argument("--seed", type=int, help="run seed (fixes game ids and seeds; a rerun skips committed games)")
    p.add_argument("--temperature", type=float, default=1.0, help="sampling temperature of the opening plies")
    p.add_argument("--sample-plies", type=int, default=30, help="plies sampled at --temperature; argmax after")
    p.add_argument("--batch-size", type=int, default=50, help="games per raw_games commit")
    p.add_argument("--max-moves", type=int, help="a game still running after this many moves is not written "
                                                 "(default: twice the longest plausible game of the board)")
    p.add_argument("--device", default="auto", help="auto | cpu | cuda[:k]")


def _run(args: argparse.Namespace) -> int:
    from training.nn_selfplay import run_and_report

    return run_and_report(args)
