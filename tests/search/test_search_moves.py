"""Decisions of the Gumbel agent: always a legal move, a proper improved policy, edge budgets, seeds."""
from __future__ import annotations

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engine import legal_moves
from search_helpers import CONFIGS, HashEvaluator, UniformEvaluator, random_position
from training.search import GumbelAgent, HeuristicEvaluator, PolicyNetAgent, run_decision


def _check_record(record, legal, budget):
    pi = record.improved_policy
    assert pi.dtype == np.float32 and pi.shape == (len(legal),)
    assert np.all(pi >= 0) and abs(float(pi.sum()) - 1) < 1e-5
    assert record.visit_counts.dtype == np.int32 and record.visit_counts.shape == (len(legal),)
    assert record.visit_counts.sum() == budget == record.simulations == record.budget
    assert record.root_values.dtype == np.float32
    assert np.all(np.abs(record.root_values) <= 1 + 1e-6)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(CONFIGS), st.integers(0, 10_000), st.integers(0, 150), st.integers(1, 12),
       st.booleans(), st.sampled_from(["heuristic", "hash"]))
def test_never_an_illegal_move(config, seed, plies, budget, noise, kind):
    state, history = random_position(*config, seed, plies)
    if state.status != "active":
        return
    legal = legal_moves(state)
    evaluator = HeuristicEvaluator() if kind == "heuristic" else HashEvaluator()
    agent = GumbelAgent(evaluator, budget, seed=seed, gumbel_noise=noise)
    decision = run_decision(agent, state, legal, history[-2:])
    assert any(m is decision.move for m in legal)
    _check_record(decision.search, legal, budget)
    assert decision.search.root_values.shape == (config[1],)


def test_budget_one_and_a_single_legal_move():
    state, history = random_position("square8", 2, 3, 10)
    legal = legal_moves(state)
    evaluator = UniformEvaluator()
    decision = run_decision(GumbelAgent(evaluator, 1), state, legal, history)
    _check_record(decision.search, legal, 1)
    assert evaluator.calls == 2                              # the root, then one leaf
    calls = evaluator.calls
    only = legal[:1]
    decision = run_decision(GumbelAgent(evaluator, 16), state, only, history)
    assert decision.move is only[0] and decision.search is None and evaluator.calls == calls


def test_same_seed_same_decisions_and_noise_changes_them():
    def decisions(seed, noise):
        out = []
        for plies in (5, 20, 40, 60):
            state, history = random_position("hex8", 2, 1, plies)
            agent = GumbelAgent(HashEvaluator(), 8, seed=seed, gumbel_noise=noise)
            d = run_decision(agent, state, legal_moves(state), history[-2:])
            out.append((d.move.key(), d.search.improved_policy.tobytes()))
        return out

    assert decisions(3, True) == decisions(3, True)
    assert decisions(3, False) == decisions(4, False)        # no noise: the seed does not matter
    assert decisions(3, True) != decisions(4, True)


def test_policy_agent_plays_the_argmax_of_the_logits():
    state, history = random_position("square8", 2, 9, 30)
    legal = legal_moves(state)
    evaluator = HashEvaluator()
    logits = evaluator.evaluate([type("R", (), {"state": state, "legal": legal})()])[0].logits_n
    decision = run_decision(PolicyNetAgent(evaluator), state, legal, history)
    assert decision.move is legal[int(np.argmax(logits))]
    assert decision.search.budget == 0 and not decision.search.full_search
    assert abs(float(decision.search.improved_policy.sum()) - 1) < 1e-5


def test_playout_cap_randomisation_marks_only_full_searches():
    state, history = random_position("square8", 2, 5, 30)
    legal = legal_moves(state)
    agent = GumbelAgent(HashEvaluator(), 16, cheap_budget=4, full_search_prob=0.3, seed=1, reuse_tree=False)
    records = [run_decision(agent, state, legal, history).search for _ in range(40)]
    full = [r for r in records if r.full_search]
    cheap = [r for r in records if not r.full_search]
    assert full and cheap
    assert all(r.budget == 16 and r.simulations == 16 for r in full)
    assert all(r.budget == 4 and r.simulations == 4 for r in cheap)
