"""Many fleet writers appending to one raw_games table on the loopback S3 server (SeaweedFS).

    python bench/fleet.py                 # N = 4, 16, 64, 100 writer processes, 30 s each
    python bench/fleet.py --quick         # N = 16 only (well under 5 minutes)

Each simulated worker is its own process and a real writer: it appends batches of complete games
(synthetic copies of one real game, new ids) through `ringrift_lake.records.rows.write_raw_games`
with its own open table handle, at its own batch size (drawn from --batch-min..--batch-max), as fast
as it can for --seconds (or with --interval seconds of "play" between batches). Conflicting commits
are retried by `tables.append` (jittered backoff); a commit that still fails after every retry is
counted as failed, never as committed. Afterwards the table is read back: lost = games a writer
reported committed that are not there, dup = ids there twice. Starts are staggered; writers that are
not ready when the window opens start late and still stop at its end.
"""
from __future__ import annotations

import argparse
import math
import multiprocessing as mp
import os
import random
import sys
import tempfile
import time
import uuid
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO), str(REPO / "tests")]


def template_row() -> dict:
    from engine import play_game
    from engine.agents import RandomAgent
    from ringrift_lake.records.rows import game_row

    game = play_game("square8", 2, [RandomAgent(seed=1), RandomAgent(seed=2)], seed=3)
    return game_row(game, "square8_2p", ["random", "random"], "selfplay", 3)


def writer(index: int, root: str, options: dict, row: dict, batch: int, start_at: float, stop_at: float,
           interval: float, out) -> None:
    from ringrift_lake import tables
    from ringrift_lake.location import Lake
    from ringrift_lake.records.rows import TABLE, write_raw_games

    lake = Lake(root, options)
    table = tables.ensure_table(lake, TABLE)
    ready = time.time()
    time.sleep(max(0.0, start_at - time.time()))
    games = commits = failed = 0
    ids: list[str] = []
    k = 0
    while time.time() < stop_at:
        rows = [dict(row, game_id=f"w{index}-{k + j}") for j in range(batch)]
        k += batch
        try:
            write_raw_games(lake, rows, writer=f"bench/{index}", table=table)
        except tables.CommitError:
            failed += 1
            continue
        commits += 1
        games += batch
        ids.extend(r["game_id"] for r in rows)
        if interval:
            time.sleep(interval)
    out.send({"index": index, "batch": batch, "games": games, "commits": commits, "failed": failed,
              "retries": tables.retry_count(), "ids": ids, "late_s": max(0.0, ready - start_at)})
    out.close()


def run(server, n: int, seconds: float, batch_min: int, batch_max: int, interval: float, seed: int) -> dict:
    from ringrift_lake import tables

    lake = server.lake(f"bench-fleet-{n}-{uuid.uuid4().hex[:6]}")
    tables.ensure_table(lake, "raw_games")
    row = template_row()
    rng = random.Random(seed + n)
    ctx = mp.get_context("spawn")
    startup = 6.0 + 0.45 * n                       # spawning N Python processes on this machine
    start_at = time.time() + startup
    stop_at = start_at + seconds
    procs, pipes = [], []
    for index in range(n):
        receive, send = ctx.Pipe(duplex=False)
        batch = rng.randint(batch_min, batch_max)
        p = ctx.Process(target=writer, args=(index, lake.root, lake.storage_options, row, batch, start_at, stop_at,
                                             interval, send), daemon=True)
        p.start()
        send.close()
        procs.append(p)
        pipes.append(receive)
        time.sleep(min(0.25, startup / (2 * n)))    # staggered starts
    results = []
    for p, receive in zip(procs, pipes):
        try:
            results.append(receive.recv())
        except EOFError:
            results.append({"index": -1, "games": 0, "commits": 0, "failed": 0, "retries": 0, "ids": [],
                            "late_s": 0, "died": True})
        p.join(timeout=120)
    found = tables.read(lake, "raw_games", columns=["game_id"]).column("game_id").to_pylist()
    reported = [gid for r in results for gid in r["ids"]]
    return {"n": n, "seconds": seconds, "games": len(reported), "commits": sum(r["commits"] for r in results),
            "retries": sum(r["retries"] for r in results), "failed": sum(r["failed"] for r in results),
            "lost": len(set(reported) - set(found)), "dup": len(found) - len(set(found)),
            "extra": len(set(found) - set(reported)), "late": sum(1 for r in results if r["late_s"] > 0),
            "died": sum(1 for r in results if r.get("died")), "version": tables.version(lake, "raw_games")}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="N = 16 only")
    parser.add_argument("--n", type=int, nargs="+", default=[4, 16, 64, 100], help="writer counts")
    parser.add_argument("--seconds", type=float, default=30.0, help="append window per N")
    parser.add_argument("--batch-min", type=int, default=4)
    parser.add_argument("--batch-max", type=int, default=32)
    parser.add_argument("--interval", type=float, default=0.0, help="seconds between a writer's batches")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    counts = [16] if args.quick else args.n
    from conftest import _start_weed, _stop_weed

    server = _start_weed(Path(tempfile.mkdtemp(prefix="bench-fleet-")))
    rows = []
    try:
        for n in counts:
            r = run(server, n, args.seconds, args.batch_min, args.batch_max, args.interval, args.seed)
            rows.append(r)
            print(f"N={n:>3}: {r['games'] / r['seconds']:8.1f} games/s  {r['commits'] / r['seconds']:6.1f} commits/s  "
                  f"{r['retries']:6d} retries  {r['failed']:3d} failed commits  {r['lost']} lost  {r['dup']} dup  "
                  f"{r['extra']} extra  ({r['late']} started late, {r['died']} died; table v{r['version']})",
                  flush=True)
    finally:
        _stop_weed(server)
    limit = max(r["commits"] / r["seconds"] for r in rows)
    print(f"\ncommit rate of one table, highest measured: {limit:.1f} commits/s "
          f"(batches of {args.batch_min}-{args.batch_max} games, {os.cpu_count()} cores, loopback SeaweedFS)")
    for fleet_rate in (10, 100, 1000):
        print(f"  a fleet committing {fleet_rate:>4} games/s stays at <= 80% of it with batches of "
              f">= {math.ceil(fleet_rate / (0.8 * limit))} games")
    last = rows[-1]
    print(f"{last['n']} workers: {last['games']} games committed, {last['commits']} commits, "
          f"{last['retries']} retries, {last['lost']} lost")
    return 0 if all(r["lost"] == 0 and r["dup"] == 0 for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
