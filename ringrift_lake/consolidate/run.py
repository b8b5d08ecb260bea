"""consolidate: new raw_games rows -> validated games + moves, the rest -> quarantine.

Steps: read the raw_games files new since each scope's watermark; screen
shapes; de-duplicate by game_id (batch and games); replay each distinct
content with the engine (worker processes when many); run the blocking
per-game checks of ``ringrift_lake.checks`` over the candidate batch (Arrow
views named ``games`` and ``moves``); quarantine the rejected with a reason.

Write order: moves, quarantine, games, and last the watermark rows; a game
is visible in games only once its moves are. Every table commit is an
append on the version its rows were checked against (``commit``), so any
number of runs may overlap, on one machine or many, with or without
Dagster: moves are written once per game (``coverage``), quarantine once
per (game_id, reason), games once per game_id with ingest_seq numbered on
the snapshot the commit lands on (``sequence``). A run that dies between
its commits is finished by the next: that run finds the moves already
written and adds the games.
"""
from __future__ import annotations

import os
import time
import uuid
from datetime import datetime, timezone

import pyarrow as pa
import pyarrow.compute as pc

from ringrift_lake import tables
from ringrift_lake.consolidate import watermark
from ringrift_lake.consolidate.commit import TableCursor
from ringrift_lake.consolidate.coverage import MovesCoverage
from ringrift_lake.consolidate.report import ConsolidateReport
from ringrift_lake.consolidate.rows import games_rows, moves_rows, quarantine_rows, with_move_summaries
from ringrift_lake.consolidate.screening import Rejection, content_hashes, deduplicate, screen_shape
from ringrift_lake.consolidate.sequence import append_numbered
from ringrift_lake.consolidate.verdicts import check_failures, replay_rows
from ringrift_lake.consolidate.writes import write_moves, write_quarantine
from ringrift_lake.location import Lake


def _games_index(cursor: TableCursor | None, game_ids: list[str]):
    """(game_id -> content hash for those of ``game_ids`` already in games, max ingest_seq, every game id),
    from one read of the games snapshot at the cursor's version."""
    if cursor is None:
        return {}, None, pa.array([], pa.string())
    index = cursor.dataset().to_table(columns=["game_id", "content_hash", "ingest_seq"])
    top = pc.max(index.column("ingest_seq")).as_py() if index.num_rows else None
    found = index.filter(pc.is_in(index.column("game_id"), pa.array(sorted(set(game_ids)), pa.string())))
    existing = dict(zip(found.column("game_id").to_pylist(), found.column("content_hash").to_pylist()))
    return existing, top, index.column("game_id").combine_chunks()


def _per_scope(configs: pa.ChunkedArray | pa.Array) -> dict[str, int]:
    counts: dict[str, int] = {}
    for entry in pc.value_counts(configs).to_pylist():
        scope = watermark.scope_of_partition(entry["values"])
        counts[scope] = counts.get(scope, 0) + entry["counts"]
    return counts


def _state_rows(report: ConsolidateReport, added: pa.Table, moves_written: dict[str, int],
                rejected_configs: list[str], floors: dict, games_version, started: datetime) -> list[dict]:
    games_by = _per_scope(added.column("config"))
    rejected_by = _per_scope(pa.array(rejected_configs, pa.string()))
    finished = datetime.now(timezone.utc)
    return [{"run_id": report.run_id, "config": scope, "raw_version": report.raw_version,
             "games_version": games_version, "moves_version": floors.get(scope),
             "games_added": games_by.get(scope, 0), "moves_added": moves_written.get(scope, 0),
             "quarantined": rejected_by.get(scope, 0), "duplicates_skipped": None,
             "started_at": started, "finished_at": finished} for scope in report.scopes]


