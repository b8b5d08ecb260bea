"""The real loop up to a candidate: selfplay -> raw_games -> consolidate -> export -> train -> PolicyAgent plays."""
from __future__ import annotations

import json

from engine import play_game
from engine.agents import RandomAgent
from ringrift_lake import tables
from ringrift_lake.consolidate.run import consolidate
from ringrift_lake.export import Window, export_dataset
from training.play import run_selfplay
from training.policy_agent import PolicyAgent
from training.train import main

TINY = ["--epochs", "2", "--channels", "8", "--blocks", "1", "--batch-size", "64", "--warmup-steps", "2",
        "--val-fraction", "0.25", "--device", "cpu"]


def test_train_on_an_exported_dataset_and_play_with_the_candidate(local_lake, capsys):
    run_selfplay(local_lake, "square8_2p", games=8, player="heuristic", workers=0, seed=11, progress=False)
    consolidate(local_lake, ["square8_2p"], workers=1)
    dataset = export_dataset(local_lake, "square8_2p", Window(), workers=1)
    assert main(["--config", "square8_2p", *TINY]) == 0
    summary = json.loads(capsys.readouterr().out)
    [row] = tables.read(local_lake, "models").to_pylist()
    assert row["dataset_id"] == summary["dataset_id"] == dataset["dataset_id"]
    assert row["encoder_version"] == dataset["encoder_version"]
    metrics = json.loads(row["metrics"])
    assert metrics["train_positions"] + metrics["val_positions"] == dataset["sample_count"]
    agent = PolicyAgent.from_checkpoint(local_lake, row["model_id"], seed=1)
    played = play_game("square8", 2, [agent, RandomAgent(seed=2)], seed=3, max_moves=400)
    assert played.num_moves > 0
