"""raw_games rows: build one per complete game, write many per Delta commit.

``game_row`` turns an engine ``PlayedGame`` (or any finished record) into a
dict with exactly the ``raw_games`` columns; ``write_raw_games`` appends a
batch of such rows in one commit. Both are shared by selfplay, gauntlets,
matches and the importers, so every writer of ``raw_games`` fills the columns
alike. A seat's identity comes from its player id (``ringrift_lake.players``);
a searched ply carries its ``search`` entry (``schemas.SEARCH``).

A row holds a whole game (moves nested), and a Delta commit is atomic, so a
game is visible whole or not at all.

The writer builds the Arrow columns directly (moves as one flat string
array plus offsets) rather than going through ``Table.from_pylist``: that is
what keeps ingest well above 50,000 moves/s on local disk.
"""
from __future__ import annotations

import json
import os
import socket
import uuid
from datetime import datetime, timezone
from typing import Iterable, Sequence

import pyarrow as pa

from ringrift_lake import schemas, tables
from ringrift_lake.location import Lake
from ringrift_lake.players import seat_identity

TABLE = "raw_games"
_SCHEMA = schemas.spec(TABLE).schema
_COMPACT = (",", ":")


def writer_id(worker: int | str | None = None) -> str:
    """host/pid[/worker]: who committed a batch (stamped into every row of it)."""
    base = f"{socket.gethostname()}/{os.getpid()}"
    return base if worker is None else f"{base}/{worker}"


def seat_rows(agents: Sequence[str], model_ids: Sequence[str | None] | None = None) -> list[dict]:
    """The ``seats`` column of games whose seats are not our players (imports): agent names, model ids."""
    model_ids = model_ids or [None] * len(agents)
    return [{"seat": i + 1, "agent": agent, "model_id": model, "player_id": None, "budget": None}
            for i, (agent, model) in enumerate(zip(agents, model_ids))]


def player_seats(players: Sequence[str]) -> list[dict]:
    """The ``seats`` column of a game between our players: one identity per seat from its player id."""
    return [{"seat": i + 1, **seat_identity(player)} for i, player in enumerate(players)]


def move_json_text(move: dict | str) -> str:
    """One move as compact JSON text (strings are taken as already-encoded JSON)."""
    return move if isinstance(move, str) else json.dumps(move, separators=_COMPACT)


def _utc(value: datetime | None) -> datetime:
    if value is None:
        return datetime.now(timezone.utc)
    return value if value.tzinfo else value.replace(tzinfo=timezone.utc)


def game_row(played_game, config: str, seats: Sequence[dict] | Sequence[str], source: str, seed: int | None, *,
             game_id: str | None = None, validation_mode: str = "strict", rules_options: dict | None = None,
             started_at: datetime | None = None, finished_at: datetime | None = None,
             visits: Sequence[str | dict | None] | None = None, search: Sequence[dict | None] | None = None,
             engine_version: str | None = None, rules_version: str | None = None) -> dict:
    """A raw_games row for one finished game.

    ``played_game`` needs ``moves_json``, ``status``, ``winner``, ``reason``
    (an engine ``PlayedGame``; the importers pass a small record with the same
    attributes). ``seats`` is the seats column, or the player id of each seat.
    ``search`` has one ``schemas.SEARCH`` dict (or None) per move.
    ``rules_options`` defaults to the options the final state was played
    under (``final_state.options``), so the row says exactly how to replay it.
    ``game_id`` defaults to a random UUID.
    """
    from engine import ENGINE_VERSION, RULES_VERSION, parse_config

    cfg = parse_config(config)
    board_type, num_players = cfg.board_type, cfg.num_players
    if seats and isinstance(seats[0], str):
        seats = player_seats(seats)
    if len(seats) != num_players:
        raise ValueError(f"{config}: {len(seats)} seats given for {num_players} players")
    if rules_options is None:
        final_state = getattr(played_game, "final_state", None)
        rules_options = dict(getattr(final_state, "options", None) or {})
    moves = [move_json_text(m) for m in played_game.moves_json]
    if visits is not None:
        if len(visits) != len(moves):
            raise ValueError(f"{len(visits)} visit entries for {len(moves)} moves")
        visits = [None if v is None else move_json_text(v) for v in visits]
    if search is not None and len(search) != len(moves):
        raise ValueError(f"{len(search)} search entries for {len(moves)} moves")
    return {
        "game_id": game_id or str(uuid.uuid4()),
        "config": config,
        "board_type": board_type,
        "num_players": num_players,
        "seats": list(seats),
        "source": source,
        "validation_mode": validation_mode,
        "seed": seed,
        "engine_version": engine_version or ENGINE_VERSION,
        "rules_version": rules_version or RULES_VERSION,
        "rules_options": json.dumps(rules_options, sort_keys=True, separators=_COMPACT),
        "started_at": _utc(started_at),
        "finished_at": _utc(finished_at),
        "status": played_game.status,
        "winner": played_game.winner,
        "reason": played_game.reason,
        "num_moves": len(moves),
        "moves": moves,
        "visits": visits,
        "search": None if search is None or not any(search) else list(search),
        "writer_id": None,
        "batch_id": None,
        "schema_version": schemas.SCHEMA_VERSION,
    }


