"""`ringrift-lake worker`: a long-running fleet selfplay worker (training/fleet/worker_loop.py; flags:
`training.fleet.settings.WorkerSettings`, one per field). Torch loads only when the command runs."""
from __future__ import annotations

import json
import sys
from dataclasses import asdict

from ringrift_lake.knobs import add_flags, from_namespace
from training.fleet.settings import WorkerSettings


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "worker", help="long-running selfplay worker: follows the lake's allocation and champions",
        description="Play batched search selfplay for the configs the scheduler allocates (table "
                    "`allocations`), with each config's current champion (checkpoints cached locally and "
                    "verified), committing each batch atomically to raw_games and a heartbeat to `workers`. "
                    "Runs until SIGTERM/SIGINT (or --max-batches / --max-seconds). Needs only the lake "
                    "settings: RINGRIFT_LAKE and, for S3, the AWS_* variables.")
    add_flags(parser, WorkerSettings)
    parser.add_argument("--json", action="store_true", help="print the final report as JSON on stdout")
    parser.set_defaults(func=run)


def run(args) -> int:
    from ringrift_lake.location import Lake
    from training.fleet.worker_loop import FleetWorker

    report = FleetWorker(Lake.from_env(), from_namespace(WorkerSettings, args)).run()
    if args.json:
        print(json.dumps(asdict(report)))
    else:
        print(f"worker {report.worker_id}: {report.games_committed} games committed in {report.batches} batches, "
              f"{report.games_dropped} dropped, {report.games_unfinished} unfinished; {report.stop_reason}",
              file=sys.stdout)
    return 0
