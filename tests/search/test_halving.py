"""The Gumbel arithmetic: halving schedule, top-k, completed Q and sigma, improved policy."""
from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from training.search import halving

arrays = st.integers(1, 40).flatmap(lambda n: st.tuples(
    st.lists(st.floats(-20, 20), min_size=n, max_size=n),
    st.lists(st.integers(0, 30), min_size=n, max_size=n),
    st.lists(st.floats(-1, 1), min_size=n, max_size=n),
    st.floats(-1, 1)))


@given(st.integers(1, 16), st.integers(1, 400))
def test_schedule_spends_the_budget_and_halves(m, budget):
    schedule = halving.considered_visits(m, budget)
    assert schedule.shape == (budget,)
    # simulate: each step visits one candidate whose count equals the target; always possible
    visits = np.zeros(m, dtype=int)
    for target in schedule:
        eligible = np.flatnonzero(visits == target)
        assert eligible.size, (m, budget, list(schedule))
        visits[eligible[0]] += 1
    assert visits.sum() == budget
    if budget >= m:
        assert visits.min() >= 1                      # every candidate is tried once first


def test_schedule_for_64_simulations_over_16_candidates():
    visits = np.zeros(16, dtype=int)
    for target in halving.considered_visits(16, 64):
        visits[np.flatnonzero(visits == target)[0]] += 1
    # 4 phases of 16 simulations: 16 x 1, 8 x 2, 4 x 4, 2 x 8 more visits
    assert sorted(visits, reverse=True) == [15, 15, 7, 7, 3, 3, 3, 3] + [1] * 8


def test_gumbel_top_k_takes_the_largest_and_breaks_ties_by_index():
    logits = np.array([0.0, 2.0, 2.0, -1.0, 5.0])
    assert list(halving.gumbel_top_k(np.zeros(5), logits, 3)) == [4, 1, 2]


@settings(max_examples=200)
@given(arrays)
def test_improved_policy_is_a_distribution_and_sigma_in_range(data):
    logits, visits, q, raw = (np.asarray(x, dtype=np.float64) for x in data)
    prior = np.exp(logits - logits.max())
    prior /= prior.sum()
    sigma = halving.sigma_completed_q(raw, q, visits, prior)
    top = (halving.C_VISIT + visits.max()) * halving.C_SCALE
    assert np.all(sigma >= -1e-12) and np.all(sigma <= top + 1e-9)
    pi = halving.improved_policy(logits, sigma)
    assert np.all(pi >= 0) and abs(pi.sum() - 1) < 1e-9
    assert 0 <= halving.interior_action(logits, sigma, visits) < len(logits)


def test_completed_q_gives_unvisited_moves_the_mixed_value():
    q = np.array([0.5, 0.0, -0.5])
    visits = np.array([3.0, 0.0, 1.0])
    prior = np.array([0.5, 0.3, 0.2])
    v_mix = halving.mixed_value(0.1, q, visits, prior)
    expected = (0.1 + 4 * (0.5 * 0.5 + 0.2 * -0.5) / 0.7) / 5
    assert abs(v_mix - expected) < 1e-12
    sigma = halving.sigma_completed_q(0.1, q, visits, prior, c_visit=50, c_scale=1.0)
    scale = 50 + 3
    assert abs(sigma[0] - scale) < 1e-9 and abs(sigma[2]) < 1e-9          # best -> 1, worst -> 0
    assert abs(sigma[1] - scale * (v_mix + 0.5) / 1.0) < 1e-9


def test_interior_selection_prefers_better_q_then_spreads_visits():
    logits = np.zeros(3)
    visits = np.array([1.0, 1.0, 0.0])
    q = np.array([0.9, -0.9, 0.0])
    prior = np.full(3, 1 / 3)
    sigma = halving.sigma_completed_q(0.0, q, visits, prior)
    assert halving.interior_action(logits, sigma, visits) == 0
