"""The `ringrift-lake` command line.

Each subcommand lives in its own module of this package and exposes
`register(subparsers)`, which adds its parser and sets `func` to the callable
that runs it (returning the process exit code). Add a module name to
`COMMANDS` to make it appear.

Bad input (an unknown config or model, a missing checkpoint...) surfaces as
ValueError/LookupError from the library; the dispatcher prints it as one
`error:` line and exits 2. `RINGRIFT_DEBUG=1` shows the traceback instead.
"""
from __future__ import annotations

import argparse
import importlib
import os
import sys

COMMANDS = (
    "engine_cmd",
    "maintenance_cmd",
    "selfplay_cmd",
    "import_cmd",
    "consolidate_cmd",
    "check_cmd",
    "sql_cmd",
    "status_cmd",
    "demo_cmd",
    "train_cmd",
    "tune_cmd",
    "match_cmd",
    "loop_cmd",
    "generations_cmd",
    "models_cmd",
    "elo_cmd",
    "evaluate_cmd",
    "promote_cmd",
    "export_cmd",
    "worker_cmd",
    "fleet_cmd",
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="ringrift-lake",
        description="RingRift Lake: selfplay, lake tables, training data, training and evaluation.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True
    for name in COMMANDS:
        importlib.import_module(f"{__name__}.{name}").register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except (ValueError, LookupError) as exc:
        if os.environ.get("RINGRIFT_DEBUG"):
            raise
        print(f"error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
