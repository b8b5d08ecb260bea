"""`ringrift-lake elo --config C`: refit the config's Elo from all its matches, append a snapshot, print it."""
from __future__ import annotations


def register(sub) -> None:
    p = sub.add_parser("elo", help="Bradley-Terry Elo fit over a config's matches (random = 400), as a new snapshot")
    p.add_argument("--config", required=True, help="e.g. square8_2p")
    p.add_argument("--plot", metavar="PNG", help="also write the config's Elo history plot here")
    p.add_argument("--markdown", metavar="MD", help="also write the leaderboard as a markdown file")
    p.add_argument("--no-write", action="store_true", help="fit and print only; append nothing to `elo`")
    p.add_argument("--force", action="store_true",
                   help="append a snapshot even if the latest one was fitted on the same matches version")
    p.set_defaults(func=_run)


def _run(args) -> int:
    from engine import parse_config

    from ringrift_lake.elo.report import leaderboard_markdown, plot_history
    from ringrift_lake.elo.snapshot import elo_history, fit_config, latest_rows, write_snapshot
    from ringrift_lake.location import Lake
    from ringrift_lake.players import player_id_of_registry
    from ringrift_lake.promotion import current_champion

    parse_config(args.config)
    lake = Lake.from_env()
    snapshot = fit_config(lake, args.config)
    if snapshot is None:
        print(f"{args.config}: no finished matches in {lake.describe()}; run `ringrift-lake evaluate` first")
        return 1
    latest = [] if args.no_write else latest_rows(elo_history(lake, args.config))
    if latest and latest[0]["matches_version"] == snapshot.matches_version and not args.force:
        print(f"elo snapshot {latest[0]['snapshot_id']} already fits matches v{snapshot.matches_version}; "
              f"nothing appended (--force to append anyway)")
    elif not args.no_write:
        elo_version = write_snapshot(lake, snapshot)
        print(f"elo snapshot {snapshot.snapshot_id} (matches v{snapshot.matches_version}) -> elo v{elo_version}")
    champion = current_champion(lake, args.config)
    champion_player = player_id_of_registry(champion["model_id"]) if champion else None
    table = leaderboard_markdown(snapshot.rows(), champion_player)
    print(f"\n{args.config} leaderboard: Bradley-Terry over all finished matches up to matches "
          f"v{snapshot.matches_version}, {snapshot.fit.anchor} = 400, ± one standard error\n")
    print(table)
    if args.markdown:
        with open(args.markdown, "w") as f:
            f.write(f"## {args.config} Elo (matches v{snapshot.matches_version})\n\n{table}\n")
    if args.plot:
        history = elo_history(lake, args.config) if not args.no_write else snapshot.rows()
        plot_history(history, args.plot, f"{args.config} Elo history")
        print(f"\nplot: {args.plot}")
    return 0
