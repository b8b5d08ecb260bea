"""The selfplay allocation rule: which share of the fleet's selfplay time each config gets.

For each config the rule reads five facts from the lake (`lake_facts.gather_facts`) and scores it:

    velocity   = v / (v + velocity_half)                v: Elo per hour gained by the champion line
    data       = clamp(1 - new_samples / needed, 0, 1)  needed: what the next retraining needs
    scarcity   = 1 / (1 + games / games_half)           games: consolidated games of the config
    staleness  = min(hours since the last promotion / stale_hours, 1)     (never promoted: 1)

    priority   = base + w_velocity*velocity + w_data*data + w_scarcity*scarcity + w_staleness*staleness
    weight     = priority * board_cost ** cost_exponent
    share      = floor + (1 - n * floor) * weight / sum(weights)           (n configs allocated)

So a config that is improving fast, that needs data before it can be retrained, that has few games
or that has not been promoted for a long time gets more time; every config gets at least `floor`.
`share` is a share of selfplay *time*. A game of a big board costs far more than a square8 one
(`board_cost`), so the share of *batches* (what a worker draws from) is `share / board_cost`,
normalised. With the default cost_exponent 0, equal priority buys equal time: a hexagonal config gets
as many worker-hours as a square8 one at the same priority, which is about 40 times fewer games.
A positive exponent buys more big-board games (at 1, equal games: big boards would take nearly all
the time), a negative one spends less time on them.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass

from engine import parse_config
from ringrift_lake.knobs import knob


@dataclass
class AllocationRule:
    """The weights of the rule (module docstring); every field is a flag of `ringrift-lake fleet` and a
    setting of the Dagster scheduler (RINGRIFT_ALLOC_<FIELD>)."""

    base: float = knob(0.1, "priority every config has")
    w_velocity: float = knob(2.0, "weight of the champion line's Elo velocity")
    w_data: float = knob(1.0, "weight of the samples still missing for the next retraining")
    w_scarcity: float = knob(1.0, "weight of having few games")
    w_staleness: float = knob(0.5, "weight of the time since the last promotion")
    velocity_half: float = knob(10.0, "Elo per hour at which the velocity term is 1/2")
    games_half: int = knob(2000, "games at which the scarcity term is 1/2")
    stale_hours: float = knob(24.0, "hours since the last promotion at which staleness is full")
    cost_exponent: float = knob(0.0, "0: equal time for equal priority; 1: equal games; < 0: less time on big boards")
    floor: float = knob(0.02, "the least share of selfplay time any config gets")
    window_hours: float = knob(48.0, "the Elo velocity looks at promotions within this many hours")


@dataclass(frozen=True)
class ConfigFacts:
    """What the lake knows about one config, as the rule reads it."""

    config: str
    elo_per_hour: float = 0.0                 # Elo gained per hour by the champion line (recent window)
    new_samples: int = 0                      # moves newer than the newest trained dataset
    needed_samples: float = 0.0               # new samples the next retraining needs
    games: int = 0                            # consolidated games
    hours_since_promotion: float | None = None   # None: never promoted

    @property
    def board_cost(self) -> float:
        return board_cost(self.config)


@dataclass(frozen=True)
class ConfigShare:
    config: str
    share: float              # of selfplay time
    batch_share: float        # of selfplay batches
    priority: float
    weight: float
    terms: dict               # the facts and each term
    reasons: str


def board_cost(config: str) -> float:
    """Relative cost of one selfplay game (square8_2p = 1): cells x the longest plausible game x
    players / 2. square19 and hexagonal games cost 20-40 times a square8 one."""
    cfg = parse_config(config)
    board = cfg.board
    radius = (board.size - 1) // 2
    cells = 3 * radius * (radius + 1) + 1 if board.is_hex else board.size ** 2
    return round((cells / 64) * (board.length_bounds[1] / 1500) * (cfg.num_players / 2), 3)


def terms_of(facts: ConfigFacts, rule: AllocationRule) -> dict:
    velocity_rate = max(facts.elo_per_hour, 0.0)
    velocity = velocity_rate / (velocity_rate + rule.velocity_half) if rule.velocity_half > 0 else 0.0
    needed = max(facts.needed_samples, 0.0)
    data = min(max(1.0 - facts.new_samples / needed, 0.0), 1.0) if needed > 0 else 0.0
    scarcity = 1.0 / (1.0 + facts.games / rule.games_half) if rule.games_half > 0 else 0.0
    hours = facts.hours_since_promotion
    staleness = 1.0 if hours is None else min(max(hours, 0.0) / rule.stale_hours, 1.0)
    return {"velocity": velocity, "data": data, "scarcity": scarcity, "staleness": staleness}


def priority_of(terms: dict, rule: AllocationRule) -> float:
    return (rule.base + rule.w_velocity * terms["velocity"] + rule.w_data * terms["data"]
            + rule.w_scarcity * terms["scarcity"] + rule.w_staleness * terms["staleness"])


def _reasons(facts: ConfigFacts, terms: dict, rule: AllocationRule) -> str:
    promoted = "never promoted" if facts.hours_since_promotion is None else \
        f"promoted {facts.hours_since_promotion:.1f} h ago"
    return (f"Elo {facts.elo_per_hour:+.1f}/h -> velocity {terms['velocity']:.2f}; "
            f"{facts.new_samples} of {facts.needed_samples:.0f} samples -> data {terms['data']:.2f}; "
            f"{facts.games} games -> scarcity {terms['scarcity']:.2f}; "
            f"{promoted} -> staleness {terms['staleness']:.2f}; board cost {facts.board_cost:g}")


def allocate(facts: list[ConfigFacts], rule: AllocationRule = AllocationRule()) -> list[ConfigShare]:
    """Every config's share (module docstring), in the order given. ValueError if the floors alone
    exceed the whole."""
    if not facts:
        return []
    n = len(facts)
    if rule.floor < 0 or rule.floor * n > 1 + 1e-12:
        raise ValueError(f"floor {rule.floor} x {n} configs exceeds 1: lower the floor")
    scored = []
    for f in facts:
        terms = terms_of(f, rule)
        priority = priority_of(terms, rule)
        scored.append((f, terms, priority, max(priority, 0.0) * f.board_cost ** rule.cost_exponent))
    total = sum(w for *_, w in scored)
    free = 1.0 - n * rule.floor
    shares = [rule.floor + free * (w / total if total > 0 else 1.0 / n) for *_, w in scored]
    per_batch = [s / f.board_cost for s, (f, *_) in zip(shares, scored)]
    batch_total = sum(per_batch)
    return [ConfigShare(f.config, share, b / batch_total, priority, weight,
                        {**asdict(f), "board_cost": f.board_cost, **terms}, _reasons(f, terms, rule))
            for share, b, (f, terms, priority, weight) in zip(shares, per_batch, scored)]
