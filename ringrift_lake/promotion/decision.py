"""The promotion rule, as one pure function of the matches.

A candidate becomes champion of its config when, over its gauntlet games:
1. vs `random`: at least `min_games` games and a score rate >= 0.85;
2. vs `heuristic`: at least `min_games` games and a score rate >= 0.60;
3. vs the current champion (if there is one): at least `min_games` games and
   a one-sided sign test p-value < 0.05 (significantly better than even).
The same `min_games` (default 40, the gauntlet's default games per opponent,
so a default evaluate always produces enough) applies to every opponent, and
the same thresholds to every player count (rates are shares of opponent seats
beaten; see `stats`). A gate against the candidate's own kind (the heuristic
agent evaluated as a candidate) is not applicable and skipped. When the
champion is itself a built-in agent, both its baseline gate and the
significance gate apply, to the same games.

Outcomes: `promote`, `reject` (some gate failed with enough games), or
`insufficient_games` (no gate failed, but some lacked games: play more).
"""
from __future__ import annotations

from dataclasses import dataclass, field

from ringrift_lake.promotion.stats import head_to_head

DEFAULT_MIN_GAMES = 40
MIN_RATE_VS_RANDOM = 0.85
MIN_RATE_VS_HEURISTIC = 0.60
SIGNIFICANCE = 0.05


@dataclass(frozen=True)
class PromotionRules:
    min_games: int = DEFAULT_MIN_GAMES
    min_rate_vs_random: float = MIN_RATE_VS_RANDOM
    min_rate_vs_heuristic: float = MIN_RATE_VS_HEURISTIC
    significance: float = SIGNIFICANCE

    def as_dict(self) -> dict:
        return {"min_games": self.min_games, "min_rate_vs_random": self.min_rate_vs_random,
                "min_rate_vs_heuristic": self.min_rate_vs_heuristic, "significance": self.significance,
                "test": "one-sided exact sign test vs champion"}


@dataclass(frozen=True)
class Decision:
    outcome: str                     # promote | reject | insufficient_games | already_champion
    candidate: str                   # player id
    champion: str | None             # player id of the champion it was compared with
    gates: dict = field(default_factory=dict)   # name -> {passed, ...numbers}
    reasons: tuple[str, ...] = ()

    @property
    def promoted(self) -> bool:
        return self.outcome == "promote"

    def as_dict(self) -> dict:
        return {"outcome": self.outcome, "candidate": self.candidate, "champion": self.champion,
                "gates": self.gates, "reasons": list(self.reasons)}


def _rate_gate(matches, candidate, opponent, min_rate, rules):
    h2h = head_to_head(matches, candidate, opponent)
    enough = h2h.games >= rules.min_games
    passed = enough and h2h.rate >= min_rate
    return dict(h2h.as_dict(), min_rate=min_rate, enough_games=enough, passed=passed)


def _champion_gate(matches, candidate, champion, rules):
    h2h = head_to_head(matches, candidate, champion)
    enough = h2h.games >= rules.min_games
    passed = enough and h2h.successes > h2h.failures and h2h.p_value < rules.significance
    return dict(h2h.as_dict(), alpha=rules.significance, enough_games=enough, passed=passed)


def decide(matches: list[dict], candidate: str, champion: str | None,
           rules: PromotionRules = PromotionRules()) -> Decision:
    """The decision for `candidate` (a player id) given the config's matches and current champion."""
    if champion == candidate:
        return Decision("already_champion", candidate, champion, {}, ("the candidate is the champion",))
    gates = {}
    if candidate != "random":
        gates["random"] = _rate_gate(matches, candidate, "random", rules.min_rate_vs_random, rules)
    if candidate != "heuristic":
        gates["heuristic"] = _rate_gate(matches, candidate, "heuristic", rules.min_rate_vs_heuristic, rules)
    if champion is not None:
        gates["champion"] = _champion_gate(matches, candidate, champion, rules)
    reasons = []
    for name, gate in gates.items():
        if not gate["enough_games"]:
            reasons.append(f"vs {name}: {gate['games']} games < {rules.min_games}")
        elif not gate["passed"]:
            if "min_rate" in gate:
                reasons.append(f"vs {name}: rate {gate['rate']:.3f} < {gate['min_rate']}")
            else:
                reasons.append(f"vs {name}: p = {gate['p_value']:.4f} not < {rules.significance}")
    failed = any(g["enough_games"] and not g["passed"] for g in gates.values())
    short = any(not g["enough_games"] for g in gates.values())
    outcome = "reject" if failed else "insufficient_games" if short else "promote"
    return Decision(outcome, candidate, champion, gates, tuple(reasons))
