"""`export_dataset` / `rebuild_dataset` / `ringrift-lake export` on real Delta tables of reference games."""
from __future__ import annotations

import hashlib
import json

import numpy as np
import pyarrow.compute as pc
import pytest

from reference_lake import put_games, reference_records
from ringrift_lake import tables
from cli import main as cli_main
from ringrift_lake.encoding import ENCODER_VERSION, encoder_for
from ringrift_lake.export import Window, export_dataset, rebuild_dataset, verify_dataset
from ringrift_lake.encoding.planes import PLANE_UNITS
from ringrift_lake.export.encode_games import ExportError
from ringrift_lake.export.shard_format import SHARD_ARRAYS
from ringrift_lake.export.select import SelectionError, select

DTYPES = {"planes_nchw": np.uint8, "globals_nf": np.float32, "policy_offsets": np.int64,
          "policy_indices": np.int32, "policy_probs": np.float32, "values_nseat": np.float32,
          "value_n": np.float32, "player_to_move_n": np.int8, "game_key_n": np.int64, "ply_n": np.int32,
          "legal_offsets": np.int64, "legal_indices": np.int32}


def _shard_bytes(lake, uri: str) -> bytes:
    with lake.filesystem().open_input_stream(uri[len(lake.root) + 1:]) as f:
        return f.read()


def _load_shards(lake, row, tmp_path):
    arrays = []
    for k, shard in enumerate(json.loads(row["shards"])):
        data = _shard_bytes(lake, shard["uri"])
        assert hashlib.sha256(data).hexdigest() == shard["sha256"]
        path = tmp_path / f"shard{k}.npz"
        path.write_bytes(data)
        with np.load(path) as z:
            arrays.append({name: z[name] for name in z.files})
        assert arrays[-1]["planes_nchw"].shape[0] == shard["samples"]
    return arrays


def replayed_legal_moves(record: dict):
    """(pre-move state, its legal moves) at every ply of a reference game."""
    from engine import apply_move, geometry_for, legal_moves, move_from_json, new_game
    from reference_lake import replay_options

    state = new_game(record["boardType"], record["numPlayers"], replay_options(record))
    for data in record["moves"]:
        yield state, legal_moves(state)
        apply_move(state, move_from_json(data, geometry_for(record["boardType"])))


def check_shard(arrays: dict, board: str, num_players: int) -> None:
    encoder = encoder_for(board)
    n = arrays["planes_nchw"].shape[0]
    assert set(arrays) == set(SHARD_ARRAYS)
    for name, dtype in DTYPES.items():
        assert arrays[name].dtype == dtype, name
    assert arrays["planes_nchw"].shape == (n,) + encoder.planes_chw
    assert arrays["globals_nf"].shape == (n, encoder.global_size)
    assert arrays["planes_nchw"].max() <= PLANE_UNITS                       # eighths of [0, 1]
    assert 0.0 <= arrays["globals_nf"].min() and arrays["globals_nf"].max() <= 1.0
    offsets = arrays["policy_offsets"]
    assert offsets.shape == (n + 1,) and offsets[0] == 0 and offsets[-1] == len(arrays["policy_indices"])
    assert np.all(np.diff(offsets) >= 1)
    sums = np.add.reduceat(arrays["policy_probs"], offsets[:-1])
    assert np.allclose(sums, 1.0, atol=1e-5)
    assert arrays["policy_indices"].min() >= 0 and arrays["policy_indices"].max() < encoder.action_space.size
    legal_offsets, legal = arrays["legal_offsets"], arrays["legal_indices"]
    assert legal_offsets.shape == (n + 1,) and legal_offsets[0] == 0 and legal_offsets[-1] == len(legal)
    for i in range(n):                          # sorted, distinct, inside the space, the targets among them
        mine = legal[legal_offsets[i]:legal_offsets[i + 1]]
        assert len(mine) >= 1 and np.all(np.diff(mine) > 0) and mine[-1] < encoder.action_space.size
        assert np.isin(arrays["policy_indices"][offsets[i]:offsets[i + 1]], mine).all()
    values = arrays["values_nseat"]
    assert values.shape == (n, 4) and np.all(np.abs(values) <= 1.0)
    assert np.all(values[:, num_players:] == 0) and np.array_equal(arrays["value_n"], values[:, 0])
    assert np.allclose(values[:, :num_players].sum(axis=1), 0.0, atol=1e-6)      # ranks are symmetric
    assert set(np.unique(arrays["player_to_move_n"])) <= set(range(1, num_players + 1))
    assert np.all(arrays["game_key_n"] >= 0) and np.all(arrays["ply_n"] >= 1)


