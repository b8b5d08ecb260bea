"""`check_move` and `apply_move` reject every move outside the legal set, and leave the state untouched.

Off-set moves are crafted three ways from random positions of every configuration: a legal move with the
wrong player, moves aimed at the wrong cells, and move types that belong to other phases. Each crafted move
is kept only if its identity key is really absent from the legal set.
"""
from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from props_playouts import ALL_CONFIGS, prefix_strategy, random_prefix

from engine import IllegalMoveError, Move, apply_move, check_move, fingerprint, legal_moves

PHASE_FOREIGN_TYPES = (
    "place_ring", "skip_placement", "no_placement_action", "move_stack", "overtaking_capture",
    "continue_capture_segment", "skip_capture", "no_movement_action", "no_line_action",
    "eliminate_rings_from_stack", "forced_elimination", "no_territory_action", "skip_territory_processing",
    "skip_recovery",
)


def wrong_player_moves(state, legal):
    others = [p for p in range(1, state.num_players + 1) if p != state.current_player]
    return [Move(m.type, p, to=m.to, frm=m.frm, target=m.target, count=m.count, line=m.line,
                 collapsed=m.collapsed, region=m.region, recovery_mode=m.recovery_mode,
                 recovery_option=m.recovery_option, extraction=m.extraction, context=m.context)
            for m in legal[:5] for p in others]


def wrong_cell_moves(state, cells):
    me = state.current_player
    out = []
    for c in cells:
        out.append(Move("place_ring", me, to=c, count=1))
        out.append(Move("place_ring", me, to=c, count=3))
        for d in cells[:4]:
            if d != c:
                out.append(Move("move_stack", me, to=d, frm=c))
                out.append(Move("overtaking_capture", me, to=d, frm=c, target=c))
        out.append(Move("forced_elimination", me, to=c))
    return out


def foreign_type_moves(state, cells):
    me = state.current_player
    c, d = cells[0], cells[-1]
    return [Move(t, me, to=d, frm=c, target=c, count=1 if t == "place_ring" else None)
            if t in ("place_ring", "move_stack", "overtaking_capture", "continue_capture_segment")
            else Move(t, me, to=c) for t in PHASE_FOREIGN_TYPES]


def assert_rejected(state, move) -> None:
    with pytest.raises(IllegalMoveError):
        check_move(state, move)
    before = fingerprint(state)
    with pytest.raises(IllegalMoveError):
        apply_move(state, move)
    assert fingerprint(state) == before, f"rejected {move!r} but changed the state"


@pytest.mark.parametrize("config", ALL_CONFIGS)
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 2**31 - 1), data=st.data())
def test_off_set_moves_are_rejected(config, seed, data):
    state, _ = random_prefix(config, seed, data.draw(prefix_strategy(config), label="prefix plies"))
    if state.status != "active":
        return
    legal = legal_moves(state)
    legal_keys = {m.key() for m in legal}
    n = state.geometry.n_cells
    cells = data.draw(st.lists(st.integers(0, n - 1), min_size=2, max_size=6, unique=True), label="cells")
    crafted = (wrong_player_moves(state, legal) + wrong_cell_moves(state, cells)
               + foreign_type_moves(state, cells))
    off_set = [m for m in crafted if m.key() not in legal_keys]
    assert len(off_set) >= len(legal[:5])  # the wrong-player moves alone are always off the set
    for move in off_set:
        assert_rejected(state, move)
    assert {m.key() for m in legal_moves(state)} == legal_keys


@pytest.mark.parametrize("config", ["square8_2p", "square8_4p", "hex8_2p", "hex8_3p"])
@settings(max_examples=5, deadline=None)
@given(seed=st.integers(0, 2**31 - 1))
def test_finished_game_offers_and_accepts_nothing(config, seed):
    state, _ = random_prefix(config, seed, 10_000)
    assert state.status == "completed" and state.winner in range(1, state.num_players + 1)
    assert legal_moves(state) == []
    for move in foreign_type_moves(state, [0, state.geometry.n_cells - 1]):
        assert_rejected(state, move)
