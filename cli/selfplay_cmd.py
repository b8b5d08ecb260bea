"""`ringrift-lake selfplay`: play games with worker processes and append them to raw_games."""
from __future__ import annotations

import json
import sys


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "selfplay", help="play games (random/heuristic agents) and append them to raw_games",
        description="Play games with K worker processes; each worker commits batches of complete games to "
                    "raw_games in the lake named by RINGRIFT_LAKE (local folder or s3://bucket/prefix).")
    parser.add_argument("--config", required=True, help="board config, e.g. square8_2p, hex8_3p, hexagonal_4p")
    parser.add_argument("--games", type=int, required=True, help="number of games to play")
    parser.add_argument("--agent", default="random", choices=("random", "heuristic"), help="agent for every seat")
    parser.add_argument("--seats", help="agent per seat, comma separated (overrides --agent), e.g. heuristic,random")
    parser.add_argument("--workers", type=int, default=1, help="worker processes (0 = play in this process)")
    parser.add_argument("--seed", type=int, help="run seed: fixes game ids and seeds; a rerun adds nothing new")
    parser.add_argument("--batch-size", type=int, default=50, help="games per commit (default 50)")
    parser.add_argument("--flush-seconds", type=float, default=5.0, help="commit at least this often (default 5)")
    parser.add_argument("--source", default="selfplay", help="raw_games source column (default selfplay)")
    parser.add_argument("--max-restarts", type=int, default=3, help="restarts per worker that dies (default 3)")
    parser.add_argument("--journal", help="append one JSON line per commit (worker, version, game ids) to FILE")
    parser.add_argument("--json", action="store_true", help="print the report as JSON on stdout")
    parser.add_argument("--quiet", action="store_true", help="no progress on stderr")
    parser.set_defaults(func=run)


def run(args) -> int:
    from ringrift_lake.location import Lake
    from ringrift_lake.selfplay import SelfplayError, run_selfplay

    lake = Lake.from_env()
    seats = [s.strip() for s in args.seats.split(",")] if args.seats else None
    try:
        report = run_selfplay(lake, args.config, args.games, agent=args.agent, workers=args.workers,
                              seed=args.seed, batch_size=args.batch_size, source=args.source,
                              agents_per_seat=seats, progress=not args.quiet, flush_seconds=args.flush_seconds,
                              max_restarts=args.max_restarts, journal=args.journal)
        status = 0
    except SelfplayError as exc:
        print(f"selfplay: {exc}", file=sys.stderr)
        report, status = exc.report, 1
    except ValueError as exc:
        print(f"selfplay: {exc}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(report.to_dict()))
    else:
        print(f"selfplay {report.config}: {report.games_written} games ({report.moves_written} moves) committed "
              f"in {report.commits} commits, {report.seconds:.1f}s: {report.games_per_s:.1f} games/s, "
              f"{report.moves_per_s:,.0f} moves/s; {report.games_present} already present, "
              f"{report.games_unfinished} unfinished; raw_games version {report.table_version} at {lake.describe()}")
    return status