def test_export_writes_valid_shards_and_a_datasets_row(square8_lake, tmp_path):
    records = reference_records("square8_2p")[:6]
    row = export_dataset(square8_lake, "square8_2p", Window(), workers=1, shard_samples=300)
    assert row["encoder_version"] == ENCODER_VERSION and row["game_count"] == 6
    assert row["sample_count"] == sum(len(r["moves"]) for r in records)
    assert json.loads(row["source_versions"]) == {"games": tables.version(square8_lake, "games"),
                                                  "moves": tables.version(square8_lake, "moves")}
    assert (row["min_ingest_seq"], row["max_ingest_seq"]) == (1, 6)
    shards = _load_shards(square8_lake, row, tmp_path)
    assert len(shards) > 1 and sum(len(s["ply_n"]) for s in shards) == row["sample_count"]
    for arrays in shards:
        check_shard(arrays, "square8", 2)
    plies = np.concatenate([s["ply_n"] for s in shards])
    assert np.array_equal(plies[:len(records[0]["moves"])], np.arange(1, len(records[0]["moves"]) + 1))
    first = shards[0]                           # its first samples are game 1's plies: the engine's legal moves
    for ply, (state, legal) in enumerate(replayed_legal_moves(records[0])):
        expected = sorted({encoder_for("square8").action_space.encode_move(state, m) for m in legal})
        assert first["legal_indices"][first["legal_offsets"][ply]:first["legal_offsets"][ply + 1]].tolist() == expected
    stored = tables.read(square8_lake, "datasets", filter=pc.field("dataset_id") == row["dataset_id"]).to_pylist()
    assert len(stored) == 1 and stored[0]["sample_count"] == row["sample_count"]
    assert verify_dataset(square8_lake, "square8_2p") == []


def test_three_player_hex_export(square8_lake, tmp_path):
    row = export_dataset(square8_lake, "hex8_3p", Window(newest_games=2), workers=1)
    (arrays,) = _load_shards(square8_lake, row, tmp_path)
    check_shard(arrays, "hex8", 3)
    assert row["game_count"] == 2 and (row["min_ingest_seq"], row["max_ingest_seq"]) == (8, 9)


def test_windows_select_by_ingest_seq(square8_lake):
    moves = [len(r["moves"]) for r in reference_records("square8_2p")[:6]]
    newest = select(square8_lake, "square8_2p", Window(newest_games=2))
    assert [g.ingest_seq for g in newest.games] == [5, 6]
    by_samples = select(square8_lake, "square8_2p", Window(newest_samples=moves[5] + 1))
    assert [g.ingest_seq for g in by_samples.games] == [5, 6]
    where = select(square8_lake, "square8_2p", Window(where="ingest_seq BETWEEN 2 AND 4"))
    assert [g.ingest_seq for g in where.games] == [2, 3, 4]
    both = select(square8_lake, "square8_2p", Window(newest_games=1, where="ingest_seq < 4"))
    assert [g.ingest_seq for g in both.games] == [3]
    by_source = select(square8_lake, "square8_2p", Window(where="source = 'import:reference' AND ingest_seq > 4"))
    assert [g.ingest_seq for g in by_source.games] == [5, 6]
    with pytest.raises(SelectionError):
        select(square8_lake, "square8_2p", Window(where="ingest_seq > 100"))


def test_rebuild_from_recorded_versions_is_byte_identical(square8_lake):
    row = export_dataset(square8_lake, "square8_2p", Window(newest_games=3), workers=1, shard_samples=250)
    put_games(square8_lake, "square8_2p", reference_records("square8_2p")[6:8])    # the tables move on
    report = rebuild_dataset(square8_lake, row["dataset_id"], workers=1)
    assert report.identical and len(report.shards) == len(json.loads(row["shards"])) > 1
    first = json.loads(row["shards"])[0]
    square8_lake.filesystem().delete_file(first["uri"][len(square8_lake.root) + 1:])
    assert verify_dataset(square8_lake, "square8_2p") != []
    restored = rebuild_dataset(square8_lake, row["dataset_id"], workers=1, restore=True)
    assert restored.restored == [first["uri"]]
    assert hashlib.sha256(_shard_bytes(square8_lake, first["uri"])).hexdigest() == first["sha256"]
    assert verify_dataset(square8_lake, "square8_2p") == []


