"""``repair_duplicates``: remove exact duplicates already in games, moves and quarantine.

Duplicates can only be left by runs of an older version that overlapped
(the current protocol adds none). What counts as an exact duplicate, and
which copy stays:

* games: rows with one game_id and one content_hash (the same game, numbered
  and stamped twice); the copy with the smallest ingest_seq stays;
* moves: rows with one (game_id, ply) that are equal in every column; one stays;
* quarantine: rows with one (game_id, reason, ply, detail, payload); the
  earliest quarantined_at stays.

Copies that differ (a game_id with two contents, a ply with two moves) are
not exact duplicates: they are counted as conflicts and left for a person.
Each table is rewritten in one commit that replaces only the rows of the
affected game ids (an overwrite with a predicate), on the version that was
read; if another writer commits first, the table is read again.
"""
from __future__ import annotations

import random
import time
from dataclasses import asdict, dataclass, field

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from deltalake import CommitProperties, write_deltalake
from deltalake.exceptions import CommitFailedError

from ringrift_lake import tables
from ringrift_lake.location import Lake
from ringrift_lake.schemas import spec

# table -> (columns that make copies the same row, order that picks the copy to keep)
IDENTITY = {
    "games": (["game_id", "content_hash"], [("ingest_seq", "ascending")]),
    "moves": (["game_id", "ply", "move_json", "visits_json"], [("ply", "ascending")]),
    "quarantine": (["game_id", "reason", "ply", "detail", "payload"], [("quarantined_at", "ascending")]),
}
KEY = {"games": ["game_id"], "moves": ["game_id", "ply"], "quarantine": ["game_id", "reason"]}
ATTEMPTS = 20


@dataclass
class TableRepair:
    removed: int = 0                                   # duplicate rows removed
    games: list[str] = field(default_factory=list)     # game ids whose rows were rewritten
    conflicts: list[str] = field(default_factory=list)  # game ids with differing copies (left as they are)
    version: int | None = None                         # the repair commit's version (None: nothing to do)


@dataclass
class RepairReport:
    tables: dict[str, TableRepair] = field(default_factory=dict)

    @property
    def removed(self) -> int:
        return sum(t.removed for t in self.tables.values())

    def as_dict(self) -> dict:
        return {name: asdict(t) for name, t in self.tables.items()}

    def render(self) -> str:
        lines = []
        for name, t in self.tables.items():
            line = f"repair {name:<11} removed {t.removed} duplicate rows of {len(t.games)} games"
            if t.conflicts:
                line += f"; {len(t.conflicts)} games have differing copies, left as they are: " \
                        + ", ".join(t.conflicts[:5]) + (" ..." if len(t.conflicts) > 5 else "")
            lines.append(line)
        return "\n".join(lines)


def _repeated_ids(keys: pa.Table, key: list[str]) -> pa.Array:
    counts = keys.group_by(key).aggregate([([], "count_all")])
    return pc.unique(counts.filter(pc.greater(counts.column("count_all"), 1)).column("game_id"))


def _distinct(rows: pa.Table, identity: list[str], order) -> pa.Table:
    """One row per distinct ``identity``: the first in ``order``."""
    rows = rows.sort_by(order)
    rows = rows.append_column("_row", pa.array(np.arange(rows.num_rows), pa.int64()))
    first = rows.select(identity + ["_row"]).group_by(identity, use_threads=False).aggregate([("_row", "min")])
    return rows.take(np.sort(first.column("_row_min").to_numpy())).drop_columns(["_row"])


def _repair_table(lake: Lake, name: str) -> TableRepair:
    identity, order = IDENTITY[name]
    for attempt in range(ATTEMPTS):
        handle = tables.open_table(lake, name)
        if handle is None:
            return TableRepair()
        data = handle.to_pyarrow_dataset(filesystem=lake.table_filesystem(name))
        ids = _repeated_ids(data.to_table(columns=KEY[name]), KEY[name])
        if len(ids) == 0:
            return TableRepair()
        rows = data.to_table(filter=pc.field("game_id").isin(ids))
        kept = _distinct(rows, identity, order)
        still = _repeated_ids(kept.select(KEY[name]), KEY[name])
        result = TableRepair(conflicts=sorted(still.to_pylist()))
        fixable = pc.invert(pc.is_in(kept.column("game_id"), value_set=still))
        kept = kept.filter(fixable)
        result.games = sorted(pc.unique(kept.column("game_id")).to_pylist())
        if not result.games:
            return result
        before = rows.filter(pc.is_in(rows.column("game_id"), value_set=pa.array(result.games, pa.string())))
        result.removed = before.num_rows - kept.num_rows
        quoted = ", ".join("'" + g.replace("'", "''") + "'" for g in result.games)
        try:
            write_deltalake(handle, tables.conform(name, kept), mode="overwrite", predicate=f"game_id IN ({quoted})",
                            partition_by=list(spec(name).partition_by) or None,
                            storage_options=lake.storage_options, writer_properties=tables.WRITER_PROPERTIES,
                            commit_properties=CommitProperties(max_commit_retries=0))
        except CommitFailedError:
            time.sleep(random.uniform(0, 0.05 * 2 ** min(attempt, 5)))
            continue
        result.version = handle.version()
        return result
    raise tables.CommitError(f"repair {name}: the table moved on {ATTEMPTS} times in a row")


def repair_duplicates(lake: Lake) -> RepairReport:
    """Remove exact duplicate rows from games, moves and quarantine (see the module docstring)."""
    return RepairReport({name: _repair_table(lake, name) for name in ("games", "moves", "quarantine")})
