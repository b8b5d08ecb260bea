"""Export speed: samples per CPU-second of `ringrift-lake export`, beside the old exporter.

For each configuration: random self-play games (engine RandomAgent) are written to raw_games and
consolidated into games/moves of a fresh local lake (not timed); then `export_dataset` runs
`--repeat` times (timed; the fastest run is reported, with the median beside it, because the
machine may be shared). CPU time = the parent's `process_time` + every worker process's user+sys
time (RUSAGE_CHILDREN, so worker start-up and imports count too); "in shards" is the CPU the workers
spent inside shard encoding+writing only. The old exporter's figures are from DATA_REFERENCE.md.

Usage:
    .venv/bin/python bench/export.py                          # square8_2p and hex8_2p, ~30k samples each
    .venv/bin/python bench/export.py --samples 60000 --workers 2
    .venv/bin/python bench/export.py --shard-samples 8192      # several shards: the worker-process path
    .venv/bin/python bench/export.py --configs square8_2p,hex8_3p,square19_2p
"""
from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
# Heavy imports live inside the functions: spawned export workers re-import this module.

OLD_EXPORTER = {"square8_2p": 690, "hex8_2p": 139}          # samples per second, DATA_REFERENCE.md
TARGET = {"square8_2p": 20_000, "hex8_2p": 4_000}


def fill_lake(lake, config: str, samples: int, seed: int) -> int:
    """Random games until `samples` moves; returns the number of moves written."""
    from engine import parse_config, play_game
    from engine.agents import RandomAgent
    from ringrift_lake.consolidate.run import consolidate
    from ringrift_lake.records.rows import game_row, write_raw_games

    cfg = parse_config(config)
    board, n = cfg.board_type, cfg.num_players
    rows, moves = [], 0
    while moves < samples:
        game = play_game(board, n, [RandomAgent(seed=seed * 10 + s) for s in range(n)], seed=seed)
        rows.append(game_row(game, config, ["random"] * n, "selfplay", seed))
        moves += game.num_moves
        seed += 1
    write_raw_games(lake, rows)
    consolidate(lake, [config], workers=1)
    return moves


def children_cpu_s() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def bench(config: str, samples: int, workers: int, seed: int, shard_samples: int | None, repeat: int) -> dict:
    """Fill one lake, export it `repeat` times; the fastest run counts (the machine may be shared)."""
    from ringrift_lake.export import ExportStats, Window, export_dataset
    from ringrift_lake.location import Lake

    runs = []
    with tempfile.TemporaryDirectory(prefix="bench-export-") as root:
        lake = Lake.at(root)
        fill_lake(lake, config, samples, seed)
        for _ in range(repeat):
            stats = ExportStats()
            cpu0, child0, wall0 = time.process_time(), children_cpu_s(), time.perf_counter()
            row = export_dataset(lake, config, Window(), workers=workers, shard_samples=shard_samples, stats=stats)
            parent_cpu, child_cpu = time.process_time() - cpu0, children_cpu_s() - child0
            in_process = workers <= 1 or len(stats.shards) <= 1       # shards were written in this process
            runs.append({"cpu_s": parent_cpu + (0.0 if in_process else child_cpu), "wall_s": time.perf_counter() - wall0,
                         "shard_cpu_s": stats.worker_cpu_s, "shards": len(stats.shards),
                         "workers": 1 if in_process else workers, "samples": row["sample_count"]})
    best = min(runs, key=lambda r: r["cpu_s"])
    median = sorted(r["cpu_s"] for r in runs)[len(runs) // 2]
    n = best["samples"]
    return {"config": config, **best, "rate": n / best["cpu_s"], "median_rate": n / median,
            "shard_rate": n / min(r["shard_cpu_s"] for r in runs)}


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--configs", default="square8_2p,hex8_2p")
    p.add_argument("--samples", type=int, default=30_000, help="approximate samples per configuration")
    p.add_argument("--workers", type=int, default=2)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--shard-samples", type=int, help="samples per shard (default: the exporter's, 65,536)")
    p.add_argument("--repeat", type=int, default=3, help="exports per configuration; the fastest counts")
    args = p.parse_args(argv)
    results = [bench(c, args.samples, args.workers, args.seed, args.shard_samples, args.repeat) for c in args.configs.split(",")]
    print(f"{'config':<14}{'samples':>9}{'shards':>7}{'workers':>8}{'wall s':>8}{'CPU s':>8}"
          f"{'samples/CPU-s':>15}{'median':>9}{'in shards':>11}{'old':>6}{'ratio':>8}{'target':>8}")
    ok = True
    for r in results:
        old, target = OLD_EXPORTER.get(r["config"]), TARGET.get(r["config"])
        ratio = f"{r['rate'] / old:.1f}x" if old else "-"
        meets = "" if target is None else ("ok" if r["rate"] >= target else "MISS")
        ok &= meets != "MISS"
        print(f"{r['config']:<14}{r['samples']:>9}{r['shards']:>7}{r['workers']:>8}{r['wall_s']:>8.2f}{r['cpu_s']:>8.2f}"
              f"{r['rate']:>15,.0f}{r['median_rate']:>9,.0f}{r['shard_rate']:>11,.0f}{old or '-':>6}{ratio:>8}{(target or '-'):>8} {meets}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
