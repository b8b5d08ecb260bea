"""Lake maintenance: compaction keeps every row, checkpoints are written, vacuum respects the retention."""
import json
import subprocess
import sys
from datetime import datetime, timezone

import pyarrow.compute as pc
import pytest

from ringrift_lake import tables
from ringrift_lake.maintenance import maintain, maintain_table


def _elo_rows(batch: int, n: int = 3) -> list[dict]:
    now = datetime.now(timezone.utc)
    return [dict(config="square8_2p", player_id=f"p{batch}-{i}", rating=400.0 + i, stderr=10.0, games=4,
                 wins=2.0, matches_version=batch, snapshot_id=f"s{batch}", computed_at=now) for i in range(n)]


def _fill(lake, commits: int = 6) -> None:
    for batch in range(commits):
        tables.append(lake, "elo", _elo_rows(batch))


def test_compacts_small_files_and_keeps_rows(lake):
    _fill(lake)
    before = tables.read(lake, "elo").sort_by("player_id")
    report = maintain_table(lake, "elo")
    assert report.files_before == 6 and report.files_after == 1
    assert report.checkpoint and report.version_after > report.version_before
    assert tables.read(lake, "elo").sort_by("player_id").equals(before)
    # Within the retention nothing is vacuumed, so time travel to the first commit still works.
    assert report.vacuumed == 0
    assert tables.read(lake, "elo", version=0).num_rows == 3


def test_vacuum_below_the_safe_retention_needs_the_unsafe_flag(local_lake):
    _fill(local_lake, 3)
    with pytest.raises(ValueError, match="below the safe 168"):
        maintain_table(local_lake, "elo", retention_hours=0)
    report = maintain_table(local_lake, "elo", retention_hours=0, unsafe_retention=True)
    assert report.vacuumed == 3          # the three pre-compaction files are gone
    assert tables.read(local_lake, "elo").num_rows == 9
    assert tables.file_uris(local_lake, "elo") and len(tables.file_uris(local_lake, "elo")) == 1


def test_dry_run_changes_nothing(local_lake):
    _fill(local_lake, 4)
    version = tables.version(local_lake, "elo")
    report = maintain_table(local_lake, "elo", dry_run=True)
    assert report.version_after == version and report.files_after == 4 and not report.checkpoint


def test_every_table_and_missing_tables_are_skipped(local_lake):
    _fill(local_lake, 2)
    reports = {r.table: r for r in maintain(local_lake)}
    assert reports["elo"].files_after == 1
    assert reports["games"].skipped == "table does not exist"
    with pytest.raises(ValueError, match="unknown tables"):
        maintain(local_lake, ["nope"])


def test_cli_reports_json(local_lake, lake_env):
    _fill(local_lake, 3)
    out = subprocess.run([sys.executable, "-m", "cli", "maintenance", "--table", "elo", "--json"],
                         env=lake_env, capture_output=True, text=True, check=True).stdout
    (report,) = json.loads(out)
    assert report["table"] == "elo" and report["files_before"] == 3 and report["files_after"] == 1
    rows = tables.read(local_lake, "elo", filter=pc.field("snapshot_id") == "s2")
    assert rows.num_rows == 3
