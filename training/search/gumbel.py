"""Gumbel AlphaZero search as a generator: yields one EvalRequest per leaf, is sent its Evaluation.

    result = yield from run_search(root, history, params, rng)

`root` is a `Node` at the position to decide (unexpanded when fresh; a reused subtree keeps its
statistics). One simulation = one descent from the root to a new leaf (evaluated: one request) or to a
terminal node (exact value, no request), then the backup of that leaf's per-seat value vector along the
path. Root: Gumbel-top-k candidates and sequential halving over `params.budget` new simulations (the
halving schedule counts this search's visits; Q-values use every visit in the tree). Below the root: the
deterministic improved-policy rule. See `halving.py` for the formulas and constants.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from training.search import halving
from training.search.protocol import EvalRequest
from training.search.tree import Node, path_history


@dataclass(frozen=True)
class SearchParams:
    budget: int
    num_considered: int = halving.NUM_CONSIDERED
    c_visit: float = halving.C_VISIT
    c_scale: float = halving.C_SCALE
    gumbel_noise: bool = False
    collapse_forced: bool = True

    def __post_init__(self):
        if self.budget < 1:
            raise ValueError(f"budget must be >= 1, got {self.budget}")
        if self.num_considered < 1:
            raise ValueError(f"num_considered must be >= 1, got {self.num_considered}")


@dataclass(frozen=True, eq=False)
class SearchResult:
    root: Node
    move_index: int                 # the surviving candidate of sequential halving
    improved_policy_n: np.ndarray   # float64 [n], softmax(logits + sigma(completed Q))
    visits_n: np.ndarray            # float64 [n], root child visits (reused visits included)
    root_values: np.ndarray         # float64 [num_players]
    simulations: int
    evaluations: int


def node_sigma(node: Node, params: SearchParams) -> np.ndarray:
    return halving.sigma_completed_q(node.raw_value[node.player - 1], node.q_n(), node.visits_n, node.prior_n,
                                     params.c_visit, params.c_scale)


def simulate(root: Node, first: int, history: tuple, params: SearchParams):
    """One simulation through root child `first`; yields at most one request; returns evaluations made."""
    path = [root]
    actions = []
    node, index = root, first
    while True:
        child = node.child(index, params.collapse_forced)
        path.append(child)
        actions.append(index)
        if child.terminal:
            value = child.terminal_value
            evaluations = 0
            break
        if not child.expanded:
            evaluation = yield EvalRequest(child.state, path_history(path, history), child.legal)
            child.expand(evaluation)
            value = child.raw_value
            evaluations = 1
            break
        node = child
        index = halving.interior_action(node.logits_n, node_sigma(node, params), node.visits_n)
    for parent, a in zip(path, actions):
        parent.record_visit(a, value)
    return evaluations


def run_search(root: Node, history: tuple, params: SearchParams, rng: np.random.Generator):
    """The search generator; returns a SearchResult. `history` = the real game's pre-move positions
    before the root (oldest first)."""
    evaluations = 0
    if not root.expanded:
        root.expand((yield EvalRequest(root.state, tuple(history[-2:]), root.legal)))
        evaluations += 1
    n = len(root.legal)
    m = min(params.num_considered, params.budget, n)
    gumbel_n = rng.gumbel(size=n) if params.gumbel_noise else np.zeros(n)
    candidates_k = halving.gumbel_top_k(gumbel_n, root.logits_n, m)
    schedule = halving.considered_visits(m, params.budget)
    search_visits_n = np.zeros(n, dtype=np.int64)
    for target in schedule:
        sigma_n = node_sigma(root, params)
        first = halving.root_action(candidates_k, int(target), search_visits_n, gumbel_n, root.logits_n, sigma_n)
        evaluations += yield from simulate(root, first, history, params)
        search_visits_n[first] += 1
    sigma_n = node_sigma(root, params)
    most = int(search_visits_n[candidates_k].max())
    chosen = halving.root_action(candidates_k, most, search_visits_n, gumbel_n, root.logits_n, sigma_n)
    return SearchResult(root, chosen, halving.improved_policy(root.logits_n, sigma_n), root.visits_n.copy(),
                        root.mean_values(), int(schedule.shape[0]), evaluations)
