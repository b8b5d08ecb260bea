"""import -> consolidate -> check -> sql, on a local and an S3 lake; idempotence and increments."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pyarrow.compute as pc
import pyarrow.parquet as pq

from ringrift_lake import tables
from ringrift_lake.checks import CHECKS, run_checks
from ringrift_lake.consolidate import consolidate
from ringrift_lake.ingest import import_files
from ringrift_lake.query import connect, fetch_arrow, named_queries

from consolidate_rows import FIXTURES, counts, reference_rows, versions, write

REPO = Path(__file__).resolve().parents[2]


def test_import_consolidate_check_sql(lake):
    import_files(lake, [str(FIXTURES / "square8_2p.jsonl.gz"), str(FIXTURES / "hex8_3p.jsonl.gz")])
    raw = tables.read(lake, "raw_games", columns=["game_id", "num_moves"])
    report = consolidate(lake, workers=2)

    assert report.games_read == raw.num_rows == 59
    assert report.games_added == 59 and report.quarantined == {}
    assert report.moves_added == pc.sum(raw.column("num_moves")).as_py()
    games = tables.read(lake, "games", columns=["game_id", "ingest_seq", "raw_version"])
    assert sorted(games.column("game_id").to_pylist()) == sorted(raw.column("game_id").to_pylist())
    assert sorted(games.column("ingest_seq").to_pylist()) == list(range(1, 60))
    assert set(games.column("raw_version").to_pylist()) == {tables.version(lake, "raw_games")}

    results = run_checks(lake)
    assert [r.name for r in results] == [c.name for c in CHECKS]
    assert all(r.error is None for r in results), [r.error for r in results]
    assert [r.name for r in results if r.blocks] == []

    con = connect(lake)
    try:
        queries = named_queries((REPO / "docs" / "queries.sql").read_text())
        assert len(queries) == 10
        outputs = {name: fetch_arrow(con, sql) for name, sql in queries.items()}
        move_rows = fetch_arrow(con, "SELECT count(*) AS n FROM moves").column("n")[0].as_py()
        from_moves = fetch_arrow(con, "SELECT config, type, count(*) AS n FROM moves GROUP BY ALL ORDER BY ALL")
        placements = fetch_arrow(con, "SELECT config, count, count(*) AS n FROM moves WHERE type = 'place_ring' "
                                      "GROUP BY ALL ORDER BY ALL")
    finally:
        con.close()
    assert move_rows == report.moves_added
    assert outputs["game_length_distribution"].num_rows == 2
    wins = outputs["win_rate_by_seat"]
    assert pc.sum(wins.column("wins")).as_py() == 59
    mix = outputs["move_type_mix"]
    assert pc.sum(mix.column("moves")).as_py() == report.moves_added
    assert "place_ring" in mix.column("type").to_pylist()
    from_summary = sorted((r["config"], r["type"], r["moves"]) for r in mix.to_pylist())
    assert from_summary == [(r["config"], r["type"], r["n"]) for r in from_moves.to_pylist()]
    summary_placements = {(r["config"], r["rings_placed"]): r["placements"]
                          for r in outputs["placement_count_mix"].to_pylist() if r["placements"]}
    assert summary_placements == {(r["config"], r["count"]): r["n"] for r in placements.to_pylist()}


def test_move_type_fields_cover_the_engine_move_types():
    from engine.moves import MOVE_TYPES

    from ringrift_lake.schemas import MOVE_TYPE_FIELDS

    assert set(MOVE_TYPES) == set(MOVE_TYPE_FIELDS) - {"other"}


def test_second_run_changes_nothing_and_increments_read_only_new_games(lake):
    rows = reference_rows("square8_2p")
    write(lake, rows[:10])
    first = consolidate(lake, workers=1)
    assert first.games_added == 10
    before, before_counts = versions(lake), counts(lake)

    again = consolidate(lake, workers=1)
    assert again.files_read == 0 and again.games_added == 0
    assert versions(lake) == before and counts(lake) == before_counts

    write(lake, rows[10:15] + rows[:3])          # five new games and three re-sent copies
    third = consolidate(lake, workers=1)
    assert third.games_read == 8
    assert third.games_added == 5 and third.duplicates_skipped == 3 and third.quarantined == {}
    games = tables.read(lake, "games", columns=["game_id", "ingest_seq"])
    assert games.num_rows == 15
    assert sorted(games.column("ingest_seq").to_pylist()) == list(range(1, 16))
    new_seqs = [s for g, s in zip(games.column("game_id").to_pylist(), games.column("ingest_seq").to_pylist())
                if g in {r["game_id"] for r in rows[10:15]}]
    assert min(new_seqs) == 11


def test_config_scope_leaves_other_configs_pending(local_lake):
    write(local_lake, reference_rows("square8_2p", 4) + reference_rows("hex8_2p", 3))
    only = consolidate(local_lake, configs=["hex8_2p"], workers=1)
    assert only.games_added == 3
    rest = consolidate(local_lake, workers=1)
    assert rest.games_read == 4 and rest.games_added == 4
    assert consolidate(local_lake, workers=1).files_read == 0


def test_cli_consolidate_check_sql_status(local_lake, lake_env, tmp_path):
    write(local_lake, reference_rows("square8_2p", 6))

    def cli(*args):
        return subprocess.run([sys.executable, "-m", "cli", *args], env=lake_env, cwd=REPO,
                              capture_output=True, text=True, timeout=600)

    done = cli("consolidate")
    assert done.returncode == 0, done.stderr
    assert "games added      6" in done.stdout
    check = cli("check")
    assert check.returncode == 0, check.stdout + check.stderr
    assert "unique_game_id" in check.stdout and "FAIL" not in check.stdout
    out = tmp_path / "wins.csv"
    sql = cli("sql", "SELECT config, count(*) AS n FROM games GROUP BY config", "--format", "csv",
              "--output", str(out))
    assert sql.returncode == 0, sql.stderr
    assert out.read_text().splitlines() == ['"config","n"', '"square8_2p",6']
    named = cli("sql", "--file", "docs/queries.sql", "--name", "win_rate_by_seat", "--format", "json")
    assert named.returncode == 0, named.stderr
    assert sum(row["wins"] for row in json.loads(named.stdout)) == 6
    parquet = tmp_path / "moves.parquet"
    assert cli("sql", "SELECT * FROM moves", "--format", "parquet", "--output", str(parquet)).returncode == 0
    assert pq.read_table(parquet).num_rows == sum(r["num_moves"] for r in reference_rows("square8_2p", 6))
    status = cli("status")
    assert status.returncode == 0, status.stderr
    assert "square8_2p" in status.stdout and "consolidated up to" in status.stdout

    tables.append(local_lake, "moves", tables.read(local_lake, "moves").slice(0, 1))   # a duplicate move row
    failing = cli("check", "--rows", "2")
    assert failing.returncode == 1
    assert "moves_numbered" in failing.stdout and "move_count_matches" in failing.stdout
