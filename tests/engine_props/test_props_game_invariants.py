"""Property tests on random games of every configuration: what must hold at every step.

* S (markers + collapsed + eliminated) never decreases;
* every legal move the generator offers passes `check_move` and applies (on a copy) without error;
* state JSON round trip keeps the fingerprint and the hash;
* move JSON round trip keeps the move (its identity key and every JSON field).

Each example plays a random prefix without checks (so late-game phases are reached on every board),
then checks a window of plies.
"""
from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from props_playouts import ALL_CONFIGS, prefix_strategy, random_prefix, s_invariant

from engine import (
    apply_move, check_move, fingerprint, legal_moves, move_from_json, move_to_json, state_from_json,
    state_hash, state_to_json,
)

def check_window(state, agent, window: int, all_moves_every: int) -> None:
    s_prev = s_invariant(state)
    for ply in range(window):
        if state.status != "active":
            break
        legal = legal_moves(state)
        assert legal, f"active state without legal moves in phase {state.phase}"
        assert all(m.player == state.current_player for m in legal)
        if ply % all_moves_every == 0:
            check_all_moves_apply(state, legal)
            check_state_json_round_trip(state)
        move = agent.select_move(state, legal)
        check_move_json_round_trip(state, move)
        apply_move(state, move)
        s_now = s_invariant(state)
        assert s_now >= s_prev, f"S decreased {s_prev} -> {s_now} after {move!r}"
        s_prev = s_now


def check_all_moves_apply(state, legal) -> None:
    before = fingerprint(state)
    s_before = s_invariant(state)
    for move in legal:
        assert check_move(state, move) is None
        after = apply_move(state.copy(), move)
        assert s_invariant(after) >= s_before, f"S decreased after {move!r}"
    assert fingerprint(state) == before, "checking or applying on a copy changed the original"


def check_state_json_round_trip(state) -> None:
    data = state_to_json(state)
    again = state_from_json(data)
    assert fingerprint(again) == fingerprint(state)
    assert state_hash(again) == state_hash(state)
    assert state_to_json(again) == data


def check_move_json_round_trip(state, move) -> None:
    data = move_to_json(move, state)
    back = move_from_json(data, state)
    assert back.key() == move.key()
    assert move_to_json(back, state) == data


@pytest.mark.parametrize("config", ALL_CONFIGS)
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 2**31 - 1), prefix=st.data())
def test_random_game_invariants(config, seed, prefix):
    plies = prefix.draw(prefix_strategy(config), label="prefix plies")
    state, agent = random_prefix(config, seed, plies)
    check_window(state, agent, window=40, all_moves_every=6)


@pytest.mark.slow
@pytest.mark.parametrize("config", ALL_CONFIGS)
@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 2**31 - 1))
def test_random_game_invariants_full_games(config, seed):
    state, agent = random_prefix(config, seed, 0)
    check_window(state, agent, window=10_000, all_moves_every=5)
    assert state.status == "completed"
