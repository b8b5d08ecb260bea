"""square8 2p end to end through the CLI: evaluate -> elo -> promote, for the heuristic agent and a policy model.

`lake` is the shared fixture (local folder and loopback S3; it sets RINGRIFT_LAKE and the AWS variables).
"""
from __future__ import annotations

import json

import pytest

from engine import validate_game
from ringrift_lake import tables
from cli import main as cli
from ringrift_lake.promotion.registry import config_rows

CONFIG = "square8_2p"


def _save_untrained_model(lake) -> str:
    import torch

    from ringrift_lake.encoding import ENCODER_VERSION, encoder_for
    from training import checkpoint
    from training.model import architecture_for, build_model
    from training.train import register

    torch.manual_seed(0)
    enc = encoder_for("square8")
    arch = architecture_for("square8", 2, enc.planes_chw, enc.global_size, enc.action_space.size, channels=8,
                            blocks=1)
    saved = checkpoint.save(lake, build_model(arch), config=CONFIG, encoder_version=ENCODER_VERSION, dataset_id=None)
    register(lake, saved, CONFIG, None, None, {})
    return saved.model_id


def _check_games_written(lake, players_expected: set[str], count: int) -> list[dict]:
    matches = [m for m in tables.read(lake, "matches").to_pylist() if set(m["players"]) == players_expected]
    assert len(matches) == count
    raw = {g["game_id"]: g for g in tables.read(lake, "raw_games").to_pylist()}
    for m in matches:
        game = raw[m["game_id"]]
        assert game["source"] == "gauntlet" and game["config"] == CONFIG
        assert [s["player_id"] for s in game["seats"]] == m["players"] and m["match_id"] == m["game_id"]
        assert m["ranks"] == [1, 2] if m["winner"] == 1 else m["ranks"] == [2, 1]
        assert m["winner_player"] == m["players"][m["winner"] - 1]
        check = validate_game("square8", 2, [json.loads(x) for x in game["moves"]],
                              rules_options=json.loads(game["rules_options"]), expected_status="completed",
                              expected_winner=game["winner"], expected_reason=game["reason"], mode="strict")
        assert check.ok, (check.code, check.detail)
    return matches


def test_heuristic_and_a_policy_model_through_evaluate_elo_promote(lake, tmp_path, capsys):
    assert cli(["evaluate", "--config", CONFIG, "--model", "heuristic", "--games", "40", "--workers", "2",
                "--seed", "7"]) == 0
    matches = _check_games_written(lake, {"heuristic", "random"}, 40)
    assert sum(m["players"][0] == "heuristic" for m in matches) == 20          # seats alternate evenly
    heuristic_wins = sum(m["winner_player"] == "heuristic" for m in matches)

    png = tmp_path / "elo.png"
    assert cli(["elo", "--config", CONFIG, "--plot", str(png)]) == 0
    assert png.read_bytes()[:4] == b"\x89PNG"
    board = capsys.readouterr().out
    assert board.index("| heuristic") < board.index("| random")

    assert cli(["promote", "--config", CONFIG, "--model", "heuristic"]) == 0
    heuristic_row = {r["model_id"]: r for r in config_rows(lake, CONFIG)}["heuristic@square8_2p"]
    expected = "champion" if heuristic_wins / 40 >= 0.85 else "rejected"
    assert heuristic_row["status"] == expected
    assert json.loads(heuristic_row["decision"])["gates"]["random"]["successes"] == heuristic_wins

    model_id = _save_untrained_model(lake)
    assert cli(["evaluate", "--config", CONFIG, "--model", model_id, "--games", "4", "--workers", "2",
                "--seed", "8"]) == 0
    _check_games_written(lake, {f"model:{model_id}", "random"}, 4)
    _check_games_written(lake, {f"model:{model_id}", "heuristic"}, 4)
    assert cli(["elo", "--config", CONFIG]) == 0
    assert cli(["elo", "--config", CONFIG]) == 0                  # same matches version: nothing appended
    assert cli(["promote", "--config", CONFIG, "--model", model_id, "--min-games", "4"]) == 0
    rows = {r["model_id"]: r for r in config_rows(lake, CONFIG)}
    assert rows[model_id]["status"] == "rejected"                 # an untrained network does not clear the bars
    assert json.loads(rows[model_id]["decision"])["outcome"] == "reject"
    assert sum(r["status"] == "champion" for r in rows.values()) == (1 if expected == "champion" else 0)

    capsys.readouterr()
    snapshots = _sql(capsys, "SELECT snapshot_id, max(matches_version) v, count(*) n FROM elo "
                             "WHERE config = 'square8_2p' GROUP BY snapshot_id ORDER BY v")
    assert [r["n"] for r in snapshots] == [2, 3]
    assert snapshots[0]["v"] < snapshots[1]["v"]
    seats = _sql(capsys, "SELECT p, count(*) n FROM (SELECT unnest(players) p FROM matches) GROUP BY p")
    per_player = {r["p"]: r["n"] for r in seats}
    assert per_player[f"model:{model_id}"] == 8 and per_player["heuristic"] == 44


def _sql(capsys, query: str) -> list[dict]:
    """Rows of `ringrift-lake sql --format json`."""
    assert cli(["sql", "--format", "json", query]) == 0
    return json.loads(capsys.readouterr().out)
