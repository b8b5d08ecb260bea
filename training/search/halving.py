"""Gumbel AlphaZero arithmetic on the children of one node (Danihelka et al., ICLR 2022), numpy only.

Notation for a node with n legal moves, seen by the player to move there:
  logits_n   prior logits            visits_n  child visit counts N(a)
  q_n        child mean values (only meaningful where N(a) > 0), in [-1, 1]
  raw_value  the evaluator's value of the node itself for that player

* v_mix (paper eq. 33, mctx `_compute_mixed_value`): (raw_value + sum N * sum_visited pi(a) q(a) /
  sum_visited pi(a)) / (1 + sum N), pi = softmax(logits).
* completed Q: q(a) where visited, v_mix elsewhere.
* sigma(q) = (c_visit + max_b N(b)) * c_scale * q_hat, with q_hat the completed Q rescaled to [0, 1] by
  the node's own min and max (as mctx's `qtransform_completed_by_mix_value`).
  Defaults c_visit = 50, c_scale = 0.1: mctx's defaults. The paper writes c_scale = 1 for Go and chess,
  where q is rescaled by the tree-wide min/max instead; with the per-node rescale (the best child gets
  q_hat = 1 exactly) 0.1 keeps sigma within about 5-7 logits at our budgets, so a strong prior is not
  swamped by a difference in Q that is only noise (training/search/README.md).
* improved policy: softmax(logits + sigma(completed Q)).
* interior selection: argmax of improved policy(a) - N(a) / (1 + sum N) (deterministic).
* root: Gumbel-top-k of g + logits picks m candidates; sequential halving spends the budget on them.
"""
from __future__ import annotations

import math

import numpy as np

C_VISIT = 50.0
C_SCALE = 0.1
NUM_CONSIDERED = 16
_TINY = 1e-30
_RESCALE_EPS = 1e-8


def considered_visits(num_considered: int, budget: int) -> np.ndarray:
    """int64 [budget]: for each root simulation, the visit count a candidate must have to be simulated
    next (sequential halving: each phase gives every surviving candidate
    max(1, budget // (ceil(log2 m) * survivors)) visits, then keeps the better half, at least 2)."""
    if num_considered <= 1:
        return np.arange(budget, dtype=np.int64)
    phases = math.ceil(math.log2(num_considered))
    sequence: list[int] = []
    visits = 0
    survivors = num_considered
    while len(sequence) < budget:
        extra = max(1, budget // (phases * survivors))
        for _ in range(extra):
            sequence.extend([visits] * survivors)
            visits += 1
        survivors = max(2, survivors // 2)
    return np.asarray(sequence[:budget], dtype=np.int64)


def gumbel_top_k(gumbel_n: np.ndarray, logits_n: np.ndarray, k: int) -> np.ndarray:
    """int64 [k]: indices of the k largest g + logits (ties: lower index first)."""
    score = gumbel_n + logits_n
    order = np.lexsort((np.arange(score.shape[0]), -score))
    return order[:k]


def mixed_value(raw_value: float, q_n: np.ndarray, visits_n: np.ndarray, prior_n: np.ndarray) -> float:
    total = visits_n.sum()
    if total <= 0:
        return float(raw_value)
    visited = visits_n > 0
    p = np.maximum(prior_n[visited], _TINY)
    weighted_q = float((p * q_n[visited]).sum() / p.sum())
    return float((raw_value + total * weighted_q) / (total + 1))


def sigma_completed_q(raw_value: float, q_n: np.ndarray, visits_n: np.ndarray, prior_n: np.ndarray,
                      c_visit: float = C_VISIT, c_scale: float = C_SCALE) -> np.ndarray:
    """float64 [n]: sigma of the completed, per-node rescaled Q-values."""
    if not visits_n.any():
        return np.zeros(visits_n.shape[0])           # every Q completed by the same v_mix: q_hat = 0
    v_mix = mixed_value(raw_value, q_n, visits_n, prior_n)
    completed = np.where(visits_n > 0, q_n, v_mix)
    lo, hi = completed.min(), completed.max()
    q_hat = (completed - lo) / max(hi - lo, _RESCALE_EPS)
    return (c_visit + visits_n.max()) * c_scale * q_hat


def improved_policy(logits_n: np.ndarray, sigma_n: np.ndarray) -> np.ndarray:
    """float64 [n]: softmax(logits + sigma), sums to 1."""
    z = logits_n + sigma_n
    e = np.exp(z - z.max())
    return e / e.sum()


def interior_action(logits_n: np.ndarray, sigma_n: np.ndarray, visits_n: np.ndarray) -> int:
    """The child a simulation descends to below the root."""
    score = improved_policy(logits_n, sigma_n) - visits_n / (1.0 + visits_n.sum())
    return int(np.argmax(score))


def root_action(candidates_k: np.ndarray, target_visits: int, search_visits_n: np.ndarray,
                gumbel_n: np.ndarray, logits_n: np.ndarray, sigma_n: np.ndarray) -> int:
    """Among the candidates whose visits in this search equal `target_visits` (all of them if none does),
    the one with the largest g + logits + sigma (ties: the earlier candidate)."""
    eligible = candidates_k[search_visits_n[candidates_k] == target_visits]
    if eligible.shape[0] == 0:
        eligible = candidates_k
    score = gumbel_n[eligible] + logits_n[eligible] + sigma_n[eligible]
    return int(eligible[int(np.argmax(score))])
