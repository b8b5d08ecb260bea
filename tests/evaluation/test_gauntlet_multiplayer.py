"""Gauntlet seating and ranks in 3-4 player games (real games, real lake)."""
from __future__ import annotations

import json
from collections import Counter

import pytest

from engine import board_for, validate_game
from ringrift_lake import tables
from ringrift_lake.location import Lake
from training.gauntlet import opponents_for, run_gauntlet
from training.play.plan import rotation_jobs


@pytest.mark.parametrize("num_players,asked,per_seat", [(2, 5, 3), (3, 7, 3), (4, 8, 2)])
def test_candidate_rotates_evenly_through_every_seat(num_players, asked, per_seat):
    config = f"hex8_{num_players}p"
    jobs = []
    for opponent in ("random", "heuristic"):
        jobs += rotation_jobs(config, "gauntlet", 1, ["model:c", opponent], asked, start=len(jobs), group=opponent)
    assert [j.index for j in jobs] == list(range(len(jobs))) and len({j.game_id for j in jobs}) == len(jobs)
    for opponent in ("random", "heuristic"):
        mine = [j for j in jobs if j.group == opponent]
        seats = Counter(j.players.index("model:c") + 1 for j in mine)
        assert seats == {s: per_seat for s in range(1, num_players + 1)}
        assert all(j.players.count(opponent) == num_players - 1 for j in mine)
    assert len({j.seed for j in jobs}) == len(jobs)


def test_opponents_exclude_the_candidate_itself(tmp_path):
    lake = Lake.at(str(tmp_path / "lake"))
    assert opponents_for(lake, "square8_2p", "model:x") == ["random", "heuristic"]
    assert opponents_for(lake, "square8_2p", "heuristic") == ["random"]


def test_three_player_gauntlet_writes_ranked_replayable_games(tmp_path):
    lake = Lake.at(str(tmp_path / "lake"))
    report = run_gauntlet(lake, "hex8_3p", "heuristic", games_per_opponent=3, workers=0, seed=5, progress=False)
    assert report.games == 3 and report.opponents == ["random"]
    matches = tables.read(lake, "matches").to_pylist()
    raw = {g["game_id"]: g for g in tables.read(lake, "raw_games").to_pylist()}
    assert sorted(m["players"].index("heuristic") for m in matches) == [0, 1, 2]
    for m in matches:
        game = raw[m["game_id"]]
        assert sorted(m["ranks"])[0] == 1 and m["ranks"][m["winner"] - 1] == 1 and m["ranks"].count(1) == 1
        assert max(m["ranks"]) <= 3
        check = validate_game("hex8", 3, [json.loads(x) for x in game["moves"]],
                              rules_options=json.loads(game["rules_options"]), expected_status=game["status"],
                              expected_winner=game["winner"], expected_reason=game["reason"], mode="strict")
        assert check.ok, (check.code, check.detail)
    assert report.per_opponent["random"]["games"] == 3
    assert report.max_moves == board_for("hex8").move_cap == 3000          # the default cap: no game runs for ever


def test_a_game_past_the_move_cap_is_unfinished_without_ranks(tmp_path):
    lake = Lake.at(str(tmp_path / "lake"))
    report = run_gauntlet(lake, "square8_2p", "heuristic", games_per_opponent=2, workers=0, seed=3, max_moves=10,
                          progress=False)
    assert report.max_moves == 10 and report.per_opponent["random"]["unfinished"] == 2
    assert [m["ranks"] for m in tables.read(lake, "matches").to_pylist()] == [None, None]
