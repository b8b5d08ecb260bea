"""The allocation rule on lake states built for the purpose: one config stale, one improving fast, one
never played. The facts are read from real Delta tables; the shares follow the documented formula
(ringrift_lake/fleet/allocation.py), evaluated here by hand; no config gets less than its floor."""
import math
import random

import pytest

from engine import CONFIGS
from lake_states import NOW, stale_improving_new
from ringrift_lake.fleet.allocation import AllocationRule, ConfigFacts, allocate, board_cost
from ringrift_lake.fleet.lake_facts import gather_facts
from ringrift_lake.fleet.scheduler import batches_due, decide

THREE = ["square8_2p", "hex8_2p", "square19_2p"]


def hand_priority(f: dict) -> float:
    """The documented formula with the default weights, written out."""
    velocity = f["elo_per_hour"] / (f["elo_per_hour"] + 10.0)
    data = min(max(1 - f["new_samples"] / f["needed_samples"], 0.0), 1.0)
    scarcity = 1 / (1 + f["games"] / 2000)
    hours = f["hours_since_promotion"]
    staleness = 1.0 if hours is None else min(hours / 24, 1.0)
    return 0.1 + 2.0 * velocity + 1.0 * data + 1.0 * scarcity + 0.5 * staleness


def test_facts_and_shares_follow_the_documented_rule(local_lake):
    expected = stale_improving_new(local_lake)
    facts = gather_facts(local_lake, THREE, ratio=0.25, min_samples=20000, now=NOW)
    for f in facts:
        want = expected[f.config]
        assert f.elo_per_hour == pytest.approx(want["elo_per_hour"])
        assert (f.new_samples, f.needed_samples, f.games) == (want["new_samples"], want["needed_samples"],
                                                               want["games"])
        assert f.hours_since_promotion == (None if want["hours_since_promotion"] is None
                                           else pytest.approx(want["hours_since_promotion"]))
    shares = {s.config: s for s in decide(local_lake, AllocationRule(), THREE, 0.25, 20000, now=NOW)}
    priorities = {c: hand_priority(expected[c]) for c in THREE}
    total = sum(priorities.values())
    for config in THREE:
        assert shares[config].priority == pytest.approx(priorities[config])
        assert shares[config].share == pytest.approx(0.02 + (1 - 3 * 0.02) * priorities[config] / total)
    # improving fast > never played > stale; the three shares are the whole
    assert shares["hex8_2p"].share > shares["square19_2p"].share > shares["square8_2p"].share
    assert sum(s.share for s in shares.values()) == pytest.approx(1.0)
    # batches: a square19 game costs ~22x a square8 one, so it gets far fewer batches than time
    per_batch = {c: shares[c].share / board_cost(c) for c in THREE}
    for config in THREE:
        assert shares[config].batch_share == pytest.approx(per_batch[config] / sum(per_batch.values()))
    assert shares["square19_2p"].batch_share < shares["square19_2p"].share / 10
    assert "never promoted" in shares["square19_2p"].reasons and "+40.0/h" in shares["hex8_2p"].reasons


def test_no_config_gets_less_than_its_floor():
    busy = [ConfigFacts(c, elo_per_hour=0.0, new_samples=10**6, needed_samples=20000, games=10**6,
                        hours_since_promotion=0.0) for c in CONFIGS]          # nothing asks for games...
    busy[0] = ConfigFacts("square8_2p", elo_per_hour=500.0, new_samples=0, needed_samples=20000, games=0)
    rule = AllocationRule(base=0.0, floor=0.05)
    shares = allocate(busy, rule)
    assert sum(s.share for s in shares) == pytest.approx(1.0)
    assert min(s.share for s in shares) >= 0.05 - 1e-12
    starved = [s for s in shares if s.config != "square8_2p"]
    assert all(s.share == pytest.approx(0.05, abs=1e-3) for s in starved)   # ...and still get the floor
    assert shares[0].share == pytest.approx(1 - 11 * 0.05, abs=3e-3)
    with pytest.raises(ValueError, match="floor"):
        allocate(busy, AllocationRule(floor=0.1))


def test_batches_over_many_ticks_follow_the_batch_shares_and_the_floor():
    rng = random.Random(3)
    facts = [ConfigFacts(c, elo_per_hour=rng.uniform(0, 30), new_samples=rng.randint(0, 30000),
                         needed_samples=20000, games=rng.randint(0, 5000), hours_since_promotion=rng.uniform(0, 48))
             for c in CONFIGS]
    shares = {s.config: s.batch_share for s in allocate(facts, AllocationRule())}
    credits, launched, ticks = {}, {c: 0 for c in CONFIGS}, 400
    for _ in range(ticks):
        launch, credits = batches_due(credits, shares, batches=3)
        for config, n in launch.items():
            launched[config] += n
    for config in CONFIGS:      # stride scheduling: within one batch of the exact share
        assert abs(launched[config] - shares[config] * 3 * ticks) <= 1.0
    assert all(n >= math.floor(min(shares.values()) * 3 * ticks) for n in launched.values())
    launch, carried = batches_due({"hex8_2p": 5.0}, {"hex8_2p": 0.5}, batches=4, held={"hex8_2p"})
    assert launch == {} and carried["hex8_2p"] == 2.0          # held: keeps (capped) credit, launches nothing
