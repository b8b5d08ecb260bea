"""A fleet worker's parts on real files and tables: the checkpoint cache verifies what it fetches and
what it keeps, the commit journal settles a batch left pending by a kill against raw_games, and
SIGTERM drops (or, with --on-term finish, commits) the batch in hand and exits 0."""
import json
import signal
import subprocess
import sys
import time

import pytest

from fleet_run import REPO, lake_env_for, promote_network
from ringrift_lake import tables
from ringrift_lake.fleet.heartbeat import worker_states
from ringrift_lake.fleet.journal import CommitJournal, committed_ids, entries
from ringrift_lake.records.rows import write_raw_games
from training.checkpoint import CheckpointError, load
from training.fleet.checkpoint_cache import CheckpointCache


def test_checkpoint_cache_fetches_once_and_refuses_damage(local_lake, tmp_path):
    model_id = promote_network(local_lake, "square8_2p", seed=1)
    cache = CheckpointCache(str(tmp_path / "cache"))
    path = cache.fetch(local_lake, model_id)
    assert cache.fetch(local_lake, model_id) == path and cache.fetched == 1
    assert load(None, path).meta["model_id"] == model_id          # loads (sha256 checked again) from the cache
    with open(path, "r+b") as damaged:                             # a damaged cached copy is replaced
        damaged.seek(100)
        damaged.write(b"\x00" * 8)
    assert cache.fetch(local_lake, model_id) == path and cache.fetched == 2
    lake_file = local_lake.root + f"/models/square8_2p/{model_id}.safetensors"
    with open(lake_file, "r+b") as tampered:                       # a tampered lake copy is refused
        tampered.seek(100)
        tampered.write(b"\x01" * 8)
    with pytest.raises(CheckpointError, match="sha256"):
        CheckpointCache(str(tmp_path / "other")).fetch(local_lake, model_id)


def test_journal_settles_pending_batches_against_the_lake(local_lake, tmp_path):
    from engine import play_game
    from engine.agents import RandomAgent
    from ringrift_lake.records.rows import game_row

    game = play_game("square8", 2, [RandomAgent(1), RandomAgent(2)], seed=1)
    row = game_row(game, "square8_2p", ["random", "random"], "selfplay", 1, game_id="g-landed")
    journal = CommitJournal(str(tmp_path / "w.journal"))
    journal.pending("landed", "square8_2p", ["g-landed"])
    write_raw_games(local_lake, [row], batch_id="landed")           # killed before writing "committed"
    journal.pending("lost", "square8_2p", ["g-lost"])               # killed before the commit
    with open(journal.path, "a") as cut:
        cut.write('{"batch_id": "half", "state": "pend')             # killed mid-line
    assert journal.resolve_pending(local_lake) == {"landed": "committed", "lost": "dropped"}
    assert committed_ids(journal.path) == ["g-landed"]
    assert journal.resolve_pending(local_lake) == {}


def _start(env, folder, on_term: str) -> subprocess.Popen:
    argv = [sys.executable, "-m", "cli", "worker", "--configs", "square8_2p", "--player", "gumbel16:champion",
            "--batch-games", "3", "--threads", "1", "--heartbeat-s", "0.2", "--on-term", on_term,
            "--journal", str(folder / f"{on_term}.journal"), "--cache", str(folder / "cache"), "--json"]
    return subprocess.Popen(argv, cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


@pytest.mark.parametrize("on_term", ["drop", "finish"])
def test_sigterm_drops_or_finishes_the_batch_in_hand(local_lake, lake_env, tmp_path, on_term):
    promote_network(local_lake, "square8_2p", seed=2)
    process = _start(lake_env_for(lake_env), tmp_path, on_term)
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:      # a batch in hand: the worker names its player, nothing committed
            states = [s for s in worker_states(local_lake) if s["pid"] == process.pid]
            if states and states[0]["player"] and states[0]["games_committed"] == 0:
                break
            assert process.poll() is None, process.communicate()[1][-2000:]
            time.sleep(0.1)
        process.send_signal(signal.SIGTERM)
        out, err = process.communicate(timeout=120)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 0, err[-2000:]
    report = json.loads(out.strip().splitlines()[-1])
    journal = str(tmp_path / f"{on_term}.journal")
    rows = tables.read(local_lake, "raw_games", columns=["game_id"]).column("game_id").to_pylist()
    assert sorted(rows) == sorted(committed_ids(journal))
    (state,) = [s for s in worker_states(local_lake) if s["pid"] == process.pid]
    assert state["state"] == "stopped" and "SIGTERM" in state["detail"]
    if on_term == "drop":
        assert rows == [] and report["games_committed"] == 0 and report["games_dropped"] > 0
        assert "dropped the games in hand" in state["detail"]
    else:
        assert report["batches"] == 1 and len(rows) == report["games_committed"] > 0
        assert [e["state"] for e in entries(journal)] == ["pending", "committed"]
