"""Raw game rows for the consolidation tests: real reference games, and altered copies of them."""
from __future__ import annotations

import copy
import json
from pathlib import Path

from ringrift_lake import tables
from ringrift_lake.ingest import read_reference_file
from ringrift_lake.records.rows import write_raw_games

FIXTURES = Path("/work/shared/fixtures/reference-games")


def reference_rows(config: str, limit: int | None = None) -> list[dict]:
    """raw_games rows of the reference games of one config (as the importer builds them)."""
    rows = [row for row in read_reference_file(str(FIXTURES / f"{config}.jsonl.gz")) if isinstance(row, dict)]
    return rows[:limit] if limit else rows


def altered(row: dict, game_id: str, **changes) -> dict:
    """A copy of ``row`` under a new game_id with some columns changed."""
    new = copy.deepcopy(row)
    new["game_id"] = game_id
    new.update(changes)
    return new


def moves_of(row: dict) -> list[dict]:
    return [json.loads(m) for m in row["moves"]]


def with_moves(row: dict, game_id: str, moves: list, **changes) -> dict:
    texts = [m if isinstance(m, str) else json.dumps(m) for m in moves]
    return altered(row, game_id, moves=texts, num_moves=len(texts), **changes)


def versions(lake) -> dict:
    return {name: tables.version(lake, name) for name in ("raw_games", "games", "moves", "quarantine",
                                                          "consolidations")}


def counts(lake) -> dict:
    return {name: tables.read(lake, name, columns=["config"]).num_rows
            for name in ("games", "moves", "quarantine")}


def write(lake, rows: list[dict]) -> int | None:
    return write_raw_games(lake, rows)
