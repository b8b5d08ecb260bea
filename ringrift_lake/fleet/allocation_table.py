"""The `allocations` table: each decision of the scheduler, one row per config.

    allocation_id = write_allocation(lake, shares, rule)
    current = latest_allocation(lake)          # {config: row} of the newest decision, or {}

Workers draw the config of their next batch from the newest allocation's `batch_share`.
"""
from __future__ import annotations

import json
import uuid
from dataclasses import asdict
from datetime import datetime, timezone

import pyarrow.compute as pc

from ringrift_lake import tables
from ringrift_lake.fleet.allocation import AllocationRule, ConfigShare
from ringrift_lake.location import Lake

TABLE = "allocations"


def write_allocation(lake: Lake, shares: list[ConfigShare], rule: AllocationRule,
                     now: datetime | None = None) -> str:
    """Append one decision (all its rows in one commit); returns its allocation id."""
    now = now or datetime.now(timezone.utc)
    allocation_id = f"alloc-{now:%Y%m%dT%H%M%S}-{uuid.uuid4().hex[:6]}"
    rule_json = json.dumps(asdict(rule), sort_keys=True)
    tables.append(lake, TABLE, [{
        "allocation_id": allocation_id, "config": s.config, "share": s.share, "batch_share": s.batch_share,
        "priority": s.priority, "reasons": s.reasons, "terms": json.dumps(s.terms, sort_keys=True),
        "rule": rule_json, "created_at": now} for s in shares])
    return allocation_id


def latest_allocation(lake: Lake) -> dict[str, dict]:
    """config -> row of the newest allocation ({} when there is none)."""
    times = tables.read(lake, TABLE, columns=["created_at"])
    if times.num_rows == 0:
        return {}
    newest = pc.max(times["created_at"])
    rows = tables.read(lake, TABLE, filter=pc.field("created_at") == newest).to_pylist()
    newest_id = max(r["allocation_id"] for r in rows)
    return {r["config"]: r for r in rows if r["allocation_id"] == newest_id}


def allocation_history(lake: Lake, limit: int = 200) -> list[dict]:
    """The rows of the newest `limit` allocations, oldest first."""
    rows = tables.read(lake, TABLE, columns=["allocation_id", "config", "share", "created_at"]).to_pylist()
    ids = sorted({(r["created_at"], r["allocation_id"]) for r in rows})[-limit:]
    keep = {a for _, a in ids}
    return sorted((r for r in rows if r["allocation_id"] in keep), key=lambda r: (r["created_at"], r["config"]))
