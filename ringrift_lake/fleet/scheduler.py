"""The scheduler's two decisions, without Dagster: the allocation, and which batches are due.

    shares = decide(lake, AllocationRule(), configs, ratio=0.25, min_samples=20000)
    launch, credits = batches_due(credits, {s.config: s.batch_share for s in shares}, batches=4)

`batches_due` is stride scheduling: every tick each config earns `batch_share * batches` credit and is
due one batch per whole credit it holds, so over many ticks each config gets its share of the batches
(the floor included) even when a tick launches fewer batches than there are configs. A config may be
held back (`held`: its previous batches still queued or running); it keeps earning, capped at `cap`
batches, so it catches up without a burst.
"""
from __future__ import annotations

import math
from datetime import datetime

from ringrift_lake.fleet.allocation import AllocationRule, ConfigShare, allocate
from ringrift_lake.fleet.lake_facts import gather_facts
from ringrift_lake.location import Lake


def decide(lake: Lake, rule: AllocationRule, configs: list[str], ratio: float, min_samples: int,
           now: datetime | None = None) -> list[ConfigShare]:
    """The allocation the lake's facts call for now (`ratio`, `min_samples`: the retrain rule's)."""
    return allocate(gather_facts(lake, configs, ratio, min_samples, rule.window_hours, now), rule)


def batches_due(credits: dict[str, float], batch_shares: dict[str, float], batches: int,
                held: set[str] = frozenset(), cap: float = 2.0) -> tuple[dict[str, int], dict[str, float]]:
    """(batches to launch per config, the credits carried to the next tick) (module docstring)."""
    launch, carried = {}, {}
    for config, share in batch_shares.items():
        credit = credits.get(config, 0.0) + share * batches
        if config in held:
            credit = min(credit, cap)
        due = 0 if config in held else math.floor(credit + 1e-9)
        if due:
            launch[config] = due
        carried[config] = credit - due
    return launch, carried
