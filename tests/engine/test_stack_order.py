"""Stack order (GameState.stack_since): the canonical engines keep stacks in a map in insertion order, and a
recovery slide that names no extraction stack takes the first stack holding a buried ring in that order.

Board order took another stack in one legacy hex8 game (move 154), which left the stack at -1,3,-2 one ring
too tall, so its recorded move at ply 158 looked like an R090 violation (tests/lake/test_import.py).
"""
from __future__ import annotations

from engine import apply_move, move_from_json, new_game, state_from_json
from engine.state import set_stack


def _recovery_position(stack_keys: list[str]):
    """square8 2p, player 1 to move: no stacks of its own, a buried ring under each of player 2's stacks
    (listed in ``stack_keys`` order), markers 0,0 1,0 2,0 and 3,1 (sliding 3,1 to 3,0 makes a line of 4)."""
    stacks = {}
    for key in stack_keys:
        x, y = map(int, key.split(","))
        stacks[key] = {"position": {"x": x, "y": y}, "rings": [2, 1], "stackHeight": 2, "capHeight": 1,
                       "controllingPlayer": 2}
    markers = {key: {"position": {"x": int(key[0]), "y": int(key[2])}, "player": 1, "type": "regular"}
               for key in ("0,0", "1,0", "2,0", "3,1")}
    return state_from_json({
        "board": {"type": "square8", "size": 8, "stacks": stacks, "markers": markers, "collapsedSpaces": {}},
        "currentPlayer": 1, "currentPhase": "movement", "gameStatus": "active", "moveHistory": [],
        "players": [{"playerNumber": 1, "ringsInHand": 0, "eliminatedRings": 0, "territorySpaces": 0},
                    {"playerNumber": 2, "ringsInHand": 10, "eliminatedRings": 0, "territorySpaces": 0}],
        "victoryThreshold": 18, "territoryVictoryThreshold": 33})


SLIDE = {"type": "recovery_slide", "player": 1, "from": {"x": 3, "y": 1}, "to": {"x": 3, "y": 0},
         "recoveryOption": 1, "recoveryMode": "line"}


def test_a_recovery_without_extraction_stack_takes_the_stack_that_came_first():
    for order in (["6,6", "5,5"], ["5,5", "6,6"]):          # 6,6 is later in board order than 5,5
        state = _recovery_position(order)
        g = state.geometry
        apply_move(state, move_from_json(SLIDE, state))
        first, second = (g.index(k) for k in order)
        assert state.rings[first] == (2,), order              # the first stack in the map paid the ring
        assert state.rings[second] == (2, 1), order
        assert state.eliminated[0] == 1 and state.territory[0] == 4


def test_a_named_extraction_stack_still_wins():
    state = _recovery_position(["6,6", "5,5"])
    apply_move(state, move_from_json({**SLIDE, "extractionStacks": ["5,5"]}, state))
    assert state.rings[state.geometry.index("5,5")] == (2,)
    assert state.rings[state.geometry.index("6,6")] == (2, 1)


def test_stacks_keep_their_place_while_they_change_and_move_to_the_end_when_they_move():
    state = new_game("square8", 2)
    a, b, c = (state.geometry.index(k) for k in ("7,7", "0,0", "3,3"))
    set_stack(state, a, (1,))                  # appears first
    set_stack(state, b, (2,))
    set_stack(state, a, (2, 1))                # a ring placed on it: same place
    assert state.stacks_in_order([b, a]) == [a, b]
    set_stack(state, a, ())                    # it moves away ...
    set_stack(state, c, (2, 1))                # ... and lands: now the newest
    assert state.stacks_in_order([c, b]) == [b, c]
    copy = state.copy()
    set_stack(copy, b, ())
    set_stack(copy, b, (1,))
    assert copy.stacks_in_order([c, b]) == [c, b] and state.stacks_in_order([c, b]) == [b, c]
