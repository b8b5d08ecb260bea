"""Lake benchmarks, each measured side by side in one run, with the targets they are held to.

    .venv/bin/python bench/lake.py                  # full size (1M-game query lake: minutes, ~2 GB disk)
    .venv/bin/python bench/lake.py --scale 0.05     # quick run
    .venv/bin/python bench/lake.py --only ingest,bytes
    .venv/bin/python bench/lake.py --only queries --moves-fraction 0.1   # 1M games, moves rows for 10 %
    .venv/bin/python bench/lake.py --only none --query-lake PATH        # time the queries over a lake

ingest       raw_games appends (write_raw_games, N games per commit) vs plain pyarrow Parquet
             writes of the same rows; target >= 50,000 moves/s on local disk.
bytes        lake bytes per move (games + moves files) after importing and consolidating the
             previous system's SQLite files vs those files' bytes per move; target <= 1/20.
consolidate  10,000 new games into a lake of 100,000 vs into an empty one; target <= 1.5x.
queries      the ten docs/queries.sql queries over a 1,000,000-game lake, compacted as the
             maintenance schedule does; target < 1 s each (wall and process CPU seconds shown).

Source games are played once by random agents (square8 and hex8, 2-4 players) and
replicated with new ids; the query lake replicates consolidated games and moves with Arrow.
"""
from __future__ import annotations

import argparse
import glob
import os
import shutil
import sqlite3
import sys
import tempfile
import time
import uuid

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from ringrift_lake import tables
from ringrift_lake.consolidate import consolidate
from ringrift_lake.location import Lake
from ringrift_lake.query import connect, fetch_arrow, named_queries
from ringrift_lake.records.rows import game_row, raw_games_table, write_raw_games

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
LEGACY_DBS = "/work/shared/fixtures/legacy-sqlite/*.db"
SOURCE_CONFIGS = ("square8_2p", "square8_3p", "square8_4p", "hex8_2p", "hex8_3p", "hex8_4p")


def log(text: str) -> None:
    print(text, flush=True)


def source_rows(games_per_config: int) -> list[dict]:
    """raw_games rows of games played by random agents (the only engine time in the benchmark)."""
    from engine import parse_config, play_game
    from engine.agents import RandomAgent

    rows = []
    for c, config in enumerate(SOURCE_CONFIGS):
        cfg = parse_config(config)
        board, players = cfg.board_type, cfg.num_players
        for i in range(games_per_config):
            seed = 1000 * c + i
            played = play_game(board, players, [RandomAgent(seed=seed * 10 + s) for s in range(players)], seed)
            rows.append(game_row(played, config, ["random"] * players, "selfplay", seed))
    return rows


def replicate(rows: list[dict], n: int) -> list[dict]:
    """n rows cycling through ``rows``, each under a fresh game id."""
    return [{**rows[i % len(rows)], "game_id": uuid.uuid4().hex} for i in range(n)]


def bench_ingest(work: str, rows: list[dict], games: int, per_commit: int) -> dict:
    batches = [replicate(rows, min(per_commit, games - s)) for s in range(0, games, per_commit)]
    moves = sum(r["num_moves"] for b in batches for r in b)
    lake = Lake.at(os.path.join(work, "ingest_lake"))
    t = time.perf_counter()
    for batch in batches:
        write_raw_games(lake, batch)
    lake_s = time.perf_counter() - t
    folder = os.path.join(work, "ingest_parquet")
    os.makedirs(folder)
    t = time.perf_counter()
    for i, batch in enumerate(batches):
        pq.write_table(raw_games_table(batch), os.path.join(folder, f"{i}.parquet"), compression="zstd",
                       compression_level=3)
    parquet_s = time.perf_counter() - t
    lake_rate, parquet_rate = moves / lake_s, moves / parquet_s
    log(f"ingest: {games} games / {moves} moves in {len(batches)} commits of {per_commit}")
    log(f"  raw_games (Delta)   {lake_rate:>12,.0f} moves/s  ({games / lake_s:,.0f} games/s, {lake_s:.2f} s)")
    log(f"  plain Parquet       {parquet_rate:>12,.0f} moves/s  ({parquet_s:.2f} s)")
    log(f"  ratio lake/parquet  {lake_rate / parquet_rate:.2f}   target >= 50,000 moves/s: "
        f"{'met' if lake_rate >= 50_000 else 'MISSED'}")
    return {"lake_moves_per_s": lake_rate, "parquet_moves_per_s": parquet_rate}


def _table_bytes(lake: Lake, name: str) -> int:
    table = tables.open_table(lake, name)
    return int(pc.sum(pa.table(table.get_add_actions(flatten=True)).column("size_bytes")).as_py())


