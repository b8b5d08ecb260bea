"""Arrow rows for the consolidated tables: games, moves and quarantine.

Columns copied from raw_games are taken with Arrow kernels (``take``,
``flatten``); only the typed move columns come from the replay results.
"""
from __future__ import annotations

import hashlib
import json
from datetime import datetime

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ringrift_lake import schemas
from ringrift_lake.consolidate.replay import ReplayResult
from ringrift_lake.consolidate.screening import Rejection

GAMES_SCHEMA = schemas.spec("games").schema
MOVES_SCHEMA = schemas.spec("moves").schema
QUARANTINE_SCHEMA = schemas.spec("quarantine").schema


def games_rows(raw: pa.Table, rows: list[int], hashes: list[int], raw_version: int,
               consolidated_at: datetime) -> pa.Table:
    """games rows for raw rows ``rows`` (ingest_seq null until ``with_ingest_seq``)."""
    picked = raw.take(pa.array(rows, pa.int64()))
    n = len(rows)
    extra = {
        "ingest_seq": pa.nulls(n, pa.int64()),
        "raw_version": pa.array(np.full(n, raw_version), pa.int64()),
        "consolidated_at": pa.array([consolidated_at] * n, schemas.TS),
        "content_hash": pa.array([hashes[r] for r in rows], pa.int64()),
    }
    columns = [extra[f.name] if f.name in extra else picked.column(f.name).cast(f.type) for f in GAMES_SCHEMA]
    return pa.Table.from_arrays(columns, schema=GAMES_SCHEMA)


def with_ingest_seq(games: pa.Table, first_seq: int) -> pa.Table:
    index = games.schema.get_field_index("ingest_seq")
    seq = pa.array(np.arange(first_seq, first_seq + games.num_rows), pa.int64())
    return games.set_column(index, GAMES_SCHEMA.field("ingest_seq"), seq)


def _visits_column(raw_visits: list, lengths: list[int]) -> pa.Array:
    values: list = []
    for visits, n in zip(raw_visits, lengths):
        values.extend(visits if visits is not None and len(visits) == n else [None] * n)
    return pa.array(values, pa.string())


def moves_rows(raw: pa.Table, rows: list[int], results: list[ReplayResult]) -> pa.Table:
    """moves rows (one per ply) for raw rows ``rows`` with their readable replay results."""
    picked = raw.take(pa.array(rows, pa.int64()))
    move_lists = picked.column("moves").combine_chunks()
    lengths = pc.list_value_length(move_lists).fill_null(0).to_numpy(zero_copy_only=False)
    game_index = np.repeat(np.arange(len(rows)), lengths)
    ply = np.concatenate([np.arange(1, n + 1, dtype=np.int32) for n in lengths]) if len(rows) else []

    def flat(attr):
        return [v for result in results for v in getattr(result, attr)]

    columns = {
        "config": picked.column("config").take(pa.array(game_index, pa.int64())),
        "game_id": picked.column("game_id").take(pa.array(game_index, pa.int64())),
        "ply": pa.array(ply, pa.int32()),
        "type": pa.array(flat("types"), pa.string()),
        "player": pa.array(flat("players"), pa.int8()),
        "from_key": pa.array(flat("from_keys"), pa.string()),
        "to_key": pa.array(flat("to_keys"), pa.string()),
        "target_key": pa.array(flat("target_keys"), pa.string()),
        "count": pa.array(flat("counts"), pa.int8()),
        "move_json": move_lists.flatten(),
        "visits_json": _visits_column(picked.column("visits").to_pylist(), lengths.tolist()),
    }
    return pa.Table.from_arrays([columns[f.name] for f in MOVES_SCHEMA], schema=MOVES_SCHEMA)


def _payload(raw: pa.Table, row: int) -> str:
    record = raw.slice(row, 1).to_pylist()[0]
    return json.dumps(record, default=str, separators=(",", ":"))


def quarantine_rows(raw: pa.Table, rejections: list[Rejection], raw_version: int,
                    quarantined_at: datetime) -> pa.Table:
    """One quarantine row per rejection, with the raw row as payload."""
    from engine import CONFIGS

    game_ids = raw.column("game_id").to_pylist()
    configs = raw.column("config").to_pylist()
    sources = raw.column("source").to_pylist()
    records = []
    for r in rejections:
        payload = _payload(raw, r.row)
        game_id = game_ids[r.row] or "unidentified-" + hashlib.blake2b(payload.encode(), digest_size=8).hexdigest()
        records.append({
            "game_id": game_id, "config": configs[r.row] if configs[r.row] in CONFIGS else "unknown",
            "reason": r.reason, "ply": r.ply, "detail": r.detail, "source": sources[r.row],
            "raw_version": raw_version, "quarantined_at": quarantined_at, "payload": payload,
        })
    return pa.Table.from_pylist(records, schema=QUARANTINE_SCHEMA)
