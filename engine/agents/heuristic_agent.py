"""One-ply heuristic agent: scores every legal move with `MoveScorer` and plays the best one."""
from __future__ import annotations

import random

from .heuristic_weights import DEFAULT_WEIGHTS, HeuristicWeights
from .move_scorer import MoveScorer

TIE = 1e-9


class HeuristicAgent:
    """Greedy on the one-ply evaluation; ties are broken at random from the agent's seed.

    `weights` is a `HeuristicWeights` or a dict of overrides of the default weights.
    A single legal move (bookkeeping, forced steps) is returned without evaluation.
    """

    name = "heuristic"

    def __init__(self, seed: int = 0, weights: HeuristicWeights | dict | None = None):
        self.seed = seed
        self._rng = random.Random(seed)
        if isinstance(weights, HeuristicWeights):
            self.weights = weights
        else:
            self.weights = DEFAULT_WEIGHTS.with_overrides(weights)

    def select_move(self, state, legal: list):
        if not legal:
            raise ValueError("select_move needs at least one legal move")
        if len(legal) == 1:
            return legal[0]
        score = MoveScorer(state, self.weights).score
        best_score = float("-inf")
        best: list = []
        for move in legal:
            s = score(move)
            if s > best_score + TIE:
                best_score = s
                best = [move]
            elif s >= best_score - TIE:
                best.append(move)
        if len(best) == 1:
            return best[0]
        return best[self._rng.randrange(len(best))]