def test_worker_processes_write_the_same_bytes(square8_lake):
    one = export_dataset(square8_lake, "square8_2p", Window(), workers=1, shard_samples=400)
    two = export_dataset(square8_lake, "square8_2p", Window(), workers=2, shard_samples=400)
    assert [s["sha256"] for s in json.loads(one["shards"])] == [s["sha256"] for s in json.loads(two["shards"])]


@pytest.mark.parametrize("workers", [1, 2])
def test_an_interrupted_export_leaves_no_row_and_no_shard(square8_lake, workers):
    def fail_after_first(result, n_shards):
        raise KeyboardInterrupt("stopped after the first shard")

    with pytest.raises(KeyboardInterrupt):
        export_dataset(square8_lake, "square8_2p", Window(), workers=workers, shard_samples=300,
                       on_shard=fail_after_first)
    assert tables.read(square8_lake, "datasets").num_rows == 0
    from pyarrow.fs import FileSelector

    infos = square8_lake.filesystem().get_file_info(FileSelector("shards", recursive=True, allow_not_found=True))
    assert [i.path for i in infos if i.type.name == "File"] == []


def test_search_visits_become_the_policy_target(local_lake, tmp_path):
    record = reference_records("square8_2p")[0]
    put_games(local_lake, "square8_2p", [record], visits=lambda r, ply: '{"371": 3, "2163": 1}' if ply == 2 else None)
    row = export_dataset(local_lake, "square8_2p", workers=1)
    (arrays,) = _load_shards(local_lake, row, tmp_path)
    start, end = arrays["policy_offsets"][1:3]
    assert arrays["policy_indices"][start:end].tolist() == [371, 2163]            # two legal moves of ply 2
    assert arrays["policy_probs"][start:end].tolist() == [0.75, 0.25]
    assert arrays["policy_offsets"][3] - arrays["policy_offsets"][2] == 1


def test_search_visits_on_an_illegal_move_fail_the_export_naming_game_and_ply(local_lake):
    record = reference_records("square8_2p")[0]
    put_games(local_lake, "square8_2p", [record], visits=lambda r, ply: '{"371": 3, "5": 1}' if ply == 2 else None)
    with pytest.raises(ExportError, match=r"ply 2: search visits on indices that are not legal moves there: \[5\]"):
        export_dataset(local_lake, "square8_2p", workers=1)
    assert tables.read(local_lake, "datasets").num_rows == 0


def test_export_on_local_and_s3_lakes(lake, tmp_path):
    put_games(lake, "square8_2p", reference_records("square8_2p")[:2])
    row = export_dataset(lake, "square8_2p", workers=1)
    assert row["shards"].count(lake.root) == 1
    (arrays,) = _load_shards(lake, row, tmp_path)
    check_shard(arrays, "square8", 2)
    assert rebuild_dataset(lake, row["dataset_id"], workers=1).identical


def test_cli_exit_codes(square8_lake, capsys):
    root = square8_lake.root
    assert cli_main(["export", "--lake", root, "--config", "square8_2p", "--newest-games", "2", "--workers", "1"]) == 0
    dataset_id = capsys.readouterr().out.split()[1].rstrip(":")
    assert cli_main(["export", "--lake", root, "--rebuild", dataset_id, "--workers", "1"]) == 0
    assert "byte-identical" in capsys.readouterr().out
    assert cli_main(["export", "--lake", root, "--config", "square8_9p"]) == 1
    assert "square8_9p" in capsys.readouterr().err
    assert cli_main(["export", "--lake", root, "--config", "hex8_2p"]) == 1          # no games of that config
    assert "no hex8_2p games" in capsys.readouterr().err
    assert cli_main(["export", "--lake", root]) == 2
    assert cli_main(["export", "--lake", root, "--rebuild", "no-such-dataset"]) == 1
    assert "no-such-dataset" in capsys.readouterr().err
