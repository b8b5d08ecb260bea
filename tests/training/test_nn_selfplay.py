"""NN selfplay: a saved model plays itself; games land in raw_games as whole rows that consolidate."""
from __future__ import annotations

import json
from datetime import datetime, timezone

import pyarrow.compute as pc
import pytest
import torch

from ringrift_lake import tables
from ringrift_lake.consolidate.run import consolidate
from ringrift_lake.encoding import ENCODER_VERSION, encoder_for
from ringrift_lake.promotion.registry import _builtin_row
from training import checkpoint
from training.model import architecture_for, build_model
from cli import main as cli_main
from training.nn_selfplay import main, run_nn_selfplay


def saved_model(lake, seed: int = 0) -> str:
    torch.manual_seed(seed)
    enc = encoder_for("square8")
    model = build_model(architecture_for("square8", 2, enc.planes_chw, enc.global_size, enc.action_space.size,
                                         enc.action_space.n_planes, channels=8, blocks=1))
    return checkpoint.save(lake, model, config="square8_2p", encoder_version=ENCODER_VERSION, dataset_id=None).model_id


def test_a_model_plays_itself_into_raw_games_and_the_games_consolidate(local_lake):
    model_id = saved_model(local_lake)
    summary = run_nn_selfplay(local_lake, "square8_2p", 4, model=model_id, seed=5, batch_size=3, sample_plies=30)
    assert summary["games_written"] == 4 and summary["commits"] == 2 and summary["player"] == f"model:{model_id}"
    rows = tables.read(local_lake, "raw_games").to_pylist()
    assert sorted(r["game_id"] for r in rows) == [f"square8_2p-nn5-{i}" for i in range(4)]
    assert all(r["source"] == "selfplay" for r in rows)
    assert all(s["agent"] == "policy" and s["model_id"] == model_id for r in rows for s in r["seats"])
    assert len({tuple(r["moves"]) for r in rows}) == 4                 # the sampled openings differ
    report = consolidate(local_lake, ["square8_2p"], workers=1)
    games = tables.read(local_lake, "games", filter=pc.field("config") == "square8_2p")
    assert games.num_rows == 4 and tables.read(local_lake, "quarantine").num_rows == 0, report
    again = run_nn_selfplay(local_lake, "square8_2p", 4, model=model_id, seed=5)
    assert again["games_written"] == 0 and again["games_present"] == 4    # a rerun adds nothing


def test_argmax_selfplay_without_sampling_repeats_one_game(local_lake):
    model_id = saved_model(local_lake, seed=1)
    run_nn_selfplay(local_lake, "square8_2p", 2, model=model_id, seed=9, sample_plies=0)
    rows = tables.read(local_lake, "raw_games").to_pylist()
    assert len(rows) == 2 and rows[0]["moves"] == rows[1]["moves"]


def test_the_champion_is_the_default_and_its_absence_is_a_clear_error(local_lake, capsys):
    with pytest.raises(LookupError, match="square8_2p has no champion yet"):
        run_nn_selfplay(local_lake, "square8_2p", 1)
    assert main(["--config", "square8_2p", "--games", "1"]) == 2
    assert "error: square8_2p has no champion yet" in capsys.readouterr().err
    now = datetime.now(timezone.utc)          # before any network is promoted, the heuristic is the champion
    tables.append(local_lake, "models", [{**_builtin_row("heuristic@square8_2p", "square8_2p", now), "status": "champion"}])
    assert cli_main(["nn-selfplay", "--config", "square8_2p", "--games", "2", "--seed", "3"]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["player"] == "heuristic" and summary["games_written"] == 2
    seats = [s for r in tables.read(local_lake, "raw_games").to_pylist() for s in r["seats"]]
    assert {(s["agent"], s["model_id"]) for s in seats} == {("heuristic", None)}
