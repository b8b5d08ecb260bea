"""The strength run (issue 11): generations of the loop from generation 0 on one lake, then the final
champion against the heuristic, with the bars beside the figures.

    .venv/bin/python bench/strength_run.py --config square8_2p --lake /tmp/strength_sq8 --generations 6 --png docs/square8_2p_elo.png
    .venv/bin/python bench/strength_run.py --config hex8_2p --lake /tmp/strength_hex8 --generations 6
    .venv/bin/python bench/strength_run.py --config square8_2p --lake /tmp/strength_sq8 --generations 0   # bars only

Any `ringrift-lake loop` flag after `--` goes to the loop (e.g. `-- --games-per-generation 200
--gauntlet-games 40`). The loop numbers on from the lake's last generation, so a rerun on the same lake
continues the run. Then, 200 games each (seats alternated, `--match-seed`): `gumbel64:champion` and the
raw `champion` against `heuristic`, recorded in the lake like any match. Prints the per-generation table
(`ringrift-lake generations`), the Elo plot with `--png FILE`, and one line per bar: met or MISSED.
A missed bar exits 1. Wall time is what the loop took in this run (the 3-hour bar counts from generation 0,
so it is only checked when the lake started empty).
"""
from __future__ import annotations

import argparse
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

WALL_BAR_S = 3 * 3600
SEARCH_BAR = {"square8_2p": 0.80, "hex8_2p": 0.70}
RAW_BAR = {"square8_2p": 0.55}
RESIGN_FP_BAR = 0.05


def bars(rows: list[dict], search_rate: float, raw_rate: float, config: str, reuse_cap: float,
         wall_s: float | None) -> list[tuple[str, bool]]:
    """(description, met) for each bar of the strength run, from the generation table and the two matches."""
    promoted = [r for r in rows if r["promoted"] and r["elo_search"] is not None]
    elos = [r["elo_search"] for r in promoted]
    out = [(f"search Elo rises over promoted generations {' -> '.join(f'{e:.0f}' for e in elos)}",
            all(b > a for a, b in zip(elos, elos[1:])))]
    if config in SEARCH_BAR:
        out.append((f"gumbel64:champion vs heuristic {search_rate:.3f} >= {SEARCH_BAR[config]}",
                    search_rate >= SEARCH_BAR[config]))
    if config in RAW_BAR:
        out.append((f"raw champion vs heuristic {raw_rate:.3f} >= {RAW_BAR[config]}", raw_rate >= RAW_BAR[config]))
    last_fp = rows[-1]["resign_fp_rate"] or 0.0
    out.append((f"resign false-positive rate of the last generation {last_fp:.3f} <= {RESIGN_FP_BAR}",
                last_fp <= RESIGN_FP_BAR))
    worst_reuse = max((r["reuse_ratio"] or 0.0) for r in rows)
    out.append((f"sample reuse per generation at most {worst_reuse:.2f} <= cap {reuse_cap}", worst_reuse <= reuse_cap + 1e-6))
    if wall_s is not None:
        out.append((f"loop wall time {wall_s:.0f} s <= {WALL_BAR_S} s", wall_s <= WALL_BAR_S))
    return out


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    loop_args = argv[argv.index("--") + 1:] if "--" in argv else []
    own = argv[:argv.index("--")] if "--" in argv else argv
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--config", required=True, choices=sorted(SEARCH_BAR))
    parser.add_argument("--lake", required=True, help="a lake folder or s3:// URL (kept: the run continues there)")
    parser.add_argument("--generations", type=int, default=6)
    parser.add_argument("--match-games", type=int, default=200)
    parser.add_argument("--match-seed", type=int, default=11)
    parser.add_argument("--workers", type=int, default=2, help="match worker processes")
    parser.add_argument("--png", help="write the Elo plot here (e.g. docs/square8_2p_elo.png)")
    args = parser.parse_args(own)

    import cli
    from ringrift_lake.knobs import from_namespace
    from ringrift_lake.location import Lake
    from training.generations.loop import run_loop
    from training.generations.report import generation_table, markdown, plot
    from training.generations.settings import LoopSettings
    from training.play import run_match

    loop_parser = cli.build_parser()
    loop_ns = loop_parser.parse_args(["loop", "--config", args.config, "--generations", str(args.generations)] + loop_args)
    settings = from_namespace(LoopSettings, loop_ns)
    lake = Lake.at(args.lake)
    fresh = not generation_table(lake, args.config)
    wall0 = time.perf_counter()
    if args.generations:
        run_loop(lake, settings, args.generations, log=lambda line: print(line, file=sys.stderr, flush=True))
    wall_s = time.perf_counter() - wall0
    reports = {}
    for player in ("gumbel64:champion", "champion"):
        reports[player] = run_match(lake, args.config, [player, "heuristic"], args.match_games,
                                    seed=args.match_seed, workers=args.workers, progress=False)
        print(reports[player].line(), flush=True)
    rows = generation_table(lake, args.config)
    print(markdown(rows))
    if args.png:
        plot(rows, args.png, f"{args.config}: Elo per generation")
        print(f"plot: {args.png}")
    results = bars(rows, reports["gumbel64:champion"].rate, reports["champion"].rate, args.config,
                   settings.max_reuse, wall_s if fresh and args.generations else None)
    for text, met in results:
        print(f"{'met   ' if met else 'MISSED'} {text}")
    return 0 if all(met for _, met in results) else 1


if __name__ == "__main__":
    sys.exit(main())
