"""What a search asks an evaluator, what it gets back, and what an agent's decision carries.

An evaluator is any object with `evaluate(requests: list[EvalRequest]) -> list[Evaluation]` (one
Evaluation per request, same order). The network and the heuristic evaluators implement it; a search
agent holds one and the batched driver groups the pending requests of many games by evaluator object.

An agent's decision is a generator: `decide(state, legal, history)` yields EvalRequests, is sent one
Evaluation back for each, and returns a `Decision`. Built-in engine agents never yield.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

import numpy as np


@dataclass(frozen=True, eq=False)
class EvalRequest:
    """One position to evaluate: `state` (not mutated by the evaluator), `history` = the pre-move states
    before it, oldest first (the encoder uses the last two; fewer = zero frames), `legal` = its legal moves."""

    state: object
    history: tuple
    legal: list


@dataclass(frozen=True, eq=False)
class Evaluation:
    """`logits_n` float32 [len(legal)]: prior logits over exactly the request's legal moves, in their order;
    `values_nseat` float32 [num_players]: each seat's value in [-1, 1], absolute seat order (seat s at s-1)."""

    logits_n: np.ndarray
    values_nseat: np.ndarray


class Evaluator(Protocol):
    def evaluate(self, requests: list[EvalRequest]) -> list[Evaluation]: ...


@dataclass(frozen=True, eq=False)
class SearchRecord:
    """What one searched (or raw-policy) ply leaves for training and resignation.

    `improved_policy` float32 [len(legal)]: aligned with that ply's legal moves, sums to 1 (softmax of
    logits + sigma(completed Q) for a search; softmax of the logits for a raw-policy ply).
    `visit_counts` int32 [len(legal)]: root child visits (a reused subtree's earlier visits included;
    zeros for a raw-policy ply). `root_values` float32 [num_players]: the root's mean value per seat
    (absolute seats; the evaluator's value for a raw-policy ply). `budget`: simulations asked for (0 for
    a raw-policy ply). `full_search`: True only for a search at the agent's full budget (not a cheap
    playout-cap search, not a raw-policy ply). `simulations`: simulations run; `evaluations`:
    evaluator calls this decision made (root included, unless the root came from the reused tree)."""

    improved_policy: np.ndarray
    visit_counts: np.ndarray
    root_values: np.ndarray
    budget: int
    full_search: bool
    simulations: int = 0
    evaluations: int = 0


@dataclass(frozen=True, eq=False)
class Decision:
    """The move an agent plays (one of the legal moves it was given) and its search record (None for a
    built-in engine agent or a single legal move)."""

    move: object
    search: SearchRecord | None = None


def softmax(logits: np.ndarray) -> np.ndarray:
    """float64 probabilities of float logits (max-shifted)."""
    z = np.asarray(logits, dtype=np.float64)
    e = np.exp(z - z.max())
    return e / e.sum()


class ConstantEvaluator:
    """Zero logits (a uniform prior) and the same per-seat values everywhere (default 0): the search's own
    cost with a free evaluator, for benchmarks and tests."""

    def __init__(self, values=None):
        self.values = values

    def evaluate(self, requests: list[EvalRequest]) -> list[Evaluation]:
        out = []
        for r in requests:
            n = r.state.num_players
            values = np.zeros(n, np.float32) if self.values is None else np.asarray(self.values[:n], np.float32)
            out.append(Evaluation(np.zeros(len(r.legal), np.float32), values))
        return out
