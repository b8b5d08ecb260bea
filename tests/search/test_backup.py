"""Per-seat backups: every node reads its own player's component; tree statistics stay consistent."""
from __future__ import annotations

import numpy as np
import pytest

from engine import legal_moves
from search_helpers import HashEvaluator, UniformEvaluator, full_search, random_position
from training.search import GumbelAgent, HeuristicEvaluator, run_decision
from training.search import halving
from training.search.gumbel import SearchParams, node_sigma
from training.search.protocol import Evaluation
from training.search.tree import Node, make_child


class FixedChildValues:
    """Zero logits; the value of a position is a fixed per-seat vector chosen by its hash."""

    def __init__(self):
        self.inner = HashEvaluator()

    def evaluate(self, requests):
        return [Evaluation(np.zeros(len(r.legal), np.float32), self.inner.values_of(r.state)) for r in requests]


@pytest.mark.parametrize("num_players", [3, 4])
def test_root_chooses_the_child_best_for_the_player_to_move(num_players):
    evaluator = FixedChildValues()
    movers = set()
    for seed in range(12):
        state, history = random_position("square8", num_players, seed, 20 + 7 * seed)
        if state.status != "active":
            continue
        legal = legal_moves(state)
        n = min(len(legal), 24)
        legal = legal[:n]
        children = [make_child(state, m) for m in legal]
        mover = state.current_player
        movers.add(mover)
        values = [c.terminal_value if c.terminal else evaluator.inner.values_of(c.state) for c in children]
        best = int(np.argmax([v[mover - 1] for v in values]))
        # budget n, n candidates: every child is evaluated once, the final choice is the best Q
        agent = GumbelAgent(evaluator, n, num_considered=n)
        decision = run_decision(agent, state, legal, history[-2:])
        assert legal.index(decision.move) == best, (seed, mover)
    assert len(movers) >= 2


def test_interior_nodes_read_their_own_players_values():
    state, _ = random_position("square8", 3, 5, 30)
    node = Node(state.copy(), legal=legal_moves(state)[:2])    # two children, both visited once
    n = len(node.legal)
    node.expand(Evaluation(np.zeros(n, np.float32), np.zeros(3, np.float32)))
    me = node.player - 1
    good_for_me = np.full(3, -0.9)
    good_for_me[me] = 0.9
    bad_for_me = -good_for_me
    node.record_visit(0, bad_for_me)
    node.record_visit(1, good_for_me)
    sigma = node_sigma(node, SearchParams(8))
    assert halving.interior_action(node.logits_n, sigma, node.visits_n) == 1


def _check_consistent(node):
    """A child's visits = 1 + its children's visits; the parent's value sums cover its subtree."""
    if not node.expanded:
        return
    for i, child in enumerate(node.children):
        if child is None:
            assert node.visits_n[i] == 0
            continue
        if child.terminal:
            assert np.allclose(node.value_sum_ns[i], node.visits_n[i] * child.terminal_value)
            continue
        assert child.expanded and node.visits_n[i] == 1 + child.visits_n.sum()
        assert np.allclose(node.value_sum_ns[i], child.raw_value + child.value_sum_ns.sum(axis=0))
        _check_consistent(child)


@pytest.mark.parametrize("config", [("square8", 2), ("hex8", 3), ("square8", 4)])
def test_tree_statistics_are_consistent(config):
    state, history = random_position(*config, 2, 40)
    root, result = full_search(state, history[-2:], HeuristicEvaluator(), 48, seed=1)
    assert root.visits_n.sum() == 48
    _check_consistent(root)
    assert np.allclose(result.root_values, root.mean_values())


def test_uniform_values_leave_the_prior_in_charge():
    state, history = random_position("hex8", 2, 8, 25)
    legal = legal_moves(state)
    decision = run_decision(GumbelAgent(UniformEvaluator(), 16), state, legal, history[-2:])
    # all Q equal (0) except terminal children: the improved policy is the (uniform) prior
    assert np.allclose(decision.search.improved_policy, 1 / len(legal), atol=1e-6) or any(
        make_child(state, m).terminal for m in legal)
