"""`ringrift-lake consolidate`: raw_games -> games + moves, rejected games -> quarantine (incremental)."""
from __future__ import annotations

import json
import sys
import time


def register(sub) -> None:
    p = sub.add_parser("consolidate", help="validate new raw games into games/moves; quarantine the rest")
    p.add_argument("--config", action="append", dest="configs", metavar="CONFIG",
                   help="only this config, e.g. square8_2p (repeatable; default: every config)")
    p.add_argument("--workers", type=int, default=None,
                   help="replay processes (default: one per CPU; small batches replay in-process)")
    p.add_argument("--repair", action="store_true",
                   help="first remove exact duplicate rows from games/moves/quarantine (left by overlapping runs "
                        "of older versions) and report them; differing copies are reported and left")
    p.add_argument("--json", action="store_true", help="print the report as JSON")
    p.set_defaults(func=_run)


class _Progress:
    """Replay progress on stderr, at most twice a second, when it is a terminal."""

    def __init__(self):
        self.last = 0.0

    def __call__(self, done: int, total: int) -> None:
        now = time.monotonic()
        if sys.stderr.isatty() and (now - self.last > 0.5 or done == total):
            self.last = now
            end = "\n" if done == total else ""
            print(f"\rreplaying {done}/{total} games", end=end, file=sys.stderr, flush=True)


def _run(args) -> int:
    from ringrift_lake.consolidate import consolidate
    from ringrift_lake.location import Lake

    lake = Lake.from_env()
    repaired = None
    if args.repair:
        from ringrift_lake.consolidate import repair_duplicates

        repaired = repair_duplicates(lake)
    report = consolidate(lake, configs=args.configs, workers=args.workers, progress=_Progress())
    if args.json:
        print(json.dumps({**report.as_dict(), **({"repair": repaired.as_dict()} if repaired else {})}, indent=2))
    else:
        print(f"lake {lake.describe()}")
        if repaired:
            print(repaired.render())
        print(report.render())
    return 0
