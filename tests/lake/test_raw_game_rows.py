"""game_row and write_raw_games: one complete game per row, every column filled, read back exactly."""
import json

import pyarrow as pa
import pytest
from engine import play_game
from engine.agents import HeuristicAgent, RandomAgent

from ringrift_lake import schemas, tables
from ringrift_lake.records import game_row, raw_games_table, seat_rows, write_raw_games
from raw_games_checks import raw_rows, replay_failures


def _played(seed, board="square8", players=2):
    return play_game(board, players, [RandomAgent(seed=seed + s) for s in range(players)], seed)


def test_game_row_fills_every_column_from_a_played_game():
    game = _played(3)
    row = game_row(game, "square8_2p", ["random", "heuristic"], "selfplay", 3, game_id="g-1")
    assert set(row) == set(schemas.RAW_GAMES.names)
    assert row["seats"] == [{"seat": 1, "agent": "random", "model_id": None, "player_id": "random", "budget": None},
                            {"seat": 2, "agent": "heuristic", "model_id": None, "player_id": "heuristic",
                             "budget": None}]
    searched = game_row(game, "square8_2p", ["gumbel16:model:m1", "model:m1"], "selfplay", 3)
    assert [(s["agent"], s["model_id"], s["budget"]) for s in searched["seats"]] == [("gumbel", "m1", 16),
                                                                                    ("policy", "m1", None)]
    assert [json.loads(m) for m in row["moves"]] == game.moves_json
    assert row["num_moves"] == game.num_moves and row["winner"] == game.winner and row["reason"] == game.reason
    assert json.loads(row["rules_options"]) == game.final_state.options
    assert row["board_type"] == "square8" and row["num_players"] == 2 and row["validation_mode"] == "strict"


def test_game_row_rejects_a_seat_count_that_does_not_match_the_config():
    with pytest.raises(ValueError, match="3 seats given for 2 players"):
        game_row(_played(1), "square8_2p", ["random"] * 3, "selfplay", 1)


def test_raw_games_table_keeps_null_and_present_visits():
    game = _played(5)
    with_visits = game_row(game, "square8_2p", seat_rows(["random", "random"]), "gauntlet", 5,
                           visits=[{"3": 2}] + [None] * (game.num_moves - 1))
    without = game_row(_played(6), "square8_2p", ["random", "random"], "selfplay", 6)
    table = raw_games_table([with_visits, without], writer="w", batch_id="b")
    assert table.schema == schemas.RAW_GAMES
    visits = table.column("visits").to_pylist()
    assert visits[0][0] == '{"3":2}' and visits[0][1] is None and visits[1] is None
    assert table.column("writer_id").to_pylist() == ["w", "w"]
    assert table.column("batch_id").to_pylist() == ["b", "b"]


def test_search_entries_are_typed_per_ply_and_read_back(local_lake):
    game = _played(7)
    entry = {"policy_index": [5, 9], "policy_prob": [0.25, 0.75], "visit_count": [1, 3], "root_value": [0.5, -0.5],
             "budget": 4, "full": True}
    search = [None, entry] + [None] * (game.num_moves - 2)
    row = game_row(game, "square8_2p", ["gumbel4:heuristic"] * 2, "selfplay", 7, game_id="s-7", search=search)
    plain = game_row(_played(8), "square8_2p", ["random", "random"], "selfplay", 8, game_id="p-8")
    write_raw_games(local_lake, [row, plain])
    back = {r["game_id"]: r for r in raw_rows(local_lake)}
    assert back["s-7"]["search"][1] == entry and back["s-7"]["search"][0] is None
    assert back["p-8"]["search"] is None
    with pytest.raises(ValueError, match="search entries for"):
        game_row(game, "square8_2p", ["random", "random"], "selfplay", 7, search=[None])


def test_write_raw_games_commits_a_batch_once_and_reads_back(local_lake):
    games = [(_played(s, "hex8", 3), s) for s in range(4)]
    heuristic = play_game("square8", 2, [HeuristicAgent(seed=1), RandomAgent(seed=2)], 9)
    rows = [game_row(g, "hex8_3p", ["random"] * 3, "selfplay", s, game_id=f"h-{s}") for g, s in games]
    rows.append(game_row(heuristic, "square8_2p", ["heuristic", "random"], "selfplay", 9, game_id="s-9"))
    version = write_raw_games(local_lake, rows)
    assert version == tables.version(local_lake, "raw_games")
    back = {r["game_id"]: r for r in raw_rows(local_lake)}
    assert sorted(back) == ["h-0", "h-1", "h-2", "h-3", "s-9"]
    assert back["s-9"]["moves"] == rows[-1]["moves"] and back["h-2"]["config"] == "hex8_3p"
    assert len({r["batch_id"] for r in back.values()}) == 1
    assert replay_failures(back.values()) == []


def test_write_raw_games_accepts_an_arrow_table(local_lake):
    rows = [game_row(_played(s), "square8_2p", ["random", "random"], "selfplay", s) for s in range(3)]
    write_raw_games(local_lake, raw_games_table(rows))
    assert tables.read(local_lake, "raw_games").num_rows == 3
    assert isinstance(raw_games_table(rows), pa.Table)
