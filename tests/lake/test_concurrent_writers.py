"""Four selfplay processes appending to the same raw_games on the loopback S3 server lose and duplicate nothing."""
import json
import subprocess
import sys

import pytest

from raw_games_checks import duplicate_ids, journal_ids, raw_rows, replay_failures

PROCESSES = 4
GAMES = 30


@pytest.mark.s3
def test_four_concurrent_selfplay_processes_on_s3(s3_lake, lake_env, tmp_path):
    journals = [tmp_path / f"journal-{i}.jsonl" for i in range(PROCESSES)]
    processes = [
        subprocess.Popen([sys.executable, "-m", "cli", "selfplay", "--config", "hex8_2p",
                          "--games", str(GAMES), "--workers", "1", "--batch-size", "3", "--flush-seconds", "600",
                          "--journal", str(journal),
                          "--json", "--quiet"], env=lake_env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                         text=True)
        for journal in journals
    ]
    reports = []
    for process in processes:
        out, err = process.communicate(timeout=600)
        assert process.returncode == 0, err
        reports.append(json.loads(out.strip().splitlines()[-1]))
    rows = raw_rows(s3_lake)
    reported_ids = [gid for journal in journals for gid in journal_ids(journal)]
    assert [r["games_written"] for r in reports] == [GAMES] * PROCESSES
    assert all(r["commits"] == GAMES // 3 for r in reports)
    assert len(rows) == PROCESSES * GAMES == len(reported_ids)
    assert duplicate_ids(rows) == {}
    assert {r["game_id"] for r in rows} == set(reported_ids)
    assert len({r["writer_id"] for r in rows}) == PROCESSES
    assert replay_failures(rows) == []
