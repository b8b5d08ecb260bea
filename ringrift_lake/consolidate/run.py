"""consolidate: new raw_games rows -> validated games + moves, the rest -> quarantine.

Steps: read the raw_games files new since each scope's watermark; screen
shapes; de-duplicate by game_id (batch and games); replay each distinct
content with the engine (worker processes when many); run the blocking
per-game checks of ``ringrift_lake.checks`` over the candidate batch (Arrow
views named ``games`` and ``moves``); quarantine the rejected with a reason.

Write order, so that a crash anywhere loses nothing and duplicates nothing
on re-run: moves (games that already have moves rows from a crashed run
are skipped), quarantine (only keys not present), games (append; a re-run
finds them and skips identical copies), and last the watermark rows.
Runs for different configs may overlap (appends commute; ``sequence``
keeps ingest_seq unique); two runs over the same config at once may both
insert the same new games, so one config is consolidated by one run at a time
(under Dagster the consolidation op holds the pool `consolidate`, limit 1).
"""
from __future__ import annotations

import json
import os
import time
import uuid
from datetime import datetime, timezone

import duckdb
import pyarrow as pa
import pyarrow.compute as pc

from ringrift_lake import tables
from ringrift_lake.checks import offending_games
from ringrift_lake.consolidate import watermark
from ringrift_lake.consolidate.replay import ReplayTask, replay_all
from ringrift_lake.consolidate.report import ConsolidateReport
from ringrift_lake.consolidate.rows import games_rows, moves_rows, quarantine_rows, with_move_summaries
from ringrift_lake.consolidate.sequence import append_numbered
from ringrift_lake.consolidate.screening import Rejection, content_hashes, deduplicate, screen_shape
from ringrift_lake.location import Lake


def _games_index(lake: Lake, game_ids: list[str]) -> tuple[dict[str, int], int, int | None]:
    """(game_id -> content hash for those of ``game_ids`` already in games, next ingest_seq, the games
    version read): one read."""
    read_version = tables.version(lake, "games")
    index = tables.read(lake, "games", columns=["game_id", "content_hash", "ingest_seq"], version=read_version)
    top = pc.max(index.column("ingest_seq")).as_py() if index.num_rows else None
    found = index.filter(pc.is_in(index.column("game_id"), pa.array(sorted(set(game_ids)), pa.string())))
    existing = dict(zip(found.column("game_id").to_pylist(), found.column("content_hash").to_pylist()))
    return existing, 1 if top is None else top + 1, read_version


def _ids_with_moves(lake: Lake, game_ids: list[str], moves_version_done: int | None) -> set[str]:
    """Game ids whose moves a crashed run already wrote (moves files added since the last finished run)."""
    current = tables.version(lake, "moves")
    if current is None or not game_ids or current == moves_version_done:
        return set()
    paths = watermark.files_since(lake, "moves", moves_version_done, current)
    found = watermark.read_files(lake, "moves", sorted(paths), columns=["game_id"],
                                 filter=pc.field("game_id").isin(pa.array(game_ids, pa.string())))
    return set(found.column("game_id").to_pylist())


def _replay(raw: pa.Table, rows: list[int], hashes: list[int], workers: int, progress=None):
    """Replay each distinct (content, validation mode) once; returns row -> ReplayResult and how many were replayed."""
    from engine import parse_config

    cols = {name: raw.column(name).to_pylist() for name in (
        "config", "rules_options", "status", "winner", "reason", "validation_mode")}
    first_row: dict[tuple, int] = {}
    for row in rows:
        first_row.setdefault((hashes[row], cols["validation_mode"][row]), row)
    move_lists = raw.column("moves")
    tasks = []
    for row in first_row.values():
        cfg = parse_config(cols["config"][row])
        board_type, num_players = cfg.board_type, cfg.num_players
        tasks.append(ReplayTask(board_type, num_players, move_lists[row].as_py(), cols["rules_options"][row],
                                cols["status"][row], cols["winner"][row], cols["reason"][row],
                                cols["validation_mode"][row]))
    verdicts = []
    for verdict in replay_all(tasks, workers=workers):
        verdicts.append(verdict)
        if progress is not None:
            progress(len(verdicts), len(tasks))
    by_key = dict(zip(first_row.keys(), verdicts))
    return {row: by_key[(hashes[row], cols["validation_mode"][row])] for row in rows}, len(tasks)


def _check_failures(games: pa.Table, moves: pa.Table) -> dict[str, Rejection]:
    """game_id -> the first blocking check it fails (reason = check name)."""
    con = duckdb.connect()
    try:
        con.register("games", games)
        con.register("moves", moves)
        offenders = offending_games(con)
    finally:
        con.close()
    failures: dict[str, Rejection] = {}
    for game_id, reason, detail in zip(*(offenders.column(c).to_pylist() for c in ("game_id", "reason", "detail"))):
        if game_id not in failures:
            ply = json.loads(detail).get("ply")
            failures[game_id] = Rejection(-1, reason, ply if isinstance(ply, int) else None, detail)
    return failures