def consolidate(lake: Lake, configs=None, workers: int | None = None, progress=None) -> ConsolidateReport:
    """Consolidate raw_games rows not consolidated yet (all configs, or only ``configs``).

    ``workers``: replay processes (default: one per CPU); ``progress(done, total)`` is called
    as distinct games finish replaying.
    """
    t0, started = time.perf_counter(), datetime.now(timezone.utc)
    report = ConsolidateReport(run_id=uuid.uuid4().hex, scopes=watermark.scopes_for(configs))
    report.raw_version = tables.version(lake, watermark.RAW_TABLE)
    if report.raw_version is None:
        return report
    state = tables.read(lake, watermark.STATE_TABLE, columns=["config", "raw_version", "moves_version"])
    paths = watermark.new_raw_files(lake, report.raw_version, watermark.watermarks(state, report.scopes))
    report.files_read = len(paths)
    if not paths:
        report.seconds = time.perf_counter() - t0
        return report
    raw = watermark.read_files(lake, watermark.RAW_TABLE, paths)
    report.games_read = raw.num_rows
    hashes = content_hashes(raw)
    game_ids = raw.column("game_id").to_pylist()

    rejected = screen_shape(raw)
    usable = [row for row in range(raw.num_rows) if row not in rejected]
    games_cursor = TableCursor.open(lake, "games")
    existing, top_seq, known_ids = _games_index(games_cursor, [game_ids[r] for r in usable])
    dedup = deduplicate(game_ids, hashes, usable, existing)
    rejected.update(dedup.conflicts)
    report.duplicates_skipped = dedup.identical

    t_replay = time.perf_counter()
    results, report.replayed = replay_rows(raw, dedup.keep, hashes, workers or os.cpu_count() or 1, progress)
    report.replay_seconds = time.perf_counter() - t_replay
    for row in dedup.keep:
        if results[row].reason == "schema_error":
            rejected[row] = Rejection(row, "schema_error", results[row].ply, results[row].detail)
    candidates = [row for row in dedup.keep if row not in rejected]

    games = games_rows(raw, candidates, hashes, report.raw_version, started)
    moves = moves_rows(raw, candidates, [results[row] for row in candidates])
    games = with_move_summaries(games, moves)
    failures = check_failures(games, moves)
    for row in candidates:
        failed = failures.get(game_ids[row])
        if failed is not None:
            rejected[row] = Rejection(row, failed.reason, failed.ply, failed.detail)
        elif results[row].reason is not None:
            rejected[row] = Rejection(row, results[row].reason, results[row].ply, results[row].detail)
    accepted_ids = pa.array([game_ids[row] for row in candidates if row not in rejected], pa.string())
    games = games.filter(pc.is_in(games.column("game_id"), accepted_ids))
    moves = moves.filter(pc.is_in(moves.column("game_id"), accepted_ids))

    coverage = MovesCoverage(lake, watermark.moves_floors(state, report.scopes))
    written = write_moves(coverage, moves)
    report.moves_added = written.num_rows
    rejections = sorted(rejected.values(), key=lambda r: r.row)
    write_quarantine(lake, quarantine_rows(raw, rejections, report.raw_version, started))
    commit = append_numbered(games_cursor or TableCursor.create(lake, "games"), games, top_seq)
    report.games_added = commit.added.num_rows
    report.duplicates_skipped += len(commit.identical)
    if commit.conflicting:       # another run added these ids with other content meanwhile
        row_of = {game_ids[row]: row for row in candidates}
        late = [Rejection(row_of[g], "duplicate_conflict", None, "game_id consolidated meanwhile with different "
                          "content") for g in commit.conflicting]
        write_quarantine(lake, quarantine_rows(raw, late, report.raw_version, started))
        rejections += late

    in_games = pa.concat_arrays([known_ids, commit.added.column("game_id").combine_chunks(), *commit.seen_ids])
    floors = coverage.floors_after(in_games)
    report.count_reasons(r.reason for r in rejections)
    report.versions = {name: tables.version(lake, name) for name in ("games", "moves", "quarantine")}
    configs_rejected = [raw.column("config")[r.row].as_py() for r in rejections]
    tables.append(lake, watermark.STATE_TABLE,
                  _state_rows(report, commit.added, _per_scope(written.column("config")), configs_rejected,
                              floors, commit.version or report.versions["games"], started))
    report.seconds = time.perf_counter() - t0
    return report
