"""A match: players rotated evenly through the seats, every game recorded in raw_games and matches.

    report = run_match(lake, "square8_2p", ["gumbel64:heuristic", "heuristic"], games=200, seed=1)
    print(report.line())   # gumbel64:heuristic vs heuristic: 131-62-7 of 200, score 0.673 (95% CI 0.606-0.734)

The first player's score per game is the share of the other seats it finished ahead of (a tie half):
a win, loss or draw in 2-player games, its score against the field with 3-4 players. A game stopped at
the move cap counts as a draw (and is listed as unfinished). The interval is Wilson's 95% interval of
the score rate. Game ids are `<config>-match-<seed hex>-<index>`, so a rerun with the same seed adds
nothing new and reports the games already played.
"""
from __future__ import annotations

import secrets
from dataclasses import dataclass

import pyarrow.compute as pc

from ringrift_lake import tables
from ringrift_lake.location import Lake
from ringrift_lake.records.ids import run_seed_for
from ringrift_lake.promotion.stats import field_score, wilson_interval
from training.play.agents import PlayOptions, resolve_player
from training.play.plan import rotation_plan
from training.play.runner import PlayReport, run_plan


@dataclass
class MatchReport:
    players: list[str]              # player ids, the first one scored
    games: int
    wins: int
    losses: int
    draws: int
    unfinished: int
    score: float
    play: PlayReport

    @property
    def rate(self) -> float:
        return self.score / self.games if self.games else 0.0

    def line(self) -> str:
        low, high = wilson_interval(self.score, self.games)
        return (f"{' vs '.join(self.players)}: {self.wins}-{self.losses}-{self.draws} of {self.games}, "
                f"score {self.rate:.3f} (95% CI {low:.3f}-{high:.3f})")


def tally(players: list[str], results: list[tuple]) -> tuple[int, int, int, int, float]:
    """(wins, losses, draws, unfinished, score) of players[0] over (players per seat, ranks) results."""
    wins = losses = draws = unfinished = 0
    score = 0.0
    for seats, ranks in results:
        s = field_score(list(seats), ranks, players[0])
        if s is None:
            unfinished += 1
            s = 0.5
        score += s
        wins += s > 0.5
        losses += s < 0.5
        draws += s == 0.5
    return wins, losses, draws, unfinished, score


def run_match(lake: Lake, config: str, players: list[str], games: int, seed: int | None = None, workers: int = 1,
              max_moves: int | None = None, progress: bool = True, options: PlayOptions = PlayOptions()) -> MatchReport:
    if len(players) < 2:
        raise ValueError("a match needs at least two players")
    resolved = [resolve_player(lake, config, p) for p in players]
    ids = [p.player_id for p in resolved]
    if len(set(ids)) != len(ids):
        raise ValueError(f"players {ids} are not distinct")
    run_seed = run_seed_for(seed, ids)
    plan = rotation_plan(config, "match", resolved, games, run_seed, options=options, max_moves=max_moves,
                         match_group=f"match-{run_seed:x}")
    report = run_plan(lake, plan, workers=workers, progress=progress)
    rows = tables.read(lake, "matches", columns=["players", "ranks"],
                       filter=(pc.field("config") == config) & (pc.field("gauntlet_id") == plan.match_group))
    results = list(zip(rows.column("players").to_pylist(), rows.column("ranks").to_pylist()))
    wins, losses, draws, unfinished, score = tally(ids, results)
    return MatchReport(ids, len(results), wins, losses, draws, unfinished, score, report)
