"""Network selfplay through the one game harness: a saved model plays itself (raw policy), the champion
is the default player spec, and the games land in raw_games as whole rows that consolidate."""
from __future__ import annotations

import json
from datetime import datetime, timezone

import pyarrow.compute as pc
import pytest
import torch

from cli import main as cli_main
from ringrift_lake import tables
from ringrift_lake.consolidate.run import consolidate
from ringrift_lake.encoding import ENCODER_VERSION, encoder_for
from ringrift_lake.promotion.registry import _builtin_row
from ringrift_lake.records import game_id
from training import checkpoint
from training.model import architecture_for, build_model
from training.play import PlayOptions, run_selfplay
from training.train import register


def save_model(lake, seed: int = 0) -> checkpoint.SavedCheckpoint:
    torch.manual_seed(seed)
    enc = encoder_for("square8")
    model = build_model(architecture_for("square8", 2, enc.planes_chw, enc.global_size, enc.action_space.size,
                                         enc.action_space.n_planes, channels=8, blocks=1))
    return checkpoint.save(lake, model, config="square8_2p", encoder_version=ENCODER_VERSION, dataset_id=None)


def saved_model(lake, seed: int = 0) -> str:
    return save_model(lake, seed).model_id


def test_a_model_plays_itself_into_raw_games_and_the_games_consolidate(local_lake):
    model_id = saved_model(local_lake)
    report = run_selfplay(local_lake, "square8_2p", 4, player=f"model:{model_id}", workers=0, seed=5, batch_size=3,
                          progress=False)
    assert report.games_written == 4 and report.commits == 2
    rows = tables.read(local_lake, "raw_games").to_pylist()
    assert sorted(r["game_id"] for r in rows) == sorted(game_id("square8_2p", "selfplay", report.run_seed, i)
                                                          for i in range(4))
    assert all(r["source"] == "selfplay" for r in rows)
    assert all((s["agent"], s["model_id"], s["player_id"]) == ("policy", model_id, f"model:{model_id}")
               for r in rows for s in r["seats"])
    assert len({tuple(r["moves"]) for r in rows}) == 4                 # the sampled openings differ
    report_c = consolidate(local_lake, ["square8_2p"], workers=1)
    games = tables.read(local_lake, "games", filter=pc.field("config") == "square8_2p")
    assert games.num_rows == 4 and tables.read(local_lake, "quarantine").num_rows == 0, report_c
    again = run_selfplay(local_lake, "square8_2p", 4, player=f"model:{model_id}", workers=0, seed=5, progress=False)
    assert again.games_written == 0 and again.games_present == 4    # a rerun adds nothing


def test_argmax_selfplay_without_sampling_repeats_one_game(local_lake):
    model_id = saved_model(local_lake, seed=1)
    run_selfplay(local_lake, "square8_2p", 2, player=f"model:{model_id}", workers=0, seed=9,
                 options=PlayOptions(sample_plies=0), progress=False)
    rows = tables.read(local_lake, "raw_games").to_pylist()
    assert len(rows) == 2 and rows[0]["moves"] == rows[1]["moves"]


def test_the_champion_player_and_its_absence_is_a_clear_error(local_lake, capsys):
    with pytest.raises(LookupError, match="square8_2p has no champion yet"):
        run_selfplay(local_lake, "square8_2p", 1, player="champion", progress=False)
    assert cli_main(["selfplay", "--config", "square8_2p", "--games", "1", "--agent", "policy"]) == 2
    assert "error: square8_2p has no champion yet" in capsys.readouterr().err
    now = datetime.now(timezone.utc)          # before any network is promoted, the heuristic is the champion
    tables.append(local_lake, "models", [{**_builtin_row("heuristic@square8_2p", "square8_2p", now), "status": "champion"}])
    assert cli_main(["selfplay", "--config", "square8_2p", "--games", "2", "--seed", "3", "--seats", "champion",
                     "champion", "--workers", "0", "--json", "--quiet"]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["games_written"] == 2
    seats = [s for r in tables.read(local_lake, "raw_games").to_pylist() for s in r["seats"]]
    assert {(s["agent"], s["model_id"]) for s in seats} == {("heuristic", None)}


def test_an_unknown_model_names_the_known_ones(local_lake):
    saved = save_model(local_lake)
    register(local_lake, saved, "square8_2p", None, None, {})
    with pytest.raises(LookupError, match=f"no model 'nope' for square8_2p; known models: {saved.model_id}"):
        run_selfplay(local_lake, "square8_2p", 1, player="model:nope", progress=False)
