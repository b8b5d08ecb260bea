"""Head-to-head statistics of a candidate against one opponent, from `matches` rows.

Unit of evidence: one game in which the candidate holds exactly one seat and
every other seat is held by the opponent (how gauntlets seat 2–4 players).
The game's *score* is the share of opponent seats the candidate finished
ahead of (a tie in rank counts half): 1 or 0 in 2-player games, so the rate
is the plain win rate there, and the same bar means the same thing in 3–4
player games. A game without ranks (unfinished) counts as played with score 0:
it cannot help a candidate clear a baseline.

Significance against the champion: an exact one-sided sign test. Games with
score above 1/2 are successes, below 1/2 failures, exactly 1/2 (or
unfinished) are ties and dropped; p = P(Binomial(successes + failures, 1/2)
>= successes). In 2-player games without draws this is the exact binomial
test of "win rate > 50%". It needs no normal approximation and no
independence between the seats of one game.
"""
from __future__ import annotations

import math
from dataclasses import asdict, dataclass


@dataclass(frozen=True)
class HeadToHead:
    opponent: str
    games: int          # games counted (finished or not)
    score: float        # sum of per-game scores
    successes: int      # games with score > 1/2
    failures: int       # games with score < 1/2 (unfinished games not included)
    ties: int           # games with score exactly 1/2
    unfinished: int

    @property
    def rate(self) -> float:
        return self.score / self.games if self.games else 0.0

    @property
    def p_value(self) -> float:
        return sign_test_p_value(self.successes, self.failures)

    def as_dict(self) -> dict:
        return dict(asdict(self), rate=round(self.rate, 6), p_value=self.p_value)


def game_score(players: list[str], ranks: list[int] | None, candidate: str, opponent: str) -> float | None | bool:
    """Score of the candidate in one game against opponent seats; False if the game is not such a game.

    Returns None for an unfinished head-to-head game.
    """
    if players.count(candidate) != 1 or any(p not in (candidate, opponent) for p in players) or len(players) < 2:
        return False
    if not ranks or any(r is None for r in ranks):
        return None
    mine = ranks[players.index(candidate)]
    theirs = [r for p, r in zip(players, ranks) if p == opponent]
    return sum(1.0 if mine < r else 0.5 if mine == r else 0.0 for r in theirs) / len(theirs)


def head_to_head(matches: list[dict], candidate: str, opponent: str) -> HeadToHead:
    games = successes = failures = ties = unfinished = 0
    score = 0.0
    for m in matches:
        s = game_score(list(m["players"]), m.get("ranks"), candidate, opponent)
        if s is False:
            continue
        games += 1
        if s is None:
            unfinished += 1
            continue
        score += s
        successes += s > 0.5
        failures += s < 0.5
        ties += s == 0.5
    return HeadToHead(opponent, games, score, successes, failures, ties, unfinished)


def sign_test_p_value(successes: int, failures: int) -> float:
    """One-sided exact sign test: P(X >= successes) for X ~ Binomial(successes + failures, 1/2)."""
    n = successes + failures
    if n == 0:
        return 1.0
    tail = sum(math.comb(n, k) for k in range(successes, n + 1))
    return tail / 2**n


def field_score(players: list[str], ranks: list[int] | None, first: str) -> float | None:
    """The share of the other seats that `first` (holding one seat) finished ahead of, a tie counting
    half: 1 / 0 / 0.5 in 2-player games. None when the game has no ranks (unfinished)."""
    if not ranks or any(r is None for r in ranks):
        return None
    mine = ranks[players.index(first)]
    others = [r for k, r in enumerate(ranks) if k != players.index(first)]
    return sum(1.0 if mine < r else 0.5 if mine == r else 0.0 for r in others) / len(others)


def wilson_interval(score: float, games: int, z: float = 1.96) -> tuple[float, float]:
    """95% (z = 1.96) Wilson interval of a score rate `score / games` in [0, 1]."""
    if games == 0:
        return 0.0, 1.0
    p = score / games
    centre = (p + z * z / (2 * games)) / (1 + z * z / games)
    half = z * math.sqrt(p * (1 - p) / games + z * z / (4 * games * games)) / (1 + z * z / games)
    return max(0.0, centre - half), min(1.0, centre + half)
