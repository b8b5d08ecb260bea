"""run_selfplay and `ringrift-lake selfplay` write complete, replayable games to local and S3 lakes."""
import json
import subprocess
import sys

import pytest

from ringrift_lake import tables
from ringrift_lake.records import game_id, run_seed_for
from training.play import PlayReport, run_selfplay
from raw_games_checks import duplicate_ids, journal_ids, raw_rows, replay_failures


def test_selfplay_workers_write_complete_games(lake, tmp_path):
    journal = tmp_path / "journal.jsonl"
    report = run_selfplay(lake, "square8_2p", 24, workers=2, seed=11, batch_size=5, progress=False,
                          journal=str(journal))
    rows = raw_rows(lake)
    assert report.games_written == 24 and report.games_unfinished == 0
    assert sorted(r["game_id"] for r in rows) == report.game_ids == sorted(journal_ids(journal))
    assert report.commits == len(journal.read_text().splitlines()) >= 6  # batches of at most 5 per worker
    assert report.moves_written == sum(r["num_moves"] for r in rows)
    assert report.table_version == tables.version(lake, "raw_games")
    assert {r["source"] for r in rows} == {"selfplay"} and {r["config"] for r in rows} == {"square8_2p"}
    seat = {"agent": "random", "model_id": None, "player_id": "random", "budget": None}
    assert all(r["seats"] == [{"seat": 1, **seat}, {"seat": 2, **seat}] for r in rows)
    assert replay_failures(rows) == []


def test_same_seed_gives_same_ids_and_a_rerun_adds_nothing(local_lake):
    first = run_selfplay(local_lake, "hex8_2p", 6, workers=0, seed=5, progress=False)
    version = tables.version(local_lake, "raw_games")
    again = run_selfplay(local_lake, "hex8_2p", 6, workers=0, seed=5, progress=False)
    assert again.games_written == 0 and again.games_present == 6
    assert again.game_ids == first.game_ids
    assert tables.version(local_lake, "raw_games") == version
    run_seed = run_seed_for(5, ["random", "random"])
    assert first.run_seed == run_seed and game_id("hex8_2p", "selfplay", run_seed, 3) in first.game_ids
    other = run_selfplay(local_lake, "hex8_2p", 2, workers=0, seed=5, player="heuristic", progress=False)
    assert other.games_written == 2 and not set(other.game_ids) & set(first.game_ids)   # other players: another run


def test_players_per_seat_and_in_process_workers(local_lake):
    report = run_selfplay(local_lake, "square8_3p", 3, workers=0, players=["heuristic", "lookahead", "random"],
                          progress=False, source="gauntlet")
    rows = raw_rows(local_lake)
    assert len(rows) == report.games_written == 3
    assert [s["agent"] for s in rows[0]["seats"]] == ["heuristic", "lookahead", "random"]
    assert {r["source"] for r in rows} == {"gauntlet"}
    assert replay_failures(rows) == []


def test_bad_arguments_are_refused_before_anything_is_written(local_lake):
    with pytest.raises(ValueError, match="unknown player 'mcts'; valid forms: random, heuristic"):
        run_selfplay(local_lake, "square8_2p", 2, player="mcts", progress=False)
    with pytest.raises(ValueError, match="search needs an evaluator"):
        run_selfplay(local_lake, "square8_2p", 2, player="gumbel16:lookahead", progress=False)
    with pytest.raises(ValueError, match="3 players given for 2 seats"):
        run_selfplay(local_lake, "square8_2p", 2, players=["random"] * 3, progress=False)
    with pytest.raises(ValueError, match="square9_2p|config"):
        run_selfplay(local_lake, "square9_2p", 2, progress=False)
    assert tables.version(local_lake, "raw_games") is None


def test_cli_selfplay_reports_and_writes_to_the_env_lake(lake, lake_env):
    result = subprocess.run(
        [sys.executable, "-m", "cli", "selfplay", "--config", "hex8_2p", "--games", "8", "--workers", "2",
         "--batch-size", "3", "--json"], env=lake_env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report["games_written"] == 8 and report["commits"] >= 4
    assert "games/s" in result.stderr and "moves/s" in result.stderr
    rows = raw_rows(lake)
    assert len(rows) == 8 and duplicate_ids(rows) == {}
    assert replay_failures(rows) == []


def test_report_rates():
    report = PlayReport("square8_2p", "selfplay", 1, 10, games_written=10, moves_written=1000, seconds=2.0)
    assert report.games_per_s == 5.0 and report.moves_per_s == 500.0
    assert "game_ids" not in report.to_dict()


def test_more_workers_than_games_starts_only_the_workers_with_games(local_lake):
    report = run_selfplay(local_lake, "square8_2p", 2, workers=4, seed=3, progress=False)
    assert report.game_ids == [game_id("square8_2p", "selfplay", report.run_seed, i) for i in range(2)]
    assert len({r["writer_id"] for r in raw_rows(local_lake)}) == 2
