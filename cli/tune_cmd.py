"""`ringrift-lake tune`: tune a network's raw policy against built-in opponents by policy gradient
(training/tune/run.py; flags from `training.tune.settings.TuneSettings`, one per field)."""
from __future__ import annotations

import argparse

from ringrift_lake.knobs import add_flags, from_namespace
from training.tune.settings import TuneSettings


def register(sub) -> None:
    parser = sub.add_parser("tune", help="tune a network's raw policy against built-in opponents (policy gradient)",
                            description="Play a network's sampled policy against built-in agents and train it on "
                                        "the outcomes (PPO, value baseline); register the result as a candidate.")
    add_flags(parser, TuneSettings)
    parser.set_defaults(func=_run)


def _run(args: argparse.Namespace) -> int:
    from training.tune.run import run_and_report

    return run_and_report(from_namespace(TuneSettings, args))
