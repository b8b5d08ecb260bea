"""Every reference game (all 12 configs) replays with identical summaries, hashes, legal-set sizes and results."""
from __future__ import annotations

import io
from pathlib import Path

import pytest

from engine.replay import read_records, replay_files, replay_record

GAMES_DIR = Path(__file__).resolve().parents[2] / ".." / "shared" / "fixtures" / "reference-games"
CONFIG_FILES = sorted(GAMES_DIR.glob("*.jsonl.gz"))


def test_all_twelve_configs_present():
    assert len(CONFIG_FILES) == 12


@pytest.mark.parametrize("path", CONFIG_FILES, ids=[p.name.split(".")[0] for p in CONFIG_FILES])
def test_reference_games_replay(path):
    failures = []
    games = 0
    for rec in read_records(path):
        games += 1
        result = replay_record(rec)
        if not result.ok:
            failures.append(result.line())
    assert games > 0
    assert failures == []


def test_replay_reports_divergence_and_exit_code(tmp_path):
    rec = next(read_records(CONFIG_FILES[0]))
    rec["summaries"][5]["hash"] = "0000000000000000"
    bad = tmp_path / "bad.jsonl"
    import json
    bad.write_text(json.dumps(rec) + "\n")
    out = io.StringIO()
    assert replay_files([str(bad)], out=out) == 1
    lines = out.getvalue().splitlines()
    assert "move 6: hash: expected '0000000000000000'" in lines[0]
    assert lines[-1] == "1 games, 6 moves: 1 mismatched"


def test_replay_files_all_match_line():
    out = io.StringIO()
    path = GAMES_DIR / "square8_2p.jsonl.gz"
    assert replay_files([str(path)], out=out) == 0
    last = out.getvalue().splitlines()[-1]
    assert last.endswith(": all match") and last.startswith("30 games, ")


def test_reference_games_never_go_a_quarter_of_the_stall_cap_without_progress():
    from engine import apply_move, new_game
    from engine.boards import parse_config
    from engine.codec import move_from_json
    for path in [p for p in CONFIG_FILES if p.name.startswith(("square8", "hex8"))]:
        config = parse_config(path.name.split(".")[0])
        for rec in read_records(path):
            state = new_game(rec["boardType"], rec["numPlayers"],
                             {"lpsRoundsRequired": 0, **(rec.get("rulesOptions") or {})})
            key, since = state.progress_key(), 0
            for ply, mj in enumerate(rec["moves"], start=1):
                apply_move(state, move_from_json(mj, state))
                if state.progress_key() != key:
                    key, since = state.progress_key(), ply
                assert (ply - since) * 4 < config.stall_cap, (rec.get("gameId"), ply)