def bench_bytes(work: str) -> dict:
    from ringrift_lake.ingest import import_files

    dbs = sorted(glob.glob(LEGACY_DBS))
    lake = Lake.at(os.path.join(work, "bytes_lake"))
    import_files(lake, dbs)
    report = consolidate(lake)
    lake_bytes = _table_bytes(lake, "games") + _table_bytes(lake, "moves")
    lake_per_move = lake_bytes / report.moves_added
    sqlite_bytes = sum(os.path.getsize(p) + (os.path.getsize(p + "-wal") if os.path.exists(p + "-wal") else 0)
                       for p in dbs)
    sqlite_moves = 0
    for path in dbs:
        con = sqlite3.connect(f"file:{path}?mode=ro&immutable=1", uri=True)
        sqlite_moves += con.execute("SELECT count(*) FROM game_moves").fetchall()[0][0]
        con.close()
    sqlite_per_move = sqlite_bytes / sqlite_moves
    log(f"bytes: {len(dbs)} legacy SQLite files, {sqlite_moves} moves; lake kept {report.games_added} games / "
        f"{report.moves_added} moves (quarantined {report.quarantined_total})")
    log(f"  previous SQLite     {sqlite_per_move:>10.1f} bytes/move ({sqlite_bytes / 1e6:.2f} MB)")
    log(f"  lake games+moves    {lake_per_move:>10.1f} bytes/move ({lake_bytes / 1e6:.3f} MB)")
    log(f"  ratio               1/{sqlite_per_move / lake_per_move:.0f}   target <= 1/20: "
        f"{'met' if lake_per_move * 20 <= sqlite_per_move else 'MISSED'}")
    return {"sqlite_bytes_per_move": sqlite_per_move, "lake_bytes_per_move": lake_per_move}


def _timed_consolidate(lake: Lake) -> tuple[float, object]:
    t = time.perf_counter()
    report = consolidate(lake)
    return time.perf_counter() - t, report


def bench_consolidate(work: str, rows: list[dict], existing: int, new: int, chunk: int) -> dict:
    empty = Lake.at(os.path.join(work, "consolidate_empty"))
    full = Lake.at(os.path.join(work, "consolidate_full"))
    t = time.perf_counter()
    for start in range(0, existing, chunk):
        write_raw_games(full, replicate(rows, min(chunk, existing - start)))
        consolidate(full)
    log(f"consolidate: built a lake of {existing} consolidated games in {time.perf_counter() - t:.1f} s")
    batch = replicate(rows, new)
    write_raw_games(empty, batch)
    write_raw_games(full, batch)
    empty_s, empty_report = _timed_consolidate(empty)
    full_s, full_report = _timed_consolidate(full)
    assert empty_report.games_added == full_report.games_added == new, (empty_report, full_report)
    log(f"  {new} new games into an empty table        {empty_s:.2f} s")
    log(f"  {new} new games into a table of {existing:<9} {full_s:.2f} s")
    log(f"  ratio {full_s / empty_s:.2f}   target <= 1.5: {'met' if full_s <= 1.5 * empty_s else 'MISSED'}")
    return {"empty_s": empty_s, "full_s": full_s}


def _replicated(table: pa.Table, source_index: np.ndarray, new_columns: dict) -> pa.Table:
    out = table.take(pa.array(source_index, pa.int64()))
    for name, values in new_columns.items():
        out = out.set_column(out.schema.get_field_index(name), out.schema.field(name), values)
    return out


def build_query_lake(work: str, rows: list[dict], games: int, chunk: int, moves_fraction: float) -> Lake:
    seed = Lake.at(os.path.join(work, "query_seed"))
    write_raw_games(seed, rows)
    consolidate(seed)
    src_games = tables.read(seed, "games").sort_by("game_id")
    src_moves = tables.read(seed, "moves").sort_by([("game_id", "ascending"), ("ply", "ascending")])
    lengths = src_games.column("num_moves").to_numpy()
    starts = np.concatenate([[0], np.cumsum(lengths)[:-1]])
    lake = Lake.at(os.path.join(work, "query_lake"))
    rng = np.random.default_rng(7)
    t = time.perf_counter()
    for start in range(0, games, chunk):
        n = min(chunk, games - start)
        pick = rng.integers(0, src_games.num_rows, n)
        ids = pa.array([uuid.uuid4().hex for _ in range(n)], pa.string())
        seq = pa.array(np.arange(start + 1, start + n + 1), pa.int64())
        tables.append(lake, "games", _replicated(src_games, pick, {"game_id": ids, "ingest_seq": seq}))
        if start >= games * moves_fraction:
            continue
        move_index = np.concatenate([np.arange(starts[p], starts[p] + lengths[p]) for p in pick])
        move_ids = ids.take(pa.array(np.repeat(np.arange(n), lengths[pick]), pa.int64()))
        tables.append(lake, "moves", _replicated(src_moves, move_index, {"game_id": move_ids}))
        log(f"  query lake: {start + n}/{games} games ({time.perf_counter() - t:.0f} s)")
    _add_small_tables(lake, rng)
    return lake


