"""`ringrift-lake train` end to end on shard files and lake datasets: checkpoint, models row, exit codes."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import datetime, timedelta, timezone

import pytest

from ringrift_lake import tables
from training import checkpoint
from training.train import main
from shard_files import add_dataset_row, write_encoder_shaped_shard

TINY = ["--epochs", "1", "--channels", "8", "--blocks", "1", "--batch-size", "64", "--warmup-steps", "2",
        "--val-fraction", "0.2", "--device", "cpu"]


def lake_shards(lake, config, count=2, n=200, seed=0, num_players=2):
    board = config.split("_")[0]
    folder = os.path.join(lake.root, "shards", config)
    os.makedirs(folder, exist_ok=True)
    return [write_encoder_shaped_shard(os.path.join(folder, f"s{seed}-{i}.npz"), board, n, 1000 * i + seed, seed + i,
                                       num_players) for i in range(count)]


def models_rows(lake):
    return tables.read(lake, "models").to_pylist()


def test_train_on_the_newest_dataset_writes_checkpoint_and_candidate_row(local_lake, capsys):
    old = lake_shards(local_lake, "square8_2p", seed=1)
    add_dataset_row(local_lake, "square8_2p", old, "ds-old", datetime.now(timezone.utc) - timedelta(hours=1))
    add_dataset_row(local_lake, "square8_2p", lake_shards(local_lake, "square8_2p", seed=2), "ds-new")
    assert main(["--config", "square8_2p", *TINY]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["dataset_id"] == "ds-new" and summary["device"] == "cpu"
    [row] = models_rows(local_lake)
    assert row["model_id"] == summary["model_id"] and row["status"] == "candidate"
    assert row["dataset_id"] == "ds-new" and row["parent_model_id"] is None
    metrics = json.loads(row["metrics"])
    for key in ("train_loss", "val_loss", "val_policy_accuracy", "samples_per_s"):
        assert isinstance(metrics[key], float), key
    loaded = checkpoint.load(local_lake, row["model_id"], expect_board="square8")
    assert loaded.meta["weights_sha256"] == row["sha256"] and loaded.meta["dataset_id"] == "ds-new"
    assert json.loads(row["architecture"]) == loaded.meta["architecture"]
    assert main(["--config", "square8_2p", "--dataset", "ds-old", *TINY, "--no-register"]) == 0
    assert len(models_rows(local_lake)) == 1


def test_a_tampered_shard_fails_the_run_and_registers_nothing(local_lake, capsys):
    shards = lake_shards(local_lake, "square8_2p")
    add_dataset_row(local_lake, "square8_2p", shards, "ds-1")
    with open(shards[0]["uri"], "r+b") as f:
        f.seek(-3, os.SEEK_END)
        f.write(b"\x00\x01\x02")
    assert main(["--config", "square8_2p", *TINY]) == 1
    assert "does not match the datasets row" in capsys.readouterr().err
    assert models_rows(local_lake) == []


def test_no_dataset_is_exit_status_1_through_the_cli(local_lake, lake_env):
    proc = subprocess.run([sys.executable, "-m", "cli", "train", "--config", "hex8_2p", *TINY],
                          env=lake_env, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 1
    assert "no datasets for hex8_2p" in proc.stderr


def test_bad_arguments_are_exit_status_2():
    with pytest.raises(SystemExit) as exc:
        main(["--config", "square8_2p", "--epochs", "many"])
    assert exc.value.code == 2


def test_init_transfers_2p_to_3p_and_refuses_another_board(local_lake, capsys):
    two = lake_shards(local_lake, "square8_2p", seed=3)
    assert main(["--config", "square8_2p", "--shards", *[s["uri"] for s in two], *TINY]) == 0
    parent = json.loads(capsys.readouterr().out)["model_id"]
    add_dataset_row(local_lake, "square8_3p", lake_shards(local_lake, "square8_3p", seed=4, num_players=3), "ds-3p")
    assert main(["--config", "square8_3p", "--init", parent, *TINY]) == 0
    child = json.loads(capsys.readouterr().out)
    assert child["parent_model_id"] == parent
    meta = checkpoint.read_meta(local_lake, child["model_id"])
    assert meta["architecture"]["num_players"] == 3 and meta["parent_model_id"] == parent
    add_dataset_row(local_lake, "hex8_2p", lake_shards(local_lake, "hex8_2p", seed=5), "ds-hex")
    assert main(["--config", "hex8_2p", "--init", parent, *TINY]) == 1
    assert "cannot be transferred across boards" in capsys.readouterr().err


@pytest.mark.s3
def test_training_from_an_s3_lake(s3_lake, tmp_path, monkeypatch, capsys):
    import pyarrow.fs as pafs

    monkeypatch.setenv("RINGRIFT_SHARD_CACHE", str(tmp_path / "cache"))
    local = [write_encoder_shaped_shard(tmp_path / f"s{i}.npz", "square8", 200, 1000 * i, i) for i in range(2)]
    fs = s3_lake.filesystem()
    for shard in local:
        rel = f"shards/square8_2p/{os.path.basename(shard['uri'])}"
        fs.create_dir("shards/square8_2p", recursive=True)
        pafs.copy_files(shard["uri"], rel, destination_filesystem=fs)
        shard["uri"] = s3_lake.uri(rel)
    add_dataset_row(s3_lake, "square8_2p", local, "ds-s3")
    assert main(["--config", "square8_2p", *TINY]) == 0
    model_id = json.loads(capsys.readouterr().out)["model_id"]
    assert checkpoint.load(s3_lake, model_id).meta["dataset_id"] == "ds-s3"
    assert sorted(os.listdir(tmp_path / "cache")) == sorted(f"{s['sha256']}.npz" for s in local)
