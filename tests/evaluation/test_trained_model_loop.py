"""The whole loop on square8 2p with a really trained (tiny) policy model: selfplay -> consolidate -> export ->
train -> evaluate -> elo -> promote. Minutes of CPU, so marked slow (`make test-slow`)."""
from __future__ import annotations

import json

import pytest

from ringrift_lake import tables
from cli import main as cli
from ringrift_lake.promotion.registry import config_rows

CONFIG = "square8_2p"


@pytest.mark.slow
def test_trained_policy_goes_through_evaluate_elo_promote(local_lake, capsys):
    lake = local_lake
    assert cli(["selfplay", "--config", CONFIG, "--games", "300", "--agent", "heuristic", "--workers", "2",
                "--seed", "3", "--quiet"]) == 0
    assert cli(["consolidate", "--config", CONFIG]) == 0
    assert cli(["export", "--config", CONFIG, "--workers", "2"]) == 0
    assert cli(["train", "--config", CONFIG, "--channels", "32", "--blocks", "2", "--max-steps", "150",
                "--batch-size", "256", "--epochs", "1", "--device", "cpu"]) == 0
    model_id = next(r["model_id"] for r in config_rows(lake, CONFIG) if r["status"] == "candidate")

    assert cli(["evaluate", "--config", CONFIG, "--model", "heuristic", "--games", "40", "--seed", "1"]) == 0
    assert cli(["promote", "--config", CONFIG, "--model", "heuristic"]) == 0
    assert cli(["evaluate", "--config", CONFIG, "--model", model_id, "--games", "40", "--seed", "2"]) == 0
    capsys.readouterr()
    assert cli(["elo", "--config", CONFIG]) == 0
    board = capsys.readouterr().out
    assert f"| model:{model_id}" in board
    assert cli(["promote", "--config", CONFIG, "--model", model_id]) == 0

    matches = [m for m in tables.read(lake, "matches").to_pylist() if f"model:{model_id}" in m["players"]]
    assert len(matches) == 80 and {tuple(sorted(m["players"])) for m in matches} == {
        tuple(sorted([f"model:{model_id}", "random"])), tuple(sorted([f"model:{model_id}", "heuristic"]))}
    rows = {r["model_id"]: r for r in config_rows(lake, CONFIG)}
    decision = json.loads(rows[model_id]["decision"])
    wins_vs_random = sum(m["winner_player"] == f"model:{model_id}" for m in matches if "random" in m["players"])
    assert decision["gates"]["random"]["successes"] == wins_vs_random
    expected = {"promote": "champion", "reject": "rejected"}[decision["outcome"]]
    assert rows[model_id]["status"] == expected
    assert sum(r["status"] == "champion" for r in rows.values()) <= 1
