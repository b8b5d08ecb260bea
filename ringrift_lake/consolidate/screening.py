"""First pass over a raw batch, before any replay: shape and de-duplication.

Each raw row gets a content hash (config, rules options, moves, result), is
screened for missing or unreadable fields (``schema_error``) and a recorded
status other than completed (``not_finished``), and is then de-duplicated by
game_id: identical copies (within the batch or already in ``games``) are
skipped, copies with different content are ``duplicate_conflict``.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass

import pyarrow as pa

VALIDATION_MODES = ("strict", "legacy")
_SEP = "\x1f"


@dataclass
class Rejection:
    row: int                 # index in the raw batch
    reason: str
    ply: int | None
    detail: str


def content_hash(config, rules_options, moves, status, winner, reason) -> int:
    """Signed 64-bit hash of what makes a game this game (ids, seats and times excluded)."""
    head = _SEP.join(str(v) for v in (config, rules_options or "", status, winner, reason, len(moves or ())))
    body = _SEP.join(move or "" for move in moves or ())
    digest = hashlib.blake2b((head + _SEP + body).encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


def content_hashes(raw: pa.Table) -> list[int]:
    columns = [raw.column(name).to_pylist()
               for name in ("config", "rules_options", "moves", "status", "winner", "reason")]
    return [content_hash(*values) for values in zip(*columns)]


def screen_shape(raw: pa.Table) -> dict[int, Rejection]:
    """Rows that are unusable as recorded: row index -> rejection."""
    from engine import CONFIGS

    cols = {name: raw.column(name).to_pylist() for name in (
        "game_id", "config", "board_type", "num_players", "status", "validation_mode", "num_moves")}
    move_lists = raw.column("moves")
    has_moves = move_lists.is_valid().to_pylist()
    rejected: dict[int, Rejection] = {}
    for i in range(raw.num_rows):
        missing = [name for name in ("game_id", "config", "board_type", "num_players", "status",
                                     "validation_mode", "num_moves") if cols[name][i] in (None, "")]
        if not has_moves[i]:
            missing.append("moves")
        if missing:
            rejected[i] = Rejection(i, "schema_error", None, f"missing fields: {', '.join(missing)}")
        elif cols["config"][i] not in CONFIGS:
            rejected[i] = Rejection(i, "schema_error", None, f"unknown config {cols['config'][i]!r}")
        elif cols["validation_mode"][i] not in VALIDATION_MODES:
            rejected[i] = Rejection(i, "schema_error", None,
                                    f"validation_mode {cols['validation_mode'][i]!r} is not strict or legacy")
        elif cols["status"][i] != "completed":
            rejected[i] = Rejection(i, "not_finished", None, f"recorded status {cols['status'][i]!r}")
    return rejected


@dataclass
class Dedup:
    keep: list[int]                      # rows to validate, in batch order
    identical: int                       # copies skipped (already consolidated or repeated in the batch)
    conflicts: dict[int, Rejection]      # duplicate_conflict rejections


def deduplicate(game_ids: list[str], hashes: list[int], rows: list[int],
                existing: dict[str, int]) -> Dedup:
    """De-duplicate ``rows`` by game_id against ``existing`` (game_id -> content hash in games)."""
    by_id: dict[str, list[int]] = {}
    for row in rows:
        by_id.setdefault(game_ids[row], []).append(row)
    keep, identical, conflicts = [], 0, {}
    for game_id, copies in by_id.items():
        distinct = {hashes[row] for row in copies}
        if game_id in existing:
            for row in copies:
                if hashes[row] == existing[game_id]:
                    identical += 1
                else:
                    conflicts[row] = Rejection(row, "duplicate_conflict", None,
                                               "game_id already consolidated with different content")
        elif len(distinct) > 1:
            for row in copies:
                conflicts[row] = Rejection(row, "duplicate_conflict", None,
                                           f"{len(copies)} raw rows share this game_id with "
                                           f"{len(distinct)} different contents")
        else:
            keep.append(copies[0])
            identical += len(copies) - 1
    keep.sort()
    return Dedup(keep, identical, conflicts)
