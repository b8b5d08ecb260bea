"""Search selfplay end to end: Gumbel games -> raw_games (typed search columns) -> consolidate -> export
with the improved policy as the soft target -> train, on the local and the S3 lake."""
from __future__ import annotations

import json

import numpy as np
import pyarrow.compute as pc

from ringrift_lake import tables
from ringrift_lake.consolidate.run import consolidate
from ringrift_lake.export import Window, export_dataset
from ringrift_lake.export.encode_games import game_key
from training.play import SELFPLAY_OPTIONS, run_selfplay
from training.data_source import from_lake
from training.shards import open_shard
from training.train import main

CONFIG = "square8_2p"
TINY = ["--epochs", "1", "--channels", "8", "--blocks", "1", "--batch-size", "64", "--warmup-steps", "2",
        "--val-fraction", "0.25", "--device", "cpu"]


def test_search_games_train_on_their_improved_policy(lake, capsys):
    report = run_selfplay(lake, CONFIG, 4, player="gumbel8:heuristic", workers=0, seed=3, progress=False)
    assert report.games_written == 4 and report.search.full_searches > 0
    assert report.search.evaluations >= report.search.simulations > 0
    raw = tables.read(lake, "raw_games").to_pylist()
    for row in raw:
        assert {(s["agent"], s["budget"], s["player_id"]) for s in row["seats"]} == {("gumbel", 8, "gumbel8:heuristic")}
        entries = [e for e in row["search"] if e is not None]
        assert entries and all(abs(sum(e["policy_prob"]) - 1) < 1e-5 and e["budget"] == 8 and e["full"]
                               for e in entries)
        assert all(e["policy_index"] == sorted(e["policy_index"]) and len(e["visit_count"]) == len(e["policy_index"])
                   and len(e["root_value"]) == 2 for e in entries)
        assert all(sum(e["visit_count"]) >= 1 for e in entries)
    consolidate(lake, [CONFIG], workers=1)
    assert tables.read(lake, "quarantine").num_rows == 0 and tables.read(lake, "games").num_rows == 4
    moves = tables.read(lake, "moves", columns=["game_id", "ply", "search"]).to_pylist()
    recorded = {(m["game_id"], m["ply"]): m["search"] for m in moves}
    assert sum(e is not None for e in recorded.values()) == sum(e is not None for r in raw for e in r["search"])

    dataset = export_dataset(lake, CONFIG, Window(), workers=1)
    [path] = from_lake(lake, CONFIG, dataset["dataset_id"]).shard_paths     # fetched (and verified) from S3
    shard = open_shard(path)
    assert len(set(shard["game_key_n"].tolist())) == 4
    gid_of = {game_key(r["game_id"]): r["game_id"] for r in raw}
    offsets, targets, full = shard["policy_offsets"], 0, 0
    for i in range(shard["ply_n"].shape[0]):
        entry = recorded[(gid_of[int(shard["game_key_n"][i])], int(shard["ply_n"][i]))]
        lo, hi = int(offsets[i]), int(offsets[i + 1])
        if entry is None or not entry["full"]:
            assert hi == lo                                   # no policy target: trains the value only
            continue
        full += 1
        assert shard["policy_indices"][lo:hi].tolist() == entry["policy_index"]
        assert np.allclose(shard["policy_probs"][lo:hi], np.array(entry["policy_prob"]) / sum(entry["policy_prob"]))
        targets += 1
    assert full == targets > 0

    assert main(["--config", CONFIG, *TINY]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["dataset_id"] == dataset["dataset_id"] and summary["val_loss"] > 0


def test_playout_cap_randomisation_marks_only_full_searches_as_targets(local_lake):
    from dataclasses import replace

    options = replace(SELFPLAY_OPTIONS, cheap_budget=2, full_search_prob=0.25)
    run_selfplay(local_lake, CONFIG, 2, player="gumbel8:heuristic", workers=0, seed=4, options=options,
                 progress=False)
    entries = [e for r in tables.read(local_lake, "raw_games").to_pylist() for e in r["search"] if e is not None]
    full = [e for e in entries if e["full"]]
    assert {e["budget"] for e in full} == {8} and {e["budget"] for e in entries if not e["full"]} == {2}
    assert 0.1 < len(full) / len(entries) < 0.45
    games = tables.read(local_lake, "raw_games", filter=pc.field("config") == CONFIG)
    assert games.num_rows == 2


def test_resigned_games_validate_consolidate_and_train_their_values(local_lake):
    from dataclasses import replace

    options = replace(SELFPLAY_OPTIONS, resign_threshold=-0.5, no_resign_share=0.1)
    report = run_selfplay(local_lake, CONFIG, 6, player="gumbel4:heuristic", workers=0, seed=5, options=options,
                          progress=False)
    rows = tables.read(local_lake, "raw_games").to_pylist()
    resigned = [r for r in rows if r["reason"] == "resignation"]
    assert report.games_written == 6 and resigned
    assert all(r["status"] == "completed" and r["winner"] in (1, 2) for r in resigned)
    consolidate(local_lake, [CONFIG], workers=1)
    assert tables.read(local_lake, "quarantine").num_rows == 0 and tables.read(local_lake, "games").num_rows == 6
    dataset = export_dataset(local_lake, CONFIG, Window(), workers=1)
    assert dataset["game_count"] == 6


def test_a_resignation_by_the_wrong_player_is_refused():
    from engine import validate_game

    row = {"moves": []}
    check = validate_game("square8", 2, row["moves"], expected_status="completed", expected_winner=1,
                          expected_reason="resignation")
    assert not check.ok and "player 1, who was to move" in check.detail
    assert validate_game("square8", 2, [], expected_status="completed", expected_winner=2,
                         expected_reason="resignation").ok


def test_bad_search_targets_are_quarantined_with_the_ply(local_lake):
    from ringrift_lake.records import write_raw_games

    run_selfplay(local_lake, CONFIG, 3, player="gumbel4:heuristic", workers=0, seed=8, progress=False)
    rows = tables.read(local_lake, "raw_games").to_pylist()
    tampered = []
    for k, row in enumerate(rows):
        ply = next(i for i, e in enumerate(row["search"]) if e is not None)
        entry = dict(row["search"][ply])
        if k == 0:
            entry["policy_prob"] = [p * 2 for p in entry["policy_prob"]]          # not a distribution
        elif k == 1:
            entry["policy_index"] = sorted(set(entry["policy_index"][:-1]) | {7048})   # an illegal move's index
        else:
            continue
        row = {**row, "game_id": row["game_id"] + "-bad", "search": row["search"][:ply] + [entry]
               + row["search"][ply + 1:]}
        tampered.append((row, ply + 1))
    write_raw_games(local_lake, [r for r, _ in tampered])
    consolidate(local_lake, [CONFIG], workers=1)
    quarantined = {q["game_id"]: q for q in tables.read(local_lake, "quarantine").to_pylist()}
    assert set(quarantined) == {r["game_id"] for r, _ in tampered}
    for row, ply in tampered:
        q = quarantined[row["game_id"]]
        assert q["reason"] == "bad_search_target" and q["ply"] == ply, q["detail"]
    assert tables.read(local_lake, "games").num_rows == 3


def test_a_move_the_engine_lists_twice_is_one_target_entry():
    """A territory region found by two detection passes is listed twice by the engine: one policy index,
    whose probability and visits are the two entries' sums (seed 0's random game, move 61, has one)."""
    from engine import apply_move, legal_moves, new_game
    from engine.agents import RandomAgent
    from ringrift_lake.consolidate.search_check import search_problem
    from training.search.entries import search_entries
    from training.search.protocol import SearchRecord

    state, agent, moves = new_game("square8", 2), RandomAgent(seed=0), []
    while state.move_count < 60:
        move = agent.select_move(state, legal_moves(state))
        moves.append(move)
        apply_move(state, move)
    legal = legal_moves(state)
    assert len({m.key() for m in legal}) < len(legal)                       # the duplicate is there
    n = len(legal)
    record = SearchRecord(np.full(n, 1 / n, np.float32), np.ones(n, np.int32), np.zeros(2, np.float32), 4, True)
    moves.append(legal[0])
    entries = search_entries("square8", 2, moves, [None] * 60 + [record])
    entry = entries[-1]
    assert entry["policy_index"] == sorted(set(entry["policy_index"])) and len(entry["policy_index"]) < n
    assert abs(sum(entry["policy_prob"]) - 1) < 1e-6 and sum(entry["visit_count"]) == n
    assert search_problem("square8", 2, moves, entries, None) is None
