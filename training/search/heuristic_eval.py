"""A network-free evaluator from the engine's heuristic terms, so search works before any network exists.

Prior logits: the one-ply move scores of `engine.agents.move_scorer.MoveScorer` (what the heuristic
agent maximises), clipped to +-`score_clip` and divided by `prior_temperature`.
Value: `engine.agents.state_eval.seat_scores`, with the player to move credited `threat_weight` times
its best move score (clipped; it moves next, so what it can take now is partly its own already), then
`seat_values` (each seat against the mean of the others, tanh(x / value_scale)).
Tuned values and what was measured: training/search/README.md.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from engine.agents import DEFAULT_WEIGHTS, HeuristicWeights
from engine.agents.move_scorer import MoveScorer
from engine.agents.state_eval import DEFAULT_VALUE_SCALE, seat_scores, seat_values

from training.search.protocol import EvalRequest, Evaluation

PRIOR_TEMPERATURE = 20.0
SCORE_CLIP = 400.0
THREAT_WEIGHT = 0.5


@dataclass(frozen=True)
class HeuristicEvaluator:
    weights: HeuristicWeights = DEFAULT_WEIGHTS
    prior_temperature: float = PRIOR_TEMPERATURE
    score_clip: float = SCORE_CLIP
    value_scale: float = DEFAULT_VALUE_SCALE
    threat_weight: float = THREAT_WEIGHT

    def evaluate(self, requests: list[EvalRequest]) -> list[Evaluation]:
        return [self.evaluate_one(r.state, r.legal) for r in requests]

    def move_scores(self, state, legal: list) -> np.ndarray:
        score = MoveScorer(state, self.weights).score
        return np.clip(np.fromiter((score(m) for m in legal), dtype=np.float64, count=len(legal)),
                       -self.score_clip, self.score_clip)

    def evaluate_one(self, state, legal: list) -> Evaluation:
        scores_n = self.move_scores(state, legal) if legal else np.zeros(0)
        seat = seat_scores(state, self.weights)
        if legal and self.threat_weight:
            seat[state.current_player - 1] += self.threat_weight * max(0.0, float(scores_n.max()))
        values = seat_values(state, self.weights, self.value_scale, seat)
        return Evaluation((scores_n / self.prior_temperature).astype(np.float32), np.asarray(values, np.float32))
