"""Consolidations started together (2, then 4 processes) add every new game once, on a local and an S3 lake;
``repair_duplicates`` removes the duplicates overlapping runs of an older version left behind."""
from __future__ import annotations

import pyarrow as pa
import pyarrow.compute as pc
import pytest

from ringrift_lake import tables
from ringrift_lake.checks import run_checks
from ringrift_lake.consolidate import consolidate, repair_duplicates

from concurrent_runs import run_together
from consolidate_rows import altered, reference_rows, write


def _batches():
    square, hexes, square3 = (reference_rows(c) for c in ("square8_2p", "hex8_2p", "square8_3p"))
    bad = [altered(row, f"bad-winner-{i}", winner=3 - row["winner"]) for i, row in ((1, square[0]), (2, hexes[0]))]
    base = square[:10]
    first = square[10:30] + hexes[:20] + [bad[0]]              # 40 new games and one to quarantine
    second = hexes[20:30] + square3[:30] + [bad[1]]            # 40 more (another config too)
    return base, first, second


def _assert_consolidated_once(lake, expected_ids: set[str], bad_ids: set[str]) -> None:
    games = tables.read(lake, "games", columns=["game_id", "num_moves", "ingest_seq"])
    ids = games.column("game_id").to_pylist()
    assert len(ids) == len(set(ids)) == len(expected_ids) and set(ids) == expected_ids   # none twice, none lost
    assert sorted(games.column("ingest_seq").to_pylist()) == list(range(1, len(ids) + 1))
    moves = tables.read(lake, "moves", columns=["game_id", "ply"])
    assert moves.num_rows == pc.sum(games.column("num_moves")).as_py()                  # moves counted once
    assert moves.group_by(["game_id", "ply"]).aggregate([]).num_rows == moves.num_rows
    quarantine = tables.read(lake, "quarantine", columns=["game_id", "reason"]).to_pylist()
    assert sorted((q["game_id"], q["reason"]) for q in quarantine) == sorted((b, "result_mismatch") for b in bad_ids)
    assert [r.name for r in run_checks(lake) if r.blocks] == []


def test_two_then_four_concurrent_consolidations_add_each_game_once(lake):
    base, first, second = _batches()
    write(lake, base)
    consolidate(lake, workers=1)
    expected = {r["game_id"] for r in base}

    write(lake, first)
    reports = run_together(2)
    expected |= {r["game_id"] for r in first if not r["game_id"].startswith("bad")}
    _assert_consolidated_once(lake, expected, {"bad-winner-1"})
    assert sum(r["games_added"] for r in reports) == 40

    write(lake, second)
    reports = run_together(4)
    expected |= {r["game_id"] for r in second if not r["game_id"].startswith("bad")}
    _assert_consolidated_once(lake, expected, {"bad-winner-1", "bad-winner-2"})
    assert sum(r["games_added"] for r in reports) == 40
    assert sum(r["moves_added"] for r in reports) == sum(r["num_moves"] for r in second[:-1])

    again = consolidate(lake, workers=1)
    assert again.files_read == 0
    assert repair_duplicates(lake).removed == 0


def _copies(lake, name: str, game_ids: list[str], **changes) -> pa.Table:
    rows = tables.read(lake, name, filter=pc.field("game_id").isin(game_ids))
    for column, values in changes.items():
        index = rows.schema.get_field_index(column)
        rows = rows.set_column(index, rows.schema.field(column), values(rows))
    return rows


def test_repair_removes_planted_exact_duplicates_and_reports_them(local_lake):
    base, first, _ = _batches()
    write(local_lake, base + first)
    consolidate(local_lake, workers=1)
    clean = {name: tables.read(local_lake, name).num_rows for name in ("games", "moves", "quarantine")}
    ids = sorted(tables.read(local_lake, "games", columns=["game_id"]).column("game_id").to_pylist())
    twice, conflicting = ids[:3], ids[3]
    top = pc.max(tables.read(local_lake, "games", columns=["ingest_seq"]).column("ingest_seq")).as_py()
    # what two overlapping runs of an older version left: the same games numbered again, their moves again
    tables.append(local_lake, "games", _copies(local_lake, "games", twice, ingest_seq=lambda t: pa.array(
        range(top + 1, top + 1 + t.num_rows), pa.int64())))
    tables.append(local_lake, "moves", _copies(local_lake, "moves", twice))
    tables.append(local_lake, "quarantine", _copies(local_lake, "quarantine", ["bad-winner-1"]))
    tables.append(local_lake, "games", _copies(local_lake, "games", [conflicting], content_hash=lambda t: pa.array(
        [7] * t.num_rows, pa.int64()), ingest_seq=lambda t: pa.array([top + 10], pa.int64())))
    planted_moves = _copies(local_lake, "moves", twice).num_rows // 2
    assert "unique_game_id" in [r.name for r in run_checks(local_lake) if r.blocks]

    report = repair_duplicates(local_lake)

    assert report.tables["games"].removed == 3 and report.tables["games"].games == twice
    assert report.tables["games"].conflicts == [conflicting]
    assert report.tables["moves"].removed == planted_moves and report.tables["moves"].games == twice
    assert report.tables["quarantine"].removed == 1
    assert "removed 3 duplicate rows of 3 games" in report.render() and conflicting in report.render()
    assert tables.read(local_lake, "moves").num_rows == clean["moves"]
    assert tables.read(local_lake, "quarantine").num_rows == clean["quarantine"]
    games = tables.read(local_lake, "games", columns=["game_id", "ingest_seq"])
    assert games.num_rows == clean["games"] + 1                     # the conflicting copy stays
    kept = {g["game_id"]: g["ingest_seq"] for g in games.to_pylist() if g["game_id"] in twice}
    assert max(kept.values()) <= top                                 # the first-numbered copy stays
    assert repair_duplicates(local_lake).removed == 0


def test_consolidate_repair_reports_and_removes_duplicates(local_lake, capsys):
    from cli import main as cli_main

    base, _, _ = _batches()
    write(local_lake, base)
    consolidate(local_lake, workers=1)
    ids = sorted(tables.read(local_lake, "games", columns=["game_id"]).column("game_id").to_pylist())[:2]
    tables.append(local_lake, "games", _copies(local_lake, "games", ids, ingest_seq=lambda t: pa.array(
        [100, 101], pa.int64())))
    tables.append(local_lake, "moves", _copies(local_lake, "moves", ids))

    assert cli_main(["consolidate", "--repair"]) == 0
    out = capsys.readouterr().out
    assert "repair games       removed 2 duplicate rows of 2 games" in out
    moves = _copies(local_lake, "moves", ids).num_rows
    assert f"repair moves       removed {moves} duplicate rows of 2 games" in out
    assert "nothing new in raw_games" in out
    assert [r.name for r in run_checks(local_lake) if r.blocks] == []
