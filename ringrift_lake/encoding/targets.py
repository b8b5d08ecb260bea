"""Training targets: per-seat values from the game's result, policy from search visits or the move played."""
from __future__ import annotations

import json

import numpy as np

from ringrift_lake.encoding.planes import SEAT_SLOTS, seat_permutation


def final_seat_values(num_players: int, winner: int | None, eliminated, territory) -> np.ndarray:
    """float32 [4], absolute seat order (seat s at s - 1), 0 past num_players.

    2 players: winner +1, the other -1. 3-4 players: rank-based, value = 1 - 2 (rank - 1) / (n - 1);
    the winner ranks first, the others by (eliminated rings credited, territory) at the end of the
    game, descending; tied seats share the mean of their ranks' values. No winner: all 0.
    """
    values = np.zeros(SEAT_SLOTS, dtype=np.float32)
    if winner is None or not 1 <= winner <= num_players:
        return values
    if num_players == 2:
        values[:2] = -1.0
        values[winner - 1] = 1.0
        return values
    rank_values = [1.0 - 2.0 * r / (num_players - 1) for r in range(num_players)]
    values[winner - 1] = rank_values[0]
    others = [s for s in range(1, num_players + 1) if s != winner]
    score = {s: (eliminated[s - 1], territory[s - 1]) for s in others}
    ordered = sorted(others, key=lambda s: score[s], reverse=True)
    rank = 1
    while rank < num_players:
        tied = [s for s in ordered if score[s] == score[ordered[rank - 1]]]
        shared = sum(rank_values[rank:rank + len(tied)]) / len(tied)
        for s in tied:
            values[s - 1] = shared
        rank += len(tied)
    return values


def relative_values(seat_values: np.ndarray, mover_t: np.ndarray, num_players: int) -> np.ndarray:
    """float32 [T, 4]: seat values seen from each sample's player to move (relative seat 0 = mover)."""
    padded = np.concatenate([seat_values[:num_players], np.zeros(SEAT_SLOTS + 1 - num_players, np.float32)])
    return padded[seat_permutation(mover_t, num_players)]


def parse_visits(visits_json: str | None, policy_size: int) -> tuple[np.ndarray, np.ndarray] | None:
    """(indices int32 ascending, probs float32 summing to 1) from `{"policy index": visit count}`,
    or None when there is no search data (or no positive count). Indices outside the action space
    raise ValueError: visits written against another action space must not be silently remapped."""
    if not visits_json:
        return None
    data = json.loads(visits_json)
    if isinstance(data, dict) and "visits" in data and isinstance(data["visits"], dict):
        data = data["visits"]
    pairs = sorted((int(k), float(v)) for k, v in data.items() if float(v) > 0)
    if not pairs:
        return None
    indices = np.fromiter((k for k, _ in pairs), dtype=np.int32, count=len(pairs))
    if indices[0] < 0 or indices[-1] >= policy_size:
        raise ValueError(f"visit index out of the action space 0..{policy_size - 1}: {visits_json[:200]}")
    counts = np.fromiter((v for _, v in pairs), dtype=np.float64, count=len(pairs))
    return indices, (counts / counts.sum()).astype(np.float32)
