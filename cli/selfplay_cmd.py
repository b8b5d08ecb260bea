"""`ringrift-lake selfplay`: play games with worker processes and append them to raw_games
(flags: `training.play.selfplay.SelfplaySettings`, one per field)."""
from __future__ import annotations

import json
import sys

from ringrift_lake.knobs import add_flags, from_namespace
from training.play.selfplay import SelfplaySettings


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "selfplay", help="play games (built-in agents, a network, or Gumbel search) and append them to raw_games",
        description="Play games with K worker processes; each worker commits batches of complete games to "
                    "raw_games in the lake named by RINGRIFT_LAKE (local folder or s3://bucket/prefix). "
                    "Search selfplay: --agent gumbel --model champion|ID|heuristic --budget 64.")
    add_flags(parser, SelfplaySettings)
    parser.add_argument("--json", action="store_true", help="print the report as JSON on stdout")
    parser.add_argument("--quiet", action="store_true", help="no progress on stderr")
    parser.set_defaults(func=run)


def run(args) -> int:
    from ringrift_lake.location import Lake
    from training.play import PlayError

    lake = Lake.from_env()
    try:
        report = from_namespace(SelfplaySettings, args).run(lake, progress=not args.quiet)
        status = 0
    except PlayError as exc:
        print(f"selfplay: {exc}", file=sys.stderr)
        report, status = exc.report, 1
    if args.json:
        print(json.dumps(report.to_dict()))
    else:
        print(f"selfplay {report.config}: {report.games_written} games ({report.moves_written} moves) committed "
              f"in {report.commits} commits, {report.seconds:.1f}s: {report.games_per_s:.2f} games/s, "
              f"{report.moves_per_s:,.0f} moves/s; {report.games_present} already present, "
              f"{report.games_unfinished} unfinished; raw_games version {report.table_version} at {lake.describe()}")
    return status
