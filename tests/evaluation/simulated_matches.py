"""Match rows simulated from set strengths (no engine): the ground truth for the Elo and promotion tests.

Finishing orders come from an exponential race: seat s finishes after an
exponential time with rate gamma_s = 10 ** (rating_s / 400), best rank first.
Under this model every pair of seats is ordered exactly as Bradley–Terry says,
P(a before b) = gamma_a / (gamma_a + gamma_b), in 2- and in 4-player games.
"""
from __future__ import annotations

import uuid
from datetime import datetime, timezone

import numpy as np


def race_ranks(ratings: list[float], rng: np.random.Generator) -> list[int]:
    """Ranks (1 = best) of one game between seats with these Elo ratings."""
    rates = 10.0 ** (np.asarray(ratings, dtype=np.float64) / 400.0)
    times = rng.exponential(1.0 / rates)
    order = np.argsort(times)
    ranks = np.empty(len(ratings), dtype=np.int64)
    ranks[order] = np.arange(1, len(ratings) + 1)
    return ranks.tolist()


def match_row(config: str, players: list[str], ranks: list[int], gauntlet_id: str = "sim") -> dict:
    """A `matches` row (schema MATCHES) for a finished game with these seats and ranks."""
    winner = ranks.index(1) + 1 if ranks.count(1) == 1 else None
    game_id = uuid.uuid4().hex
    return {
        "match_id": f"m-{game_id}",
        "config": config,
        "game_id": game_id,
        "players": list(players),
        "winner": winner,
        "winner_player": players[winner - 1] if winner else None,
        "ranks": list(ranks),
        "reason": "simulated",
        "num_moves": 0,
        "gauntlet_id": gauntlet_id,
        "created_at": datetime.now(timezone.utc),
    }


def simulate_pool(strengths: dict[str, float], games: int, seats: int, seed: int, config: str = "square8_2p") -> list[dict]:
    """`games` games, each between `seats` distinct players drawn at random from the pool."""
    rng = np.random.default_rng(seed)
    names = sorted(strengths)
    rows = []
    for _ in range(games):
        players = [names[k] for k in rng.choice(len(names), size=seats, replace=False)]
        rows.append(match_row(config, players, race_ranks([strengths[p] for p in players], rng)))
    return rows


def simulate_head_to_head(candidate: str, opponent: str, p_win: float, games: int, seed: int,
                          config: str = "square8_2p", gauntlet_id: str = "sim") -> list[dict]:
    """2-player games with seats alternating; the candidate wins each with probability p_win."""
    rng = np.random.default_rng(seed)
    rows = []
    for g in range(games):
        won = bool(rng.random() < p_win)
        players = [candidate, opponent] if g % 2 == 0 else [opponent, candidate]
        cand_rank = 1 if won else 2
        ranks = [cand_rank, 3 - cand_rank] if g % 2 == 0 else [3 - cand_rank, cand_rank]
        rows.append(match_row(config, players, ranks, gauntlet_id))
    return rows
