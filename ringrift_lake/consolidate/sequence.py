"""games.ingest_seq: strictly increasing and unique, also when runs for different configs overlap.

A run numbers its games from max(ingest_seq) + 1 of the games snapshot it
read. If another run committed games after that snapshot and before this
run's commit, both may have taken the same numbers. So after committing,
a run compares its numbers with every game committed before its own commit
(the snapshot at its commit version - 1) and, on a collision, renumbers its
games above them in one MERGE commit, and checks again. Games committed
after ours are the later run's to check. Without overlap (the usual case:
our commit is the snapshot version + 1) nothing is read or rewritten.
"""
from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ringrift_lake import tables
from ringrift_lake.location import Lake

TABLE = "games"


def numbered(games: pa.Table, first_seq: int) -> pa.Table:
    """games with ingest_seq first_seq, first_seq + 1, ... in row order."""
    field = tables.spec(TABLE).schema.field("ingest_seq")
    seq = pa.array(np.arange(first_seq, first_seq + games.num_rows), pa.int64())
    return games.set_column(games.schema.get_field_index("ingest_seq"), field, seq)


def _collides(lake: Lake, before_version: int, ours: pa.Table) -> int | None:
    """None if no game committed up to ``before_version`` shares our numbers, else their max ingest_seq."""
    prior = tables.read(lake, TABLE, columns=["game_id", "ingest_seq"], version=before_version)
    others = prior.filter(pc.invert(pc.is_in(prior.column("game_id"), ours.column("game_id"))))
    if others.num_rows == 0:
        return None
    taken = pc.is_in(ours.column("ingest_seq"), others.column("ingest_seq"))
    if not pc.any(taken).as_py():
        return None
    return pc.max(others.column("ingest_seq")).as_py()


def _renumber(handle, ours: pa.Table) -> None:
    source = ours.select(["config", "game_id", "ingest_seq"])

    def commit():
        handle.update_incremental()          # a retry merges against the newest snapshot
        (handle.merge(source, predicate="t.config = s.config AND t.game_id = s.game_id", source_alias="s",
                      target_alias="t", writer_properties=tables.WRITER_PROPERTIES)
         .when_matched_update(updates={"ingest_seq": "s.ingest_seq"})
         .execute())

    tables.with_retries(commit, f"renumber {ours.num_rows} games")


def append_numbered(lake: Lake, games: pa.Table, first_seq: int, read_version: int | None,
                    max_rounds: int = 20) -> int:
    """Append ``games`` numbered from ``first_seq`` (computed on snapshot ``read_version``) and make their
    numbers unique against every game committed before them; returns how many renumberings it took."""
    handle = tables.ensure_table(lake, TABLE) if read_version is None else tables.open_table(lake, TABLE,
                                                                                            read_version)
    ours = numbered(games, first_seq)
    version = tables.append(lake, TABLE, ours, table=handle)
    base = -1 if read_version is None else read_version      # the snapshot first_seq was computed on
    if version == base + 1:
        return 0
    for rounds in range(1, max_rounds + 1):
        top = _collides(lake, version - 1, ours)
        if top is None:
            return rounds - 1
        ours = numbered(ours, max(top, pc.max(ours.column("ingest_seq")).as_py()) + 1)
        _renumber(handle, ours)
        version = handle.version()
    raise RuntimeError(f"ingest_seq of {ours.num_rows} games still collided after {max_rounds} renumberings")
