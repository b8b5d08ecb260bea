"""`ringrift-lake demo`: the whole loop once through Dagster on the local lake (see assets/demo.py)."""
from __future__ import annotations


def register(sub) -> None:
    p = sub.add_parser("demo", help="run the whole loop once through Dagster (selfplay -> ... -> champion)",
                       description="Selfplay with the heuristic agent, consolidate, check, export, train, "
                                   "evaluate, Elo and promotion for one config, materialized in-process by "
                                   "Dagster on the instance in DAGSTER_HOME (default ./dagster_home).")
    p.add_argument("--config", default="square8_2p")
    p.add_argument("--games", type=int, default=100, help="selfplay games (default 100)")
    p.add_argument("--epochs", type=int, default=6)
    p.add_argument("--channels", type=int, default=32, help="trunk width of the demo model (default 32)")
    p.add_argument("--blocks", type=int, default=2, help="residual blocks of the demo model (default 2)")
    p.add_argument("--gauntlet-games", type=int, default=24, help="gauntlet games per opponent (default 24)")
    p.add_argument("--workers", type=int, default=1, help="selfplay/gauntlet worker processes (0 = in-process)")
    p.add_argument("--device", default="auto", help="training device: auto | cpu | cuda")
    p.add_argument("--lake", default="", help="lake root (default: $RINGRIFT_LAKE or ./lake)")
    p.set_defaults(func=_run)


def _run(args) -> int:
    from assets.demo import DemoSettings, run_demo   # assets -> dagster: imported only when the demo runs

    settings = DemoSettings(config=args.config, games=args.games, epochs=args.epochs, channels=args.channels,
                            blocks=args.blocks, gauntlet_games=args.gauntlet_games, workers=args.workers,
                            device=args.device, lake_root=args.lake)
    return run_demo(settings)
