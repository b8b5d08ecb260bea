"""ingest_seq stays unique and increasing when two runs numbered their games from the same snapshot."""
from __future__ import annotations

import pyarrow.compute as pc

from ringrift_lake import tables
from ringrift_lake.consolidate import consolidate
from ringrift_lake.consolidate.commit import TableCursor
from ringrift_lake.consolidate.sequence import append_numbered
from ringrift_lake.location import Lake

from consolidate_rows import reference_rows, write


def _games(tmp_path, config: str, n: int, name: str):
    """games rows as a real run builds them, from a scratch lake."""
    scratch = Lake.at(str(tmp_path / name))
    write(scratch, reference_rows(config, n))
    consolidate(scratch, workers=1)
    return tables.read(scratch, "games")


def test_a_run_that_lost_the_race_renumbers_above_the_winner(tmp_path, local_lake):
    square = _games(tmp_path, "square8_2p", 4, "a")
    hexes = _games(tmp_path, "hex8_2p", 3, "b")
    seed = _games(tmp_path, "square8_3p", 2, "c")
    assert append_numbered(TableCursor.create(local_lake, "games"), seed, None).attempts == 1

    # two runs read the same snapshot (max ingest_seq 2) and both number from 3
    first, second = TableCursor.open(local_lake, "games"), TableCursor.open(local_lake, "games")
    assert append_numbered(first, square, 2).attempts == 1             # committed first: keeps 3..6
    lost = append_numbered(second, hexes, 2)                           # its version was taken: renumbered
    assert lost.attempts == 2 and lost.version == first.version + 1
    assert lost.added.column("ingest_seq").to_pylist() == [7, 8, 9] and lost.identical == []

    games = tables.read(local_lake, "games", columns=["game_id", "config", "ingest_seq"]).to_pylist()
    seqs = sorted(g["ingest_seq"] for g in games)
    assert seqs == list(range(1, 10))
    by_config = {}
    for g in games:
        by_config.setdefault(g["config"], []).append(g["ingest_seq"])
    assert sorted(by_config["square8_2p"]) == [3, 4, 5, 6]
    assert sorted(by_config["hex8_2p"]) == [7, 8, 9]
    assert pc.count_distinct(tables.read(local_lake, "games").column("game_id")).as_py() == 9


def test_a_game_another_run_committed_meanwhile_is_not_added_again(tmp_path, local_lake):
    square = _games(tmp_path, "square8_2p", 4, "a")
    first, second = TableCursor.create(local_lake, "games"), TableCursor.create(local_lake, "games")
    append_numbered(first, square.slice(0, 3), None)
    late = append_numbered(second, square, None)           # checked against an empty table, 3 of 4 now there
    assert sorted(late.identical) == sorted(square.column("game_id").to_pylist()[:3])
    assert late.added.column("ingest_seq").to_pylist() == [4]
    games = tables.read(local_lake, "games", columns=["game_id", "ingest_seq"])
    assert sorted(games.column("ingest_seq").to_pylist()) == [1, 2, 3, 4]
    assert pc.count_distinct(games.column("game_id")).as_py() == games.num_rows == 4
