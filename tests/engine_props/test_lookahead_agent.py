"""The lookahead agent: legal moves in 2-, 3- and 4-player configs, seed-deterministic, a pick among the
heuristic's best few moves, and stronger than the heuristic it looks ahead with (a short seeded match; 200
games are slow)."""
from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from props_playouts import play_match, prefix_strategy, random_prefix

from engine import apply_move, legal_moves, state_hash
from engine.agents import DEFAULT_WEIGHTS, HeuristicAgent, LookaheadAgent
from engine.agents.move_scorer import MoveScorer


def lookahead_score(config: str, games: int, first_seed: int) -> float:
    """The lookahead agent's score (win 1, draw 1/2) against the heuristic, seats alternating."""
    total = 0.0
    for g in range(games):
        seat = 1 + g % 2
        agents = [HeuristicAgent(first_seed + g), HeuristicAgent(first_seed + g)]
        agents[seat - 1] = LookaheadAgent(first_seed + g)
        winner = play_match(config, agents)[0].winner
        total += 1.0 if winner == seat else 0.5 if winner is None else 0.0
    return total / games


@pytest.mark.parametrize("config", ["square8_2p", "hex8_2p", "square8_3p", "hex8_4p"])
@settings(max_examples=4, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 2**31 - 1), data=st.data())
def test_lookahead_picks_legal_moves_among_the_heuristics_best(config, seed, data):
    state, _ = random_prefix(config, seed, data.draw(prefix_strategy(config), label="prefix plies"))
    agent = LookaheadAgent(seed, candidates=3)
    for _ in range(12):
        if state.status != "active":
            break
        legal = legal_moves(state)
        before = state_hash(state)
        move = agent.select_move(state, legal)
        assert any(move is m for m in legal)
        assert state_hash(state) == before                        # looked ahead on copies only
        if len(legal) > 1:
            score = MoveScorer(state, DEFAULT_WEIGHTS).score
            ranked = sorted((score(m) for m in legal), reverse=True)
            assert score(move) >= ranked[min(2, len(ranked) - 1)] - 1e-6     # one of the top 3
        apply_move(state, move)


def test_one_candidate_plays_the_heuristics_best_move():
    state, _ = random_prefix("square8_2p", 5, 40)
    agent = LookaheadAgent(seed=2, candidates=1)
    for _ in range(30):
        if state.status != "active":
            break
        legal = legal_moves(state)
        move = agent.select_move(state, legal)
        score = MoveScorer(state, DEFAULT_WEIGHTS).score
        assert score(move) >= max(score(m) for m in legal) - 1e-6
        apply_move(state, move)


def test_lookahead_is_deterministic_per_seed():
    def game(seed):
        return play_match("square8_2p", [LookaheadAgent(seed), HeuristicAgent(seed)])[1]

    assert game(4) == game(4)
    assert game(4) != game(5)


def test_lookahead_refuses_no_candidates():
    with pytest.raises(ValueError, match="candidates"):
        LookaheadAgent(seed=0, candidates=0)


def test_lookahead_beats_the_heuristic_square8_short():
    assert lookahead_score("square8_2p", 24, first_seed=300) >= 0.6


@pytest.mark.slow
@pytest.mark.parametrize("config, bar", [("square8_2p", 0.7), ("hex8_2p", 0.6)])
def test_lookahead_beats_the_heuristic_200_games(config, bar):
    assert lookahead_score(config, 200, first_seed=3000) >= bar
