"""Selfplay under faults: workers SIGKILLed at random points leave no partial game and lose no committed one.

The test runs `ringrift-lake selfplay` (2 workers, small batches, a commit
journal) and SIGKILLs a random worker process at random moments, starting
further runs until the wanted number of kills has happened. Afterwards every
visible row must be a complete game that replays to its result, every game id
journaled as committed before a kill must still be there, no game id may
appear twice, and every run must still have completed its full game count
(the parent restarts a killed worker, which resumes after the committed games).
"""
from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from ringrift_lake.records import run_prefix
from raw_games_checks import duplicate_ids, journal_ids, raw_rows, replay_failures

CONFIG = "square8_2p"


def _is_worker(pid: int) -> bool:
    """A live spawn worker (a zombie's cmdline is empty)."""
    try:
        return b"spawn_main" in Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return False


def _worker_pids(parent: int) -> list[int]:
    """The parent's multiprocessing spawn workers (not its resource tracker)."""
    pids = []
    for task in Path(f"/proc/{parent}/task").glob("*"):
        try:
            pids.extend(int(p) for p in (task / "children").read_text().split())
        except OSError:
            continue
    return [pid for pid in pids if _is_worker(pid)]


def _run_with_kills(env: dict, tmp_path: Path, kills: int, games_per_run: int, rng: random.Random,
                    player: tuple[str, ...] = ()):
    runs, reported_before_kills, done, index = [], set(), 0, 0
    while done < kills:
        seed, journal = 7000 + index, tmp_path / f"journal-{index}.jsonl"
        process = subprocess.Popen(
            [sys.executable, "-m", "cli", "selfplay", "--config", CONFIG, "--games", str(games_per_run),
             "--workers", "2", "--seed", str(seed), "--batch-size", "4", "--flush-seconds", "0.2",
             "--max-restarts", str(kills + 1), "--journal", str(journal), "--json", "--quiet", *player],
            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        try:
            while process.poll() is None and done < kills:
                time.sleep(rng.uniform(0.05, 0.6))
                workers = _worker_pids(process.pid)
                if not workers:
                    continue
                reported = set(journal_ids(journal))
                try:
                    os.kill(rng.choice(workers), signal.SIGKILL)
                except ProcessLookupError:
                    continue
                reported_before_kills |= reported
                done += 1
            out, err = process.communicate(timeout=900)
        finally:
            if process.poll() is None:
                process.kill()
        assert process.returncode == 0, err
        runs.append((seed, json.loads(out.strip().splitlines()[-1]), journal))
        index += 1
    return runs, reported_before_kills


def _check(lake, runs, reported_before_kills, games_per_run):
    rows = raw_rows(lake)
    ids = {r["game_id"] for r in rows}
    assert duplicate_ids(rows) == {}
    assert reported_before_kills <= ids
    for seed, report, journal in runs:
        assert set(journal_ids(journal)) <= ids
        prefix = run_prefix(CONFIG, "selfplay", report["run_seed"])
        assert sum(gid.startswith(prefix) for gid in ids) == games_per_run
        assert report["games_written"] + report["games_present"] == games_per_run
    assert sum(report["worker_restarts"] for _, report, _ in runs) > 0
    assert replay_failures(rows) == []


def test_twenty_worker_kills_leave_no_partial_and_lose_no_committed_game(local_lake, lake_env, tmp_path):
    runs, reported = _run_with_kills(lake_env, tmp_path, kills=20, games_per_run=300, rng=random.Random(20))
    _check(local_lake, runs, reported, 300)


def test_killed_batched_search_workers_lose_no_committed_game_and_leave_no_partial(local_lake, lake_env, tmp_path):
    search = ("--agent", "gumbel", "--model", "heuristic", "--budget", "4", "--batch-games", "8")
    runs, reported = _run_with_kills(lake_env, tmp_path, kills=4, games_per_run=40, rng=random.Random(22),
                                     player=search)
    _check(local_lake, runs, reported, 40)
    rows = raw_rows(local_lake)
    assert all(r["search"] and r["seats"][0]["player_id"] == "gumbel4:heuristic" for r in rows)


@pytest.mark.slow
@pytest.mark.s3
def test_twenty_worker_kills_on_s3(s3_lake, lake_env, tmp_path):
    runs, reported = _run_with_kills(lake_env, tmp_path, kills=20, games_per_run=300, rng=random.Random(21))
    _check(s3_lake, runs, reported, 300)


def test_workers_of_a_killed_parent_commit_what_they_hold_and_exit(local_lake, lake_env, tmp_path):
    journal = tmp_path / "journal.jsonl"
    process = subprocess.Popen(
        [sys.executable, "-m", "cli", "selfplay", "--config", CONFIG, "--games", "100000", "--workers", "2",
         "--batch-size", "5", "--journal", str(journal), "--quiet"],
        env=lake_env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    workers: list[int] = []
    while process.poll() is None and not (len(workers) == 2 and journal_ids(journal)):
        time.sleep(0.2)
        workers = _worker_pids(process.pid)
    reported = set(journal_ids(journal))
    process.kill()
    process.wait()
    for pid in workers:  # orphans notice the dead parent after their current game and exit by themselves
        while _is_worker(pid):
            time.sleep(0.2)
    rows = raw_rows(local_lake)
    assert reported and reported <= {r["game_id"] for r in rows}
    assert len(rows) < 100000 and duplicate_ids(rows) == {}
    assert replay_failures(rows) == []
