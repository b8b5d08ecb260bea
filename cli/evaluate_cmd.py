"""`ringrift-lake evaluate --config C --model ID`: gauntlet vs random, heuristic and the champion.

The gauntlet (training.gauntlet) is imported when the command runs.
"""
from __future__ import annotations

from ringrift_lake.promotion.decision import DEFAULT_MIN_GAMES as DEFAULT_GAMES   # enough to decide a promotion


def register(sub) -> None:
    p = sub.add_parser("evaluate", help="play a gauntlet (random, heuristic, champion) and record every game "
                                        "in raw_games and every result in matches")
    p.add_argument("--config", required=True, help="e.g. square8_2p")
    p.add_argument("--model", required=True, help="the candidate: a model id, or any player (heuristic, "
                                                  "gumbel64:model:<id>, ...)")
    p.add_argument("--games", type=int, default=DEFAULT_GAMES,
                   help=f"games per opponent, rounded up to a multiple of the player count (default {DEFAULT_GAMES})")
    p.add_argument("--workers", type=int, default=None, help="worker processes (default: CPU count; 0 = in "
                                                              "this process)")
    p.add_argument("--seed", type=int, default=None, help="base seed (default: random); recorded per game")
    p.add_argument("--opponent", action="append", dest="opponents", metavar="PLAYER",
                   help="only these opponents (random, heuristic, model:<id>, gumbel16:champion ...; repeatable)")
    p.add_argument("--max-moves", type=int, default=None, help="move cap per game; a game still running then is unfinished "
                        "(default: twice the longest plausible game of the board, e.g. 3000 on square8)")
    p.set_defaults(func=_run)


def _run(args) -> int:
    from engine import parse_config
    from tabulate import tabulate

    from ringrift_lake.location import Lake
    from training.gauntlet import run_gauntlet

    parse_config(args.config)
    lake = Lake.from_env()
    report = run_gauntlet(lake, args.config, args.model, games_per_opponent=args.games, workers=args.workers,
                          seed=args.seed, opponents=args.opponents, max_moves=args.max_moves)
    print(f"gauntlet {report.gauntlet_id}: {report.candidate} in {report.config}, {report.games} games, "
          f"{report.wall_s:.1f} s wall, {report.workers_cpu_s:.1f} CPU-s (lake {lake.describe()}; "
          f"raw_games v{report.raw_games_version})")
    rows = [(o, h["games"], f"{h['rate']:.3f}", h["successes"], h["ties"], h["failures"], h["unfinished"],
             f"{h['p_value']:.3g}") for o, h in report.per_opponent.items()]
    print(tabulate(rows, headers=["opponent", "games", "score rate", "won", "tied", "lost", "unfinished",
                                  "p (better than even)"]))
    print(f"next: ringrift-lake elo --config {args.config}; ringrift-lake promote --config {args.config} "
          f"--model {args.model}")
    return 0
