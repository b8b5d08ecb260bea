"""Elo snapshots: fit a config's matches at one `matches` version, append the ratings to `elo`.

A snapshot is every (config, player) rating of one fit, sharing a
`snapshot_id` and the `matches_version` it was fitted on; nothing is ever
updated in place, so the `elo` table is the rating history.
"""
from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timezone

import pyarrow.compute as pc

from ringrift_lake import tables
from ringrift_lake.elo.bradley_terry import EloFit, fit_bradley_terry
from ringrift_lake.elo.pairs import pairwise_results
from ringrift_lake.location import Lake


@dataclass(frozen=True)
class EloSnapshot:
    config: str
    snapshot_id: str
    matches_version: int
    computed_at: datetime
    fit: EloFit

    def rows(self) -> list[dict]:
        return [dict(r, config=self.config, matches_version=self.matches_version, snapshot_id=self.snapshot_id,
                     computed_at=self.computed_at) for r in self.fit.rows()]


def fit_config(lake: Lake, config: str) -> EloSnapshot | None:
    """Fit every match of `config` as of the current `matches` version; None when there is nothing to fit."""
    version = tables.version(lake, "matches")
    if version is None:
        return None
    matches = tables.read(lake, "matches", columns=["players", "ranks"], filter=pc.field("config") == config,
                          version=version).to_pylist()
    pairs = pairwise_results(matches)
    if pairs.num_games == 0:
        return None
    fit = fit_bradley_terry(pairs)
    snapshot_id = f"{config}@{version}-{uuid.uuid4().hex[:8]}"
    return EloSnapshot(config, snapshot_id, version, datetime.now(timezone.utc), fit)


def write_snapshot(lake: Lake, snapshot: EloSnapshot) -> int | None:
    """Append the snapshot's rows to `elo`; returns the new `elo` version."""
    return tables.append(lake, "elo", snapshot.rows())


def elo_history(lake: Lake, config: str) -> list[dict]:
    """Every `elo` row of the config, oldest snapshot first."""
    rows = tables.read(lake, "elo", filter=pc.field("config") == config).to_pylist()
    return sorted(rows, key=lambda r: (r["computed_at"], -r["rating"]))


def latest_rows(history: list[dict]) -> list[dict]:
    """The rows of the most recent snapshot in a history, best first."""
    if not history:
        return []
    last = max(history, key=lambda r: r["computed_at"])["snapshot_id"]
    return sorted((r for r in history if r["snapshot_id"] == last), key=lambda r: -r["rating"])
