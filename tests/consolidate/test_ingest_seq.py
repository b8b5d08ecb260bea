"""ingest_seq stays unique and increasing when two runs numbered their games from the same snapshot."""
from __future__ import annotations

import pyarrow.compute as pc

from ringrift_lake import tables
from ringrift_lake.consolidate import consolidate
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
    assert append_numbered(local_lake, seed, 1, None) == 0
    snapshot = tables.version(local_lake, "games")

    # two runs read the same snapshot (max ingest_seq 2) and both number from 3
    assert append_numbered(local_lake, square, 3, snapshot) == 0       # committed first: keeps 3..6
    assert append_numbered(local_lake, hexes, 3, snapshot) == 1        # collided: renumbered once

    games = tables.read(local_lake, "games", columns=["game_id", "config", "ingest_seq"]).to_pylist()
    seqs = sorted(g["ingest_seq"] for g in games)
    assert seqs == list(range(1, 10))
    by_config = {}
    for g in games:
        by_config.setdefault(g["config"], []).append(g["ingest_seq"])
    assert sorted(by_config["square8_2p"]) == [3, 4, 5, 6]
    assert sorted(by_config["hex8_2p"]) == [7, 8, 9]
    assert pc.count_distinct(tables.read(local_lake, "games").column("game_id")).as_py() == 9
