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
from ringrift_lake.schemas import MOVE_TYPE_FIELDS
from ringrift_lake.consolidate.replay import ReplayResult
from ringrift_lake.consolidate.screening import Rejection

GAMES_SCHEMA = schemas.spec("games").schema
MOVES_SCHEMA = schemas.spec("moves").schema
QUARANTINE_SCHEMA = schemas.spec("quarantine").schema


def games_rows(raw: pa.Table, rows: list[int], hashes: list[int], raw_version: int,
               consolidated_at: datetime) -> pa.Table:
    """games rows for raw rows ``rows`` (ingest_seq null until ``sequence.numbered``)."""
    copied = [f.name for f in GAMES_SCHEMA if f.name in raw.column_names]
    picked = raw.select(copied).take(pa.array(rows, pa.int64()))
    n = len(rows)
    extra = {
        "ingest_seq": pa.nulls(n, pa.int64()),
        "raw_version": pa.array(np.full(n, raw_version), pa.int64()),
        "consolidated_at": pa.array([consolidated_at] * n, schemas.TS),
        "content_hash": pa.array([hashes[r] for r in rows], pa.int64()),
        "move_type_counts": pa.nulls(n, GAMES_SCHEMA.field("move_type_counts").type),
        "placement_counts": pa.nulls(n, GAMES_SCHEMA.field("placement_counts").type),
    }
    columns = [extra[f.name] if f.name in extra else picked.column(f.name).cast(f.type) for f in GAMES_SCHEMA]
    return pa.Table.from_arrays(columns, schema=GAMES_SCHEMA)


def _move_summary_sql() -> str:
    known = ", ".join(f"'{t}'" for t in MOVE_TYPE_FIELDS if t != "other")
    fields = [f"'{t}': CAST(count(*) FILTER (WHERE type = '{t}') AS INTEGER)" for t in MOVE_TYPE_FIELDS
              if t != "other"]
    fields.append(f"'other': CAST(count(*) FILTER (WHERE type NOT IN ({known})) AS INTEGER)")
    placements = ", ".join(f"CAST(count(*) FILTER (WHERE type = 'place_ring' AND count = {k}) AS INTEGER)"
                           for k in (1, 2, 3))
    return (f"SELECT game_id, {{{', '.join(fields)}}} AS move_type_counts, [{placements}] AS placement_counts "
            "FROM moves GROUP BY game_id")


MOVE_SUMMARY_SQL = _move_summary_sql()


def with_move_summaries(games: pa.Table, moves: pa.Table) -> pa.Table:
    """games with move_type_counts and placement_counts computed from their moves rows."""
    import duckdb

    from ringrift_lake.query import fetch_arrow

    con = duckdb.connect()
    try:
        con.register("moves", moves)
        summary = fetch_arrow(con, MOVE_SUMMARY_SQL)
    finally:
        con.close()
    position = {game_id: i for i, game_id in enumerate(summary.column("game_id").to_pylist())}
    index = pa.array([position.get(g) for g in games.column("game_id").to_pylist()], pa.int64())
    for name in ("move_type_counts", "placement_counts"):
        field = GAMES_SCHEMA.field(name)
        values = summary.column(name).cast(field.type).take(index)
        games = games.set_column(games.schema.get_field_index(name), field, values)
    return games


def _visits_column(visits: pa.ChunkedArray, lengths: np.ndarray) -> pa.Array:
    """Per-move visit JSON; games recorded without visits (or with a wrong count) get nulls."""
    if visits.null_count == len(visits):
        return pa.nulls(int(lengths.sum()), pa.string())
    values: list = []
    for entry, n in zip(visits.to_pylist(), lengths.tolist()):
        values.extend(entry if entry is not None and len(entry) == n else [None] * n)
    return pa.array(values, pa.string())


def _search_column(search: pa.ChunkedArray, lengths: np.ndarray) -> pa.Array:
    """Per-move search entries (`schemas.SEARCH`); games recorded without search get nulls."""
    total = int(lengths.sum())
    if search.null_count == len(search):
        return pa.nulls(total, schemas.SEARCH)
    values: list = []
    for entry, n in zip(search.to_pylist(), lengths.tolist()):
        values.extend(entry if entry is not None and len(entry) == n else [None] * n)
    return pa.array(values, schemas.SEARCH)


_TYPED = (("type", "types", pa.string()), ("player", "players", pa.int8()), ("from_key", "from_keys", pa.string()),
          ("to_key", "to_keys", pa.string()), ("target_key", "target_keys", pa.string()),
          ("count", "counts", pa.int8()))


def _typed_columns(results: list[ReplayResult]) -> dict[str, pa.Array]:
    """Typed move columns for the games in order; each distinct result is converted once, then taken."""
    spans: dict[int, tuple[int, int]] = {}
    distinct: list[ReplayResult] = []
    start = 0
    for result in results:
        if id(result) not in spans:
            spans[id(result)] = (start, len(result.types))
            distinct.append(result)
            start += len(result.types)
    index = np.concatenate([np.arange(s, s + n) for s, n in (spans[id(r)] for r in results)] or [[]])
    index = pa.array(index.astype(np.int64), pa.int64())
    return {name: pa.array([v for r in distinct for v in getattr(r, attr)], kind).take(index)
            for name, attr, kind in _TYPED}


def moves_rows(raw: pa.Table, rows: list[int], results: list[ReplayResult]) -> pa.Table:
    """moves rows (one per ply) for raw rows ``rows`` with their readable replay results."""
    picked = raw.select(["config", "game_id", "moves", "visits", "search"]).take(pa.array(rows, pa.int64()))
    move_lists = picked.column("moves").combine_chunks()
    lengths = pc.list_value_length(move_lists).fill_null(0).to_numpy(zero_copy_only=False)
    game_index = pa.array(np.repeat(np.arange(len(rows)), lengths), pa.int64())
    ends = np.cumsum(lengths)
    ply = np.arange(int(ends[-1]) if len(rows) else 0) - np.repeat(ends - lengths, lengths) + 1
    columns = {
        "config": picked.column("config").take(game_index),
        "game_id": picked.column("game_id").take(game_index),
        "ply": pa.array(ply.astype(np.int32), pa.int32()),
        "move_json": move_lists.flatten(),
        "visits_json": _visits_column(picked.column("visits"), lengths),
        "search": _search_column(picked.column("search"), lengths),
        **_typed_columns(results),
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
