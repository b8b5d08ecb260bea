"""The verdicts on a run's candidate games: the engine's replay, then the blocking per-game checks."""
from __future__ import annotations

import json

import duckdb
import pyarrow as pa

from ringrift_lake.checks import offending_games
from ringrift_lake.consolidate.replay import ReplayResult, ReplayTask, replay_all
from ringrift_lake.consolidate.screening import Rejection


def replay_rows(raw: pa.Table, rows: list[int], hashes: list[int], workers: int,
                progress=None) -> tuple[dict[int, ReplayResult], int]:
    """Replay each distinct (content, validation mode, search entries) once; returns row -> ReplayResult and how
    many were replayed."""
    from engine import parse_config

    cols = {name: raw.column(name).to_pylist() for name in (
        "config", "rules_options", "status", "winner", "reason", "validation_mode")}
    searches = raw.column("search") if "search" in raw.column_names else None
    search_keys = _search_keys(searches, rows)
    first_row: dict[tuple, int] = {}
    for row in rows:
        first_row.setdefault((hashes[row], cols["validation_mode"][row], search_keys.get(row)), row)
    move_lists = raw.column("moves")
    tasks = []
    for row in first_row.values():
        cfg = parse_config(cols["config"][row])
        tasks.append(ReplayTask(cfg.board_type, cfg.num_players, move_lists[row].as_py(), cols["rules_options"][row],
                                cols["status"][row], cols["winner"][row], cols["reason"][row],
                                cols["validation_mode"][row],
                                searches[row].as_py() if searches is not None else None))
    verdicts = []
    for verdict in replay_all(tasks, workers=workers):
        verdicts.append(verdict)
        if progress is not None:
            progress(len(verdicts), len(tasks))
    by_key = dict(zip(first_row.keys(), verdicts))
    return {row: by_key[(hashes[row], cols["validation_mode"][row], search_keys.get(row))] for row in rows}, len(tasks)


def _search_keys(searches, rows: list[int]) -> dict[int, int]:
    """row -> a hash of its search entries (rows without search have none): copies of one game with other
    search entries are checked each."""
    if searches is None or searches.null_count == len(searches):
        return {}
    valid = searches.is_valid().to_pylist()
    return {row: hash(json.dumps(searches[row].as_py(), sort_keys=True)) for row in rows if valid[row]}


def check_failures(games: pa.Table, moves: pa.Table) -> dict[str, Rejection]:
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
