"""`ringrift-lake consolidate`: raw_games -> games + moves, rejected games -> quarantine (incremental)."""
from __future__ import annotations

import json


def register(sub) -> None:
    p = sub.add_parser("consolidate", help="validate new raw games into games/moves; quarantine the rest")
    p.add_argument("--config", action="append", dest="configs", metavar="CONFIG",
                   help="only this config, e.g. square8_2p (repeatable; default: every config)")
    p.add_argument("--workers", type=int, default=None,
                   help="replay processes (default: one per CPU; small batches replay in-process)")
    p.add_argument("--json", action="store_true", help="print the report as JSON")
    p.set_defaults(func=_run)


def _run(args) -> int:
    from ringrift_lake.consolidate import consolidate
    from ringrift_lake.location import Lake

    lake = Lake.from_env()
    report = consolidate(lake, configs=args.configs, workers=args.workers)
    if args.json:
        print(json.dumps(report.as_dict(), indent=2))
    else:
        print(f"lake {lake.describe()}")
        print(report.render())
    return 0