def _per_scope(configs: pa.ChunkedArray | pa.Array) -> dict[str, int]:
    counts: dict[str, int] = {}
    for entry in pc.value_counts(configs).to_pylist():
        scope = watermark.scope_of_partition(entry["values"])
        counts[scope] = counts.get(scope, 0) + entry["counts"]
    return counts


def _state_rows(report: ConsolidateReport, accepted: pa.Table, moves: pa.Table, rejected_configs: list[str],
                started: datetime, finished: datetime) -> list[dict]:
    games_by, moves_by = _per_scope(accepted.column("config")), _per_scope(moves.column("config"))
    rejected_by = _per_scope(pa.array(rejected_configs, pa.string()))
    return [{"run_id": report.run_id, "config": scope, "raw_version": report.raw_version,
             "games_version": report.versions.get("games"), "moves_version": report.versions.get("moves"),
             "games_added": games_by.get(scope, 0), "moves_added": moves_by.get(scope, 0),
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
    existing, next_seq, games_read_version = _games_index(lake, [game_ids[r] for r in usable])
    dedup = deduplicate(game_ids, hashes, usable, existing)
    rejected.update(dedup.conflicts)
    report.duplicates_skipped = dedup.identical

    t_replay = time.perf_counter()
    results, report.replayed = _replay(raw, dedup.keep, hashes, workers or os.cpu_count() or 1, progress)
    report.replay_seconds = time.perf_counter() - t_replay
    for row in dedup.keep:
        if results[row].reason == "schema_error":
            rejected[row] = Rejection(row, "schema_error", results[row].ply, results[row].detail)
    candidates = [row for row in dedup.keep if row not in rejected]

    games = games_rows(raw, candidates, hashes, report.raw_version, started)
    moves = moves_rows(raw, candidates, [results[row] for row in candidates])
    games = with_move_summaries(games, moves)
    failures = _check_failures(games, moves)
    for row in candidates:
        failed = failures.get(game_ids[row])
        if failed is not None:
            rejected[row] = Rejection(row, failed.reason, failed.ply, failed.detail)
        elif results[row].reason is not None:
            rejected[row] = Rejection(row, results[row].reason, results[row].ply, results[row].detail)
    accepted_ids = pa.array([game_ids[row] for row in candidates if row not in rejected], pa.string())
    games = games.filter(pc.is_in(games.column("game_id"), accepted_ids))
    moves = moves.filter(pc.is_in(moves.column("game_id"), accepted_ids))

    moves_done = watermark.done_version(state, report.scopes, "moves_version")
    already = _ids_with_moves(lake, accepted_ids.to_pylist(), moves_done)
    new_moves = moves.filter(pc.invert(pc.is_in(moves.column("game_id"), pa.array(sorted(already), pa.string()))))
    if new_moves.num_rows:
        tables.append(lake, "moves", new_moves)
    rejections = sorted(rejected.values(), key=lambda r: r.row)
    _write_quarantine(lake, quarantine_rows(raw, rejections, report.raw_version, started))
    if games.num_rows:
        append_numbered(lake, games, next_seq, games_read_version)

    report.games_added, report.moves_added = games.num_rows, moves.num_rows
    report.count_reasons(r.reason for r in rejections)
    report.versions = {name: tables.version(lake, name) for name in ("games", "moves", "quarantine")}
    configs_rejected = [raw.column("config")[r.row].as_py() for r in rejections]
    tables.append(lake, watermark.STATE_TABLE,
                  _state_rows(report, games, moves, configs_rejected, started, datetime.now(timezone.utc)))
    report.seconds = time.perf_counter() - t0
    return report


def _write_quarantine(lake: Lake, rows: pa.Table) -> None:
    """Insert quarantine rows whose (game_id, reason) is not there yet (a re-run after a crash)."""
    if rows.num_rows == 0:
        return
    present = tables.read(lake, "quarantine", columns=["game_id", "reason"],
                          filter=pc.field("game_id").isin(rows.column("game_id")))
    seen = set(zip(present.column("game_id").to_pylist(), present.column("reason").to_pylist()))
    keys = list(zip(rows.column("game_id").to_pylist(), rows.column("reason").to_pylist()))
    keep, taken = [], set()
    for i, key in enumerate(keys):
        if key not in seen and key not in taken:
            keep.append(i)
            taken.add(key)
    if keep:
        tables.merge_insert_new(lake, "quarantine", rows.take(pa.array(keep, pa.int64())))
