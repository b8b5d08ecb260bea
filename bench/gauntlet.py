"""Gauntlet benchmark: 200 square8 2p games, heuristic vs random, in worker processes, written to a scratch lake.

    .venv/bin/python bench/gauntlet.py [--games 200] [--workers 2] [--config square8_2p]

Prints the CPU time (the worker processes' total, start-up included, plus this process's), the workers'
own account of it (playing and committing their batches), and the wall time, with the target beside them.
"""
from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

TARGET_CPU_S = 120.0   # < 2 CPU-minutes for 200 games


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--games", type=int, default=200)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--config", default="square8_2p")
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args(argv)

    from ringrift_lake import tables
    from ringrift_lake.location import Lake
    from training.gauntlet import run_gauntlet

    children0, cpu0 = resource.getrusage(resource.RUSAGE_CHILDREN), time.process_time()
    with tempfile.TemporaryDirectory(prefix="bench-gauntlet-") as root:
        lake = Lake.at(root)
        report = run_gauntlet(lake, args.config, "heuristic", games_per_opponent=args.games, workers=args.workers,
                              seed=args.seed, opponents=["random"], progress=False)
        written = tables.read(lake, "matches", columns=["match_id"]).num_rows
    children1, parent = resource.getrusage(resource.RUSAGE_CHILDREN), time.process_time() - cpu0
    children = (children1.ru_utime - children0.ru_utime) + (children1.ru_stime - children0.ru_stime)
    cpu = children + parent
    h2h = report.per_opponent["random"]
    print(f"gauntlet bench: {report.games} {args.config} games heuristic vs random, {args.workers} workers, "
          f"{written} matches rows written; heuristic score {h2h['rate']:.3f}")
    print(f"  CPU total    {cpu:8.1f} s   (target < {TARGET_CPU_S:.0f} s: {'OK' if cpu < TARGET_CPU_S else 'MISSED'})")
    print(f"    workers    {children:8.1f} s   (start-up included; playing and committing: {report.workers_cpu_s:.1f} s, "
          f"{1000 * report.workers_cpu_s / max(report.games, 1):.1f} ms/game)")
    print(f"    parent     {parent:8.1f} s   (planning, progress, reading the results)")
    print(f"  wall         {report.wall_s:8.1f} s")
    return 0 if cpu < TARGET_CPU_S else 1


if __name__ == "__main__":
    sys.exit(main())
