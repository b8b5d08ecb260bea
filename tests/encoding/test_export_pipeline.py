"""Export of games that went through the real pipeline: import (reference JSONL, legacy SQLite)
-> raw_games -> consolidate -> games/moves -> export."""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from reference_lake import REFERENCE_GAMES, put_games, reference_records
from ringrift_lake import tables
from ringrift_lake.consolidate.run import consolidate
from ringrift_lake.export import Window, export_dataset
from ringrift_lake.export.encode_games import encode_games
from ringrift_lake.export.select import select
from ringrift_lake.location import Lake
from ringrift_lake.ingest.importer import import_files
from test_export import _load_shards, check_shard

LEGACY_DB = Path(REFERENCE_GAMES).parent / "legacy-sqlite" / "selfplay_square8_2p_heuristic.db"


def test_reference_games_imported_and_consolidated(local_lake, tmp_path):
    import_files(local_lake, [str(REFERENCE_GAMES / "hex8_2p.jsonl.gz")])
    consolidate(local_lake, ["hex8_2p"], workers=1)
    games = tables.read(local_lake, "games", columns=["ingest_seq", "num_moves"]).to_pylist()
    assert len(games) == len(reference_records("hex8_2p"))
    row = export_dataset(local_lake, "hex8_2p", Window(newest_games=10), workers=1)
    (arrays,) = _load_shards(local_lake, row, tmp_path)
    check_shard(arrays, "hex8", 2)
    newest = sorted(games, key=lambda g: g["ingest_seq"])[-10:]
    assert row["sample_count"] == arrays["planes_nchw"].shape[0] == sum(g["num_moves"] for g in newest)
    assert row["min_ingest_seq"] == newest[0]["ingest_seq"]


@pytest.mark.skipif(not LEGACY_DB.exists(), reason="legacy fixture missing")
def test_legacy_games_export_with_their_recorded_winner(local_lake, tmp_path):
    import_files(local_lake, [str(LEGACY_DB)])
    consolidate(local_lake, ["square8_2p"], workers=1)
    games = tables.read(local_lake, "games", columns=["winner", "validation_mode", "ingest_seq"]).to_pylist()
    assert games and {g["validation_mode"] for g in games} == {"legacy"}
    row = export_dataset(local_lake, "square8_2p", Window(newest_games=20), workers=1)
    (arrays,) = _load_shards(local_lake, row, tmp_path)
    check_shard(arrays, "square8", 2)
    window = json.loads(row["window"])
    assert window["newest_games"] == 20 and row["game_count"] == min(20, len(games))
    assert np.all(np.abs(arrays["value_n"]) == 1.0)


def test_typed_move_columns_give_the_same_samples_as_the_move_json(local_lake, tmp_path):
    """Consolidated moves carry typed columns (plain moves skip JSON parsing); a lake whose moves
    rows lack them encodes from the JSON. Both must give identical arrays."""
    import_files(local_lake, [str(REFERENCE_GAMES / "square8_3p.jsonl.gz")])
    consolidate(local_lake, ["square8_3p"], workers=1)
    json_only = Lake.at(str(tmp_path / "json-only"))
    records = reference_records("square8_3p")[:4]
    put_games(json_only, "square8_3p", records)
    typed = {g.game_id: g for g in select(local_lake, "square8_3p", Window()).games}
    plain = select(json_only, "square8_3p", Window()).games
    assert any(isinstance(m, tuple) and m[0] == "place_ring" for m in typed[plain[0].game_id].moves)
    assert not any(isinstance(m, tuple) and m[0] == "place_ring" for m in plain[0].moves)
    for game in plain:
        from_typed = encode_games("square8", 3, [typed[game.game_id]])
        from_json = encode_games("square8", 3, [game])
        for name, array in from_json.items():
            assert np.array_equal(from_typed[name], array), (game.game_id, name)
