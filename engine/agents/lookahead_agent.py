"""A two-turn lookahead on the heuristic: each of the one-ply heuristic's best few moves is played out to
the end of the mover's turn and through the other seats' replies (both by the greedy heuristic), and the
move whose resulting position `state_eval.seat_scores` rates best for the mover is chosen.

    agent = LookaheadAgent(seed=7)            # candidates: the heuristic's top 6 moves
    move = agent.select_move(state, legal_moves(state))

The one-ply heuristic scores a move by what it changes now; the lookahead also sees what the opponent
takes back in its next turn (a capture of the stack just moved, a line or territory it completes). It
beats the heuristic 0.755 on square8 2p and 0.730 on hex8 2p (200 games each, docs/generations.md), and
its selfplay runs about 14x slower than the heuristic's. Ties are broken at random from the seed.
"""
from __future__ import annotations

import random

from engine.apply import apply_move
from engine.legal import legal_moves

from .heuristic_agent import HeuristicAgent
from .heuristic_weights import DEFAULT_WEIGHTS, HeuristicWeights
from .move_scorer import MoveScorer
from .state_eval import seat_scores

CANDIDATES = 6
MAX_TURN_DECISIONS = 32   # a turn's decisions (placement, move, capture chain, lines, territory) are fewer
TIE = 1e-6
WIN = 1e9


class LookaheadAgent:
    name = "lookahead"

    def __init__(self, seed: int = 0, candidates: int = CANDIDATES, weights: HeuristicWeights | None = None):
        if candidates < 1:
            raise ValueError("candidates must be at least 1")
        self.candidates = candidates
        self.weights = weights or DEFAULT_WEIGHTS
        self._rng = random.Random(seed)
        self._greedy = HeuristicAgent(seed=seed ^ 0x5EED, weights=self.weights)

    def select_move(self, state, legal: list):
        if not legal:
            raise ValueError("select_move needs at least one legal move")
        if len(legal) == 1:
            return legal[0]
        me = state.current_player
        score = MoveScorer(state, self.weights).score
        order = list(range(len(legal)))
        self._rng.shuffle(order)                       # equal one-ply scores: a random few are looked at
        order.sort(key=lambda i: score(legal[i]), reverse=True)
        best: list[int] = []
        best_value = float("-inf")
        for i in order[:self.candidates]:
            value = self._value_after(state, legal[i], me)
            if value > best_value + TIE:
                best, best_value = [i], value
            elif value >= best_value - TIE:
                best.append(i)
        return legal[best[0] if len(best) == 1 else best[self._rng.randrange(len(best))]]

    def _value_after(self, state, move, me: int) -> float:
        """The mover's score margin once its turn and every other seat's next turn are played greedily."""
        after = state.copy()
        apply_move(after, move, check=False)
        self._play_turn(after, me)
        for _ in range(state.num_players - 1):
            if after.status != "active" or after.current_player == me:
                break
            self._play_turn(after, after.current_player)
        if after.status != "active":
            return WIN if after.winner == me else (-WIN if after.winner is not None else 0.0)
        scores = seat_scores(after, self.weights)
        others = (sum(scores) - scores[me - 1]) / (len(scores) - 1)
        return scores[me - 1] - others

    def _play_turn(self, state, player: int) -> None:
        for _ in range(MAX_TURN_DECISIONS):
            if state.status != "active" or state.current_player != player:
                return
            apply_move(state, self._greedy.select_move(state, legal_moves(state)), check=False)
