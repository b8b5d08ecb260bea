"""Uniformly random legal moves: the baseline every other agent is measured against."""
from __future__ import annotations

import random


class RandomAgent:
    """Picks uniformly among the legal moves it is given; the same seed and inputs give the same moves."""

    name = "random"

    def __init__(self, seed: int = 0):
        self.seed = seed
        self._rng = random.Random(seed)

    def select_move(self, state, legal: list):
        if not legal:
            raise ValueError("select_move needs at least one legal move")
        if len(legal) == 1:
            return legal[0]
        return legal[self._rng.randrange(len(legal))]
