"""Lake states built for the scheduler tests: games, datasets, promoted models and Elo snapshots written
as real Delta rows (through `tables.append`), with the facts each one should produce stated beside it."""
from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

from ringrift_lake import tables

NOW = datetime.now(timezone.utc).replace(microsecond=0)   # the sensor decides at the real time


def add_games(lake, config: str, first_seq: int, count: int, moves: int) -> None:
    tables.append(lake, "games", [{"game_id": f"{config}-g{first_seq + k}", "config": config, "num_moves": moves,
                                   "ingest_seq": first_seq + k, "status": "completed"} for k in range(count)])


def add_dataset(lake, config: str, dataset_id: str, lo: int, hi: int) -> None:
    tables.append(lake, "datasets", [{"dataset_id": dataset_id, "config": config, "min_ingest_seq": lo,
                                      "max_ingest_seq": hi, "created_at": NOW}])


def add_line(lake, config: str, members: list[tuple[str, float, float]], dataset_id: str | None) -> None:
    """Promoted models (model id, hours before NOW promoted, Elo), oldest first; the newest is champion,
    trained on `dataset_id`; one Elo snapshot rates them all."""
    rows, elo = [], []
    for k, (model_id, hours_ago, rating) in enumerate(members):
        decided = NOW - timedelta(hours=hours_ago)
        last = k == len(members) - 1
        rows.append({"model_id": model_id, "config": config, "status": "champion" if last else "retired",
                     "dataset_id": dataset_id if last else None, "created_at": decided, "updated_at": decided,
                     "decision": json.dumps({"outcome": "promote", "decided_at": decided.isoformat()})})
        elo.append({"config": config, "player_id": f"model:{model_id}", "rating": rating, "stderr": 20.0,
                    "games": 100, "wins": 50.0, "matches_version": 3, "snapshot_id": f"{config}@3",
                    "computed_at": NOW - timedelta(minutes=5)})
    tables.append(lake, "models", rows)
    tables.append(lake, "elo", elo)


def stale_improving_new(lake) -> dict[str, dict]:
    """square8_2p stale, hex8_2p improving fast, square19_2p never played; the facts each must give
    (retrain ratio 0.25, min_samples 20000, velocity window 48 h)."""
    # stale: promoted 100 h and 72 h ago (+10 Elo), trained on seq 0..999 (50 moves each), 600 newer games
    add_games(lake, "square8_2p", 0, 1600, 50)
    add_dataset(lake, "square8_2p", "ds-sq8", 0, 999)
    add_line(lake, "square8_2p", [("sq8-a", 100, 1000.0), ("sq8-b", 72, 1010.0)], "ds-sq8")
    # improving: promoted 10 h, 5 h and 1 h ago (600 -> 800 -> 1000 Elo), trained on seq 0..399 (40 moves)
    add_games(lake, "hex8_2p", 0, 500, 40)
    add_dataset(lake, "hex8_2p", "ds-hex8", 0, 399)
    add_line(lake, "hex8_2p", [("hex8-a", 10, 600.0), ("hex8-b", 5, 800.0), ("hex8-c", 1, 1000.0)], "ds-hex8")
    return {
        "square8_2p": dict(elo_per_hour=0.0, new_samples=600 * 50, needed_samples=20000, games=1600,
                           hours_since_promotion=72.0),
        "hex8_2p": dict(elo_per_hour=(1000 - 600) / 10, new_samples=100 * 40, needed_samples=20000, games=500,
                        hours_since_promotion=1.0),
        "square19_2p": dict(elo_per_hour=0.0, new_samples=0, needed_samples=20000, games=0,
                            hours_since_promotion=None),
    }
