"""`ringrift-lake match --config C --players A B [C D] --games N --seed S [--workers K]`: a match with the
seats rotated evenly, recorded like a gauntlet (raw_games + matches); the last line is the score."""
from __future__ import annotations

from ringrift_lake.players import VALID_FORMS


def register(sub) -> None:
    p = sub.add_parser("match", help="play a match between players (seats rotated) and print the score with its "
                                     "95%% interval",
                       description="Players: " + "; ".join(VALID_FORMS) + ". The first player is scored against "
                                   "the others (3-4 players: its score against the field).")
    p.add_argument("--config", required=True, help="e.g. square8_2p")
    p.add_argument("--players", nargs="+", required=True, metavar="PLAYER", help="2 to 4 players")
    p.add_argument("--games", type=int, default=200, help="games (rounded up to a multiple of the player count)")
    p.add_argument("--seed", type=int, default=None, help="run seed (default random); a rerun with it adds nothing")
    p.add_argument("--workers", type=int, default=1, help="worker processes (0 = in this process)")
    p.add_argument("--max-moves", type=int, default=None, help="move cap per game (default: the board's)")
    p.add_argument("--device", default="cpu", help="network device: auto | cpu | cuda[:k]")
    p.add_argument("--quiet", action="store_true", help="no progress on stderr")
    p.set_defaults(func=_run)


def _run(args) -> int:
    from engine import parse_config
    from ringrift_lake.location import Lake
    from training.play import PlayOptions, run_match

    cfg = parse_config(args.config)
    if not 2 <= len(args.players) <= cfg.num_players:
        raise ValueError(f"{cfg.name} seats {cfg.num_players} players; --players names {len(args.players)}")
    lake = Lake.from_env()
    report = run_match(lake, cfg.name, args.players, args.games, seed=args.seed, workers=args.workers,
                       max_moves=args.max_moves, progress=not args.quiet, options=PlayOptions(device=args.device))
    play = report.play
    print(f"match {cfg.name}: {play.games_written} games played, {play.games_present} already recorded, "
          f"{report.unfinished} unfinished (counted as draws), {play.seconds:.1f} s (lake {lake.describe()})")
    print(report.line())
    return 0
