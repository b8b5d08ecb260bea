"""Reference games (../shared/fixtures/reference-games) and lakes holding them as `games` + `moves` rows.

`put_games(lake, config, records)` writes real Delta tables through `ringrift_lake.tables.append`
with the lake's own schemas: one `games` row per record (ingest_seq in record order, after any
games already there) and one `moves` row per move with the exact move JSON.
"""
from __future__ import annotations

import gzip
import json
from datetime import datetime, timezone
from functools import lru_cache
from pathlib import Path

from ringrift_lake import tables

REFERENCE_GAMES = Path(__file__).resolve().parents[3] / "shared" / "fixtures" / "reference-games"
CONFIGS = tuple(f"{board}_{n}p" for board in ("square8", "square19", "hex8", "hexagonal") for n in (2, 3, 4))


@lru_cache(maxsize=None)
def reference_records(config: str) -> tuple[dict, ...]:
    with gzip.open(REFERENCE_GAMES / f"{config}.jsonl.gz", "rt") as f:
        return tuple(json.loads(line) for line in f)


def replay_options(record: dict) -> dict:
    """The reference games were played without round-based LPS (RULES.md 4.5)."""
    return {"lpsRoundsRequired": 0, **record["rulesOptions"]}


def put_games(lake, config: str, records, *, id_suffix: str = "", visits=None) -> None:
    """Append `records` (reference-game dicts) to `games` and `moves`; `visits(record, ply)` -> JSON or None."""
    now = datetime.now(timezone.utc)
    existing = tables.read(lake, "games", columns=["ingest_seq"])
    seq = max(existing.column("ingest_seq").to_pylist(), default=0)
    game_rows, move_rows = [], []
    for record in records:
        seq += 1
        game_id = record["gameId"] + id_suffix
        game_rows.append({
            "game_id": game_id, "config": config, "board_type": record["boardType"],
            "num_players": record["numPlayers"], "seats": [], "source": "import:reference",
            "validation_mode": "strict", "seed": record["seed"], "engine_version": "test",
            "rules_version": "test", "rules_options": json.dumps(replay_options(record)),
            "started_at": now, "finished_at": now, "status": record["status"], "winner": record["winner"],
            "reason": record["reason"], "num_moves": len(record["moves"]), "ingest_seq": seq,
            "raw_version": 0, "consolidated_at": now,
        })
        for ply, move in enumerate(record["moves"], start=1):
            move_rows.append({
                "config": config, "game_id": game_id, "ply": ply, "type": move["type"], "player": move["player"],
                "from_key": None, "to_key": None, "target_key": None, "count": move.get("placementCount"),
                "move_json": json.dumps(move), "visits_json": visits(record, ply) if visits else None,
            })
    tables.append(lake, "games", game_rows)
    tables.append(lake, "moves", move_rows)