def _add_small_tables(lake: Lake, rng) -> None:
    """Some quarantine and Elo rows so those queries have data to chew on."""
    now = pa.scalar(time.time_ns() // 1000, pa.timestamp("us", tz="UTC")).as_py()
    reasons = ["illegal_move", "result_unconfirmed", "too_few_moves", "schema_error", "duplicate_conflict"]
    tables.append(lake, "quarantine", [
        {"game_id": uuid.uuid4().hex, "config": SOURCE_CONFIGS[i % 6], "reason": reasons[i % 5], "ply": i % 90,
         "detail": "bench", "source": ["selfplay", "import:legacy"][i % 2], "raw_version": 1,
         "quarantined_at": now, "payload": "{}"} for i in range(5000)])
    elo = []
    for snapshot in range(20):
        for config in SOURCE_CONFIGS:
            for player in range(30):
                elo.append({"config": config, "player_id": f"model:{player}", "rating": float(rng.normal(1200, 200)),
                            "stderr": 25.0, "games": 400, "wins": 200.0, "matches_version": snapshot,
                            "snapshot_id": f"s{snapshot:03d}", "computed_at": now})
    tables.append(lake, "elo", elo)


def bench_queries(work: str, rows: list[dict], games: int, chunk: int, repeats: int,
                  moves_fraction: float) -> dict:
    t = time.perf_counter()
    lake = build_query_lake(work, rows, games, chunk, moves_fraction)
    moves = tables.read(lake, "moves", columns=["ply"]).num_rows
    log(f"queries: lake of {games} games / {moves} moves rows built in {time.perf_counter() - t:.0f} s"
        + (f" (moves rows for {moves_fraction:.0%} of the games)" if moves_fraction < 1 else ""))
    return time_queries(lake, repeats)


def time_queries(lake: Lake, repeats: int) -> dict:
    """Compact like the maintenance schedule, then time each docs/queries.sql query (first and warm runs)."""
    from ringrift_lake.maintenance import maintain

    t = time.perf_counter()
    maintain(lake, ["games", "quarantine", "elo"], vacuum=False)
    log(f"  compacted games/quarantine/elo as scheduled maintenance does ({time.perf_counter() - t:.0f} s)")
    queries = named_queries(open(os.path.join(REPO, "docs", "queries.sql"), encoding="utf-8").read())
    t = time.perf_counter()
    con = connect(lake)
    log(f"  connect (views over live files) {time.perf_counter() - t:.2f} s")
    times = {}
    for name, sql in queries.items():
        runs, cpu = [], []
        for _ in range(1 + repeats):
            t, c = time.perf_counter(), time.process_time()
            result = fetch_arrow(con, sql)
            runs.append(time.perf_counter() - t)
            cpu.append(time.process_time() - c)
        times[name] = (runs[0], min(runs[1:]) if repeats else runs[0])
        log(f"  {name:<28} first {runs[0]:6.3f} s  warm {times[name][1]:6.3f} s  cpu {min(cpu):6.3f} s  "
            f"rows {result.num_rows:>5}  {'ok' if runs[0] < 1 else 'OVER 1 s'}")
    con.close()
    log(f"  slowest first run {max(f for f, _ in times.values()):.3f} s   target < 1 s each: "
        f"{'met' if all(f < 1 for f, _ in times.values()) else 'MISSED'}   "
        f"(load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs; cpu = process CPU seconds)")
    return times


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--scale", type=float, default=1.0, help="shrink every size by this factor")
    parser.add_argument("--only", default="ingest,bytes,consolidate,queries")
    parser.add_argument("--workdir", help="keep the lakes here (default: a temporary folder, removed)")
    parser.add_argument("--source-games", type=int, default=6, help="random games played per config")
    parser.add_argument("--repeats", type=int, default=2, help="warm repeats per query")
    parser.add_argument("--query-lake", help="time the queries over this existing lake instead of building one")
    parser.add_argument("--moves-fraction", type=float, default=1.0,
                        help="query lake: write moves rows for this share of its games (no query reads "
                             "moves; 1.0 = all, ~160 rows per game)")
    args = parser.parse_args(argv)
    only = set(args.only.split(","))
    work = args.workdir or tempfile.mkdtemp(prefix="bench-lake-")
    os.makedirs(work, exist_ok=True)
    s = args.scale
    try:
        t = time.perf_counter()
        rows = source_rows(args.source_games)
        log(f"source: {len(rows)} random games, {sum(r['num_moves'] for r in rows)} moves, "
            f"played in {time.perf_counter() - t:.1f} s")
        if "ingest" in only:
            bench_ingest(work, rows, max(100, int(20_000 * s)), per_commit=max(50, int(2_000 * min(s * 10, 1))))
        if "bytes" in only:
            bench_bytes(work)
        if "consolidate" in only:
            bench_consolidate(work, rows, max(100, int(100_000 * s)), max(10, int(10_000 * s)),
                              chunk=max(10, int(10_000 * s)))
        if args.query_lake:
            games = tables.read(Lake.at(args.query_lake), "games", columns=["ingest_seq"]).num_rows
            log(f"queries: existing lake {args.query_lake} with {games} games")
            time_queries(Lake.at(args.query_lake), args.repeats)
        elif "queries" in only:
            bench_queries(work, rows, max(1000, int(1_000_000 * s)), chunk=20_000, repeats=args.repeats,
                          moves_fraction=args.moves_fraction)
    finally:
        if not args.workdir:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
