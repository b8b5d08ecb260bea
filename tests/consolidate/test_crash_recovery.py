"""A run that died between its writes is finished by the next run: nothing lost, nothing doubled.

The crashed states are built from what a real run writes: the moves (or
moves and games) of a fully consolidated twin lake, appended to a lake
holding the same raw rows and no watermark.
"""
from __future__ import annotations

import pytest

from ringrift_lake import tables
from ringrift_lake.checks import run_checks
from ringrift_lake.consolidate import consolidate
from ringrift_lake.consolidate.replay import ReplayTask, replay, replay_all
from ringrift_lake.location import Lake

from consolidate_rows import altered, reference_rows, write


@pytest.fixture
def twin(tmp_path):
    rows = reference_rows("square8_2p", 6)
    rows.append(altered(rows[0], "bad", winner=3))
    done = Lake.at(str(tmp_path / "done"))
    write(done, rows)
    consolidate(done, workers=1)
    return rows, done


@pytest.mark.parametrize("written", [("moves",), ("moves", "quarantine"), ("moves", "quarantine", "games")])
def test_rerun_after_a_crash_between_writes(twin, local_lake, written):
    rows, done = twin
    write(local_lake, rows)
    for name in written:                       # what the crashed run had committed
        tables.append(local_lake, name, tables.read(done, name))

    report = consolidate(local_lake, workers=1)

    for name in ("games", "moves", "quarantine"):
        key = tables.read(local_lake, name).drop_columns(
            [c for c in ("consolidated_at", "quarantined_at", "raw_version", "ingest_seq", "payload")
             if c in tables.read(local_lake, name).column_names])
        expected = tables.read(done, name).select(key.column_names)
        assert sorted(map(str, key.to_pylist())) == sorted(map(str, expected.to_pylist())), name
    assert [r.name for r in run_checks(local_lake) if r.blocks] == []
    assert report.duplicates_skipped == (6 if "games" in written else 0)
    assert consolidate(local_lake, workers=1).files_read == 0


def test_worker_pool_gives_the_same_verdicts_as_in_process():
    rows = reference_rows("hex8_2p", 4)
    rows.append(altered(rows[0], "x", winner=1 if rows[0]["winner"] == 2 else 2))
    tasks = [ReplayTask("hex8", 2, r["moves"], r["rules_options"], r["status"], r["winner"], r["reason"], "strict")
             for r in rows]
    pooled = list(replay_all(tasks, workers=2, chunk_size=2, min_games_for_pool=1))
    assert pooled == [replay(t) for t in tasks]
    assert [r.reason for r in pooled] == [None, None, None, None, "result_mismatch"]
