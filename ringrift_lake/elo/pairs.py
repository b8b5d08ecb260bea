"""Pairwise results extracted from `matches` rows.

Every finished game (ranks recorded) yields one pairwise result per pair of
seats held by *different* players: the better rank scores 1, equal ranks
score 0.5 each. A 2-player game gives one pair; a 4-player game six. Games
without ranks (unfinished, e.g. a move limit) give no pairs. Pairs between
two seats of the same player (a gauntlet fills the other seats of a 3–4p
game with one opponent) say nothing about strength and are skipped.
"""
from __future__ import annotations

from dataclasses import dataclass
from itertools import combinations

import numpy as np


@dataclass(frozen=True)
class PairwiseResults:
    """Pairs as parallel arrays; players[i[k]] scored score[k] against players[j[k]] in game[k]."""

    players: tuple[str, ...]
    i: np.ndarray          # int64 index into players
    j: np.ndarray          # int64
    score: np.ndarray      # float64: 1 win, 0.5 draw, 0 loss (for players[i])
    game: np.ndarray       # int64: index of the game the pair came from
    games_played: np.ndarray   # int64 per player: finished games taken part in
    wins: np.ndarray           # float64 per player: first places (shared first place split)
    num_games: int

    @property
    def num_pairs(self) -> int:
        return int(self.i.size)

    def multiplayer(self) -> bool:
        """True when some game contributed more than one pair (pairs within a game are correlated)."""
        return self.num_pairs > 0 and np.bincount(self.game).max() > 1


def game_pairs(players: list[str], ranks: list[int]) -> list[tuple[str, str, float]]:
    """(a, b, score of a) for each pair of seats of one finished game held by different players."""
    out = []
    for (pa, ra), (pb, rb) in combinations(zip(players, ranks), 2):
        if pa == pb:
            continue
        out.append((pa, pb, 1.0 if ra < rb else 0.0 if ra > rb else 0.5))
    return out


def pairwise_results(matches: list[dict]) -> PairwiseResults:
    """Pairs from match rows (dicts with `players` and `ranks`; rows without ranks are skipped)."""
    finished = [m for m in matches if m.get("ranks") and m.get("players")
                and all(r is not None for r in m["ranks"]) and len(m["ranks"]) == len(m["players"])]
    names = sorted({p for m in finished for p in m["players"]})
    index = {p: k for k, p in enumerate(names)}
    i, j, score, game = [], [], [], []
    games_played = np.zeros(len(names), dtype=np.int64)
    wins = np.zeros(len(names), dtype=np.float64)
    for g, m in enumerate(finished):
        players, ranks = list(m["players"]), [int(r) for r in m["ranks"]]
        for p in set(players):
            games_played[index[p]] += 1
        best = min(ranks)
        firsts = [p for p, r in zip(players, ranks) if r == best]
        for p in firsts:
            wins[index[p]] += 1.0 / len(firsts)
        for a, b, s in game_pairs(players, ranks):
            i.append(index[a])
            j.append(index[b])
            score.append(s)
            game.append(g)
    return PairwiseResults(
        players=tuple(names),
        i=np.asarray(i, dtype=np.int64),
        j=np.asarray(j, dtype=np.int64),
        score=np.asarray(score, dtype=np.float64),
        game=np.asarray(game, dtype=np.int64),
        games_played=games_played,
        wins=wins,
        num_games=len(finished),
    )
