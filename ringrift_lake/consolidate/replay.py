"""Replaying candidate games with the engine, in worker processes when there are many.

Workers get plain data (``ReplayTask`` tuples of strings and ints) and give
back plain data (``ReplayResult``): the verdict of ``engine.validate_game``
and the typed move columns. The pool uses the spawn context: delta-rs must
not run in a forked child, and this module imports nothing but the engine.
"""
from __future__ import annotations

import json
from typing import Iterator, NamedTuple

from ringrift_lake.consolidate.search_check import REASON as SEARCH_REASON, search_problem
from ringrift_lake.worker_pool import ordered_map

# GameCheck codes -> quarantine reasons (a move that cannot be read is a schema error).
REASON_FOR_CODE = {"unparseable_move": "schema_error"}


class ReplayTask(NamedTuple):
    board_type: str
    num_players: int
    moves: list[str]            # exact move JSON per ply
    rules_options: str | None   # JSON object text
    status: str
    winner: int | None
    reason: str | None
    mode: str                   # strict | legacy
    search: list | None = None  # per-ply search entries (raw_games.search), checked against the replay


class ReplayResult(NamedTuple):
    reason: str | None          # None: the game replays to its recorded result
    ply: int | None
    detail: str
    types: list[str]            # typed move columns (empty when the moves could not be read)
    players: list[int | None]
    from_keys: list[str | None]
    to_keys: list[str | None]
    target_keys: list[str | None]
    counts: list[int | None]


def _rejected(reason: str, ply: int | None, detail: str) -> ReplayResult:
    return ReplayResult(reason, ply, detail, [], [], [], [], [], [])


def replay(task: ReplayTask) -> ReplayResult:
    """Validate one game (strict or legacy) and read its move columns."""
    from engine import geometry_for, move_from_json, validate_game

    try:
        options = json.loads(task.rules_options) if task.rules_options else None
        if options is not None and not isinstance(options, dict):
            raise ValueError("rules_options is not a JSON object")
    except ValueError as exc:
        return _rejected("schema_error", None, f"rules_options: {exc}")
    geometry = geometry_for(task.board_type)
    moves, columns = [], ([], [], [], [], [], [])
    for ply, text in enumerate(task.moves, start=1):
        try:
            data = json.loads(text)
            move = move_from_json(data, geometry)
        except (ValueError, KeyError, TypeError, IndexError) as exc:
            return _rejected("schema_error", ply, f"move {ply} is not a readable move: {exc}")
        moves.append(data)
        for column, value in zip(columns, (
                move.type, move.player,
                None if move.frm is None else geometry.keys[move.frm],
                None if move.to is None else geometry.keys[move.to],
                None if move.target is None else geometry.keys[move.target],
                move.count if move.type == "place_ring" else None)):
            column.append(value)
    try:
        check = validate_game(task.board_type, task.num_players, moves, rules_options=options,
                              expected_status=task.status, expected_winner=task.winner,
                              expected_reason=task.reason, mode=task.mode)
    except (ValueError, KeyError, TypeError, IndexError) as exc:
        return _rejected("schema_error", None, f"replay could not start: {exc}")
    reason = None if check.ok else REASON_FOR_CODE.get(check.code, check.code)
    if reason is None and task.search:
        problem = search_problem(task.board_type, task.num_players, [move_from_json(m, geometry) for m in moves],
                                 task.search, options)
        if problem is not None:
            return ReplayResult(SEARCH_REASON, *problem, *columns)
    return ReplayResult(reason, check.ply, check.detail, *columns)


def _replay_chunk(tasks: list[ReplayTask]) -> list[ReplayResult]:
    return [replay(task) for task in tasks]


def replay_all(tasks: list[ReplayTask], workers: int = 1, chunk_size: int = 16,
               min_games_for_pool: int = 64) -> Iterator[ReplayResult]:
    """Results in task order; `workers` spawned processes (`ordered_map`) when there are enough games."""
    if workers <= 1 or len(tasks) < min_games_for_pool:
        yield from map(replay, tasks)
        return
    chunks = [tasks[i:i + chunk_size] for i in range(0, len(tasks), chunk_size)]
    for results in ordered_map(_replay_chunk, chunks, workers):
        yield from results
