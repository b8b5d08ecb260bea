"""games: one commit per run, on the snapshot its games were de-duplicated and numbered against.

A run numbers its new games max(ingest_seq) + 1, + 2, ... of the games
snapshot it read and commits them as exactly the next version
(``commit.append_on_checked``). If another run committed games first, the
commit fails before anything is visible; the run reads the games the other
committed, drops its own rows whose game_id is now there (an identical copy
counts as a duplicate, a different content is a conflict) and numbers the
rest above everything committed, then tries again. So ingest_seq is unique,
increases with commit order, and has no gaps from a run that lost a race;
and no game_id is added twice, whatever the number of concurrent runs.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ringrift_lake import tables
from ringrift_lake.consolidate.commit import TableCursor, append_on_checked

TABLE = "games"
CHECK_COLUMNS = ["game_id", "content_hash", "ingest_seq"]


def numbered(games: pa.Table, first_seq: int) -> pa.Table:
    """games with ingest_seq first_seq, first_seq + 1, ... in row order."""
    field_ = tables.spec(TABLE).schema.field("ingest_seq")
    seq = pa.array(np.arange(first_seq, first_seq + games.num_rows), pa.int64())
    return games.set_column(games.schema.get_field_index("ingest_seq"), field_, seq)


@dataclass
class GamesCommit:
    version: int | None                               # the commit's version (None: nothing left to add)
    added: pa.Table                                   # the rows committed, with their ingest_seq
    identical: list[str] = field(default_factory=list)    # ids another run committed with the same content
    conflicting: list[str] = field(default_factory=list)  # ids another run committed with other content
    seen_ids: list[pa.Array] = field(default_factory=list)  # every game id other runs committed meanwhile
    attempts: int = 1


def append_numbered(cursor: TableCursor, games: pa.Table, top_seq: int | None) -> GamesCommit:
    """Commit ``games`` (checked against ``cursor.version``, whose max ingest_seq is ``top_seq``)."""
    result = GamesCommit(None, games)
    top = [0 if top_seq is None else top_seq]

    def refresh(rows: pa.Table, added: pa.Table) -> pa.Table:
        result.seen_ids.append(added.column("game_id").combine_chunks())
        if added.num_rows:
            top[0] = max(top[0], pc.max(added.column("ingest_seq")).as_py() or 0)
        present = dict(zip(added.column("game_id").to_pylist(), added.column("content_hash").to_pylist()))
        keep = []
        for i, (game_id, digest) in enumerate(zip(rows.column("game_id").to_pylist(),
                                                   rows.column("content_hash").to_pylist())):
            if game_id not in present:
                keep.append(i)
            elif present[game_id] == digest:
                result.identical.append(game_id)
            else:
                result.conflicting.append(game_id)
        return numbered(rows.take(pa.array(keep, pa.int64())), top[0] + 1)

    commit = append_on_checked(cursor, numbered(games, top[0] + 1), refresh, CHECK_COLUMNS,
                               f"add {games.num_rows} games")
    result.version, result.added, result.attempts = commit.version, commit.rows, len(commit.added) + 1
    return result
