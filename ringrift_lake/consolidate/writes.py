"""The run's commits to moves and quarantine, each safe against any number of concurrent runs.

Both are appends on the version the rows were checked against
(``commit.append_on_checked``): moves rows are written only for games with
no moves rows in the files that may hold them (``coverage.MovesCoverage``),
quarantine rows only for (game_id, reason) keys not there yet; rows another
run committed meanwhile are read from its files and dropped from ours
before the next try. The games commit is ``sequence.append_numbered``.
"""
from __future__ import annotations

import pyarrow as pa
import pyarrow.compute as pc

from ringrift_lake.consolidate.commit import TableCursor, append_on_checked
from ringrift_lake.consolidate.coverage import ID_COLUMNS, MovesCoverage
from ringrift_lake.location import Lake

QUARANTINE_KEY = ["game_id", "reason"]


def _without_games(rows: pa.Table, game_ids) -> pa.Table:
    return rows.filter(pc.invert(pc.is_in(rows.column("game_id"), value_set=pa.array(game_ids, pa.string()))))


def write_moves(coverage: MovesCoverage, moves: pa.Table) -> pa.Table:
    """Append the moves of games that have none yet; returns the rows written."""
    todo = _without_games(moves, coverage.seen_ids())
    if todo.num_rows == 0:
        return todo
    cursor = coverage.writer()

    def refresh(rows: pa.Table, added: pa.Table) -> pa.Table:
        coverage.take_in(cursor.version, added)
        return _without_games(rows, pc.unique(added.column("game_id")))

    commit = append_on_checked(cursor, todo, refresh, ID_COLUMNS, f"add {todo.num_rows} moves rows")
    if commit.version is not None:
        coverage.take_in(commit.version, commit.rows.select(ID_COLUMNS))
    return commit.rows


def _new_keys(rows: pa.Table, present: pa.Table) -> pa.Table:
    """rows whose (game_id, reason) is not in ``present`` and not repeated earlier in ``rows``."""
    seen = set(zip(present.column("game_id").to_pylist(), present.column("reason").to_pylist()))
    keep = []
    for i, key in enumerate(zip(rows.column("game_id").to_pylist(), rows.column("reason").to_pylist())):
        if key not in seen:
            keep.append(i)
            seen.add(key)
    return rows.take(pa.array(keep, pa.int64()))


def write_quarantine(lake: Lake, rows: pa.Table) -> int:
    """Append quarantine rows whose (game_id, reason) is not there yet; returns the rows written."""
    if rows.num_rows == 0:
        return 0
    cursor = TableCursor.open(lake, "quarantine")
    if cursor is None:
        cursor = TableCursor.create(lake, "quarantine")
        present = rows.select(QUARANTINE_KEY).slice(0, 0)
    else:
        present = cursor.dataset().to_table(columns=QUARANTINE_KEY,
                                            filter=pc.field("game_id").isin(rows.column("game_id")))
    commit = append_on_checked(cursor, _new_keys(rows, present), _new_keys, QUARANTINE_KEY,
                               f"add {rows.num_rows} quarantine rows")
    return 0 if commit.version is None else commit.rows.num_rows