def _string_lists(values: list[list[str] | None]) -> pa.Array:
    """list<string> column from Python lists, via one flat array and offsets (nulls kept)."""
    offsets, flat, mask, total = [0], [], [], 0
    for value in values:
        if value is None:
            mask.append(True)
        else:
            mask.append(False)
            flat.extend(value)
            total += len(value)
        offsets.append(total)
    null_mask = pa.array(mask, pa.bool_()) if any(mask) else None
    return pa.ListArray.from_arrays(pa.array(offsets, pa.int32()), pa.array(flat, pa.string()), mask=null_mask)


def _full_seats(seats: Sequence[dict]) -> list[dict]:
    """Seat dicts with every SEAT field (older producers give seat, agent, model_id only)."""
    return [{"player_id": None, "budget": None, **seat} for seat in seats]


def raw_games_table(rows: Iterable[dict], writer: str | None = None, batch_id: str | None = None) -> pa.Table:
    """The rows as an Arrow table with the raw_games schema, stamped with writer and batch ids."""
    rows = list(rows)
    writer = writer or writer_id()
    batch_id = batch_id or uuid.uuid4().hex
    columns = []
    for field in _SCHEMA:
        name = field.name
        if name == "moves" or name == "visits":
            columns.append(_string_lists([row.get(name) for row in rows]))
        elif name == "seats":
            columns.append(pa.array([_full_seats(row[name]) for row in rows], field.type))
        elif name == "writer_id":
            columns.append(pa.array([row.get(name) or writer for row in rows], field.type))
        elif name == "batch_id":
            columns.append(pa.array([row.get(name) or batch_id for row in rows], field.type))
        else:
            columns.append(pa.array([row.get(name) for row in rows], field.type))
    return pa.Table.from_arrays(columns, schema=_SCHEMA)


def write_raw_games(lake: Lake, rows: Sequence[dict] | pa.Table, writer: str | None = None,
                    batch_id: str | None = None, table=None) -> int | None:
    """Append complete games to raw_games in one commit (conflicts retried); returns the new version.

    Writers that commit repeatedly pass their open ``table`` handle
    (``tables.ensure_table(lake, "raw_games")``) so a commit does not re-read the log.

    Appends are not deduplicated here: consolidation keeps one row per
    game_id. Importers that must be idempotent use ``write_new_raw_games``.
    """
    data = rows if isinstance(rows, pa.Table) else raw_games_table(rows, writer, batch_id)
    return tables.append(lake, TABLE, data, table=table)


def write_new_raw_games(lake: Lake, rows: Sequence[dict], writer: str | None = None) -> int:
    """Insert only games whose game_id is not in raw_games yet (one merge commit); returns how many."""
    if not rows:
        return 0
    metrics = tables.merge_insert_new(lake, TABLE, raw_games_table(rows, writer))
    return int(metrics.get("num_target_rows_inserted", 0))
