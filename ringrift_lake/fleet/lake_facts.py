"""The facts the allocation rule reads, gathered from the lake for every config at once.

* Elo velocity of the champion line: the line is the config's promoted models (and built-in agents) in
  the order they were promoted; their ratings come from the config's latest Elo snapshot. Over the
  window, velocity = (rating of the newest member - rating of the baseline) / hours from the
  baseline's promotion to now, where the baseline is the oldest member promoted within the window
  (or, when only the newest is, the one promoted before it). Dividing by the time up to *now* makes a
  line that stopped improving slow down. Fewer than two rated members: 0.
* new and needed samples, games: `ringrift_lake.data_progress` (the retrain rule's numbers).
* hours since the newest promotion (None: never promoted).
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timezone

import pyarrow.compute as pc

from ringrift_lake import tables
from ringrift_lake.data_progress import data_progress, needed_samples
from ringrift_lake.fleet.allocation import ConfigFacts
from ringrift_lake.location import Lake
from ringrift_lake.players import player_id_of_registry


@dataclass(frozen=True)
class Promotion:
    player_id: str
    at: datetime


def champion_lines(lake: Lake) -> dict[str, list[Promotion]]:
    """config -> its promotions, oldest first (from the `decision` JSON of the `models` rows)."""
    rows = tables.read(lake, "models", columns=["model_id", "config", "decision"],
                       filter=pc.field("decision").is_valid()).to_pylist()
    lines: dict[str, list[Promotion]] = {}
    for row in rows:
        decision = json.loads(row["decision"])
        if decision.get("outcome") != "promote" or not decision.get("decided_at"):
            continue
        at = datetime.fromisoformat(decision["decided_at"])
        lines.setdefault(row["config"], []).append(Promotion(player_id_of_registry(row["model_id"]), at))
    return {c: sorted(line, key=lambda p: p.at) for c, line in lines.items()}


def latest_ratings(lake: Lake) -> dict[str, dict[str, float]]:
    """config -> {player id: rating} of the config's most recent Elo snapshot."""
    data = tables.read(lake, "elo", columns=["config", "player_id", "rating", "snapshot_id", "computed_at"])
    newest: dict[str, tuple] = {}
    for row in data.to_pylist():
        key = (row["computed_at"], row["snapshot_id"])
        if row["config"] not in newest or key > newest[row["config"]]:
            newest[row["config"]] = key
    ratings: dict[str, dict[str, float]] = {}
    for row in data.to_pylist():
        if (row["computed_at"], row["snapshot_id"]) == newest[row["config"]]:
            ratings.setdefault(row["config"], {})[row["player_id"]] = row["rating"]
    return ratings


def elo_velocity(line: list[Promotion], ratings: dict[str, float], now: datetime, window_hours: float) -> float:
    """Elo per hour of the champion line (module docstring)."""
    rated = [p for p in line if p.player_id in ratings]
    if len(rated) < 2:
        return 0.0
    recent = [k for k, p in enumerate(rated) if (now - p.at).total_seconds() <= window_hours * 3600]
    if not recent:
        return 0.0
    first = recent[0] if len(recent) > 1 else recent[0] - 1
    if first < 0:
        return 0.0
    baseline, newest = rated[first], rated[-1]
    hours = max((now - baseline.at).total_seconds() / 3600, 1.0)
    return (ratings[newest.player_id] - ratings[baseline.player_id]) / hours


def gather_facts(lake: Lake, configs: list[str], ratio: float, min_samples: int, window_hours: float = 48.0,
                 now: datetime | None = None) -> list[ConfigFacts]:
    """One ConfigFacts per config, in the order given (`ratio`, `min_samples`: the retrain rule's)."""
    now = now or datetime.now(timezone.utc)
    progress = {p.config: p for p in data_progress(lake)}
    lines, ratings = champion_lines(lake), latest_ratings(lake)
    facts = []
    for config in configs:
        line = lines.get(config, [])
        p = progress.get(config)
        facts.append(ConfigFacts(
            config=config,
            elo_per_hour=round(elo_velocity(line, ratings.get(config, {}), now, window_hours), 4),
            new_samples=p.new_samples if p else 0,
            needed_samples=needed_samples(p, ratio, min_samples) if p else float(min_samples),
            games=p.games if p else 0,
            hours_since_promotion=round((now - line[-1].at).total_seconds() / 3600, 4) if line else None))
    return facts
