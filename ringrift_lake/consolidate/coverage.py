"""Which moves rows may belong to games that are not in ``games`` yet, and how far that is ruled out.

Moves are committed before their games, so between the two commits of a
run (or forever, if the run died there) a game has moves rows and no games
row. A new run must not write moves for such a game again. Per scope
(config partition), every moves row up to the scope's floor belongs to a
game in games (``watermark.moves_floors``); so only files added since the
floor can hold moves of the run's candidates. ``MovesCoverage`` reads the
game ids in those files (normally none: the last run moved the floor to its
own commit), takes in the files other writers add while the run commits,
and afterwards computes the floors this run can vouch for: up to the last
stretch of versions whose games are all in games now.
"""
from __future__ import annotations

import pyarrow as pa
import pyarrow.compute as pc

from ringrift_lake.consolidate import watermark
from ringrift_lake.consolidate.commit import TableCursor
from ringrift_lake.location import Lake

TABLE = "moves"
ID_COLUMNS = ["config", "game_id"]


def _ids_by_scope(rows: pa.Table, scopes) -> dict[str, pa.Array]:
    configs = rows.column("config").to_pylist()
    game_ids = rows.column("game_id").to_pylist()
    found: dict[str, set] = {scope: set() for scope in scopes}
    for config, game_id in zip(configs, game_ids):
        scope = watermark.scope_of_partition(config)
        if scope in found:
            found[scope].add(game_id)
    return {scope: pa.array(sorted(ids), pa.string()) for scope, ids in found.items()}


class MovesCoverage:
    """The moves table as one consolidation run sees it while it writes."""

    def __init__(self, lake: Lake, floors: dict[str, int | None]):
        self.lake, self.floors = lake, floors
        self.cursor = TableCursor.open(lake, TABLE)        # None: no moves table yet
        # (version, scope -> game ids in files added up to that version), oldest first
        self.stretches: list[tuple[int, dict[str, pa.Array]]] = []
        if self.cursor is None:
            return
        current = watermark.files_by_scope(lake, TABLE, self.cursor.version)
        before: dict[int, dict[str, set[str]]] = {}
        paths: set[str] = set()
        for scope, floor in floors.items():
            files = current.get(scope, set())
            if floor is not None and files:
                if floor not in before:
                    try:
                        before[floor] = watermark.files_by_scope(lake, TABLE, floor)
                    except Exception:  # noqa: BLE001 - that version's log is gone: every file counts
                        before[floor] = {}
                files = files - before[floor].get(scope, set())
            paths |= files
        rows = watermark.read_files(lake, TABLE, sorted(paths), columns=ID_COLUMNS)
        self.stretches.append((self.cursor.version, _ids_by_scope(rows, floors)))

    def writer(self) -> TableCursor:
        """The cursor to commit moves with (the table is created when it does not exist yet)."""
        if self.cursor is None:
            self.cursor = TableCursor.create(self.lake, TABLE)
        return self.cursor

    def take_in(self, version: int, rows: pa.Table) -> None:
        """Rows (config, game_id) that other writers committed up to ``version``."""
        self.stretches.append((version, _ids_by_scope(rows, self.floors)))

    def seen_ids(self) -> pa.Array:
        """Every game id with moves rows in the files added since the floors."""
        arrays = [ids for _, by_scope in self.stretches for ids in by_scope.values()]
        return pc.unique(pa.concat_arrays(arrays)) if arrays else pa.array([], pa.string())

    def floors_after(self, games_ids: pa.Array) -> dict[str, int | None]:
        """The floors to record, given the game ids now known to be in games."""
        out = {}
        for scope, floor in self.floors.items():
            for version, by_scope in self.stretches:
                if len(by_scope[scope]) and not pc.all(pc.is_in(by_scope[scope], value_set=games_ids), min_count=0).as_py():
                    break
                floor = version
            out[scope] = floor
        return out
