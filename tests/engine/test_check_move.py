"""check_move / apply_move reject illegal moves with the rule, the field and a message; never silently."""
from __future__ import annotations

import pytest

from engine import IllegalMoveError, Move, apply_move, check_move, legal_moves, new_game, state_from_json
from engine.replay import read_records
from test_reference_games import GAMES_DIR


def _state(stacks, phase="movement", player=1, markers=None, collapsed=None, hands=(10, 10)):
    board = {"type": "square8", "size": 8, "stacks": {}, "markers": {}, "collapsedSpaces": collapsed or {}}
    for key, rings in stacks.items():
        x, y = map(int, key.split(","))
        board["stacks"][key] = {"position": {"x": x, "y": y}, "rings": rings, "stackHeight": len(rings),
                                "capHeight": 1, "controllingPlayer": rings[0]}
    for key, p in (markers or {}).items():
        x, y = map(int, key.split(","))
        board["markers"][key] = {"position": {"x": x, "y": y}, "player": p, "type": "regular"}
    return state_from_json({
        "board": board, "currentPlayer": player, "currentPhase": phase, "gameStatus": "active",
        "players": [{"playerNumber": i + 1, "ringsInHand": h, "eliminatedRings": 0, "territorySpaces": 0}
                    for i, h in enumerate(hands)], "moveHistory": [], "victoryThreshold": 18,
        "territoryVictoryThreshold": 33})


def _reject(state, move):
    with pytest.raises(IllegalMoveError) as info:
        check_move(state, move)
    return info.value


def test_wrong_player():
    s = new_game("square8", 2)
    err = _reject(s, Move("place_ring", 2, to=s.geometry.index("3,3")))
    assert (err.rule, err.field) == ("RR-CANON-R070", "player")
    assert "player 1's turn" in err.message


def test_move_type_not_allowed_in_phase():
    s = new_game("square8", 2)
    g = s.geometry
    err = _reject(s, Move("move_stack", 1, frm=g.index("0,0"), to=g.index("0,1")))
    assert err.field == "type" and "ring_placement" in err.message


def test_placement_on_marker_and_collapsed_and_count():
    s = _state({"4,4": [1]}, phase="ring_placement", markers={"2,2": 2}, collapsed={"6,6": 1})
    g = s.geometry
    err = _reject(s, Move("place_ring", 1, to=g.index("2,2")))
    assert (err.rule, err.field) == ("RR-CANON-R081", "to") and "marker" in err.message
    err = _reject(s, Move("place_ring", 1, to=g.index("6,6")))
    assert (err.rule, err.field) == ("RR-CANON-R081", "to") and "collapsed" in err.message
    err = _reject(s, Move("place_ring", 1, to=g.index("4,4"), count=2))
    assert (err.rule, err.field) == ("RR-CANON-R082", "placementCount")


def test_dead_placement_rejected():
    # (0,0) boxed in by collapsed spaces: a ring there could never move
    s = _state({"7,7": [1]}, phase="ring_placement", collapsed={"1,0": 2, "0,1": 2, "1,1": 2})
    err = _reject(s, Move("place_ring", 1, to=s.geometry.index("0,0")))
    assert (err.rule, err.field) == ("RR-CANON-R082", "to") and "no legal move" in err.message


def test_move_stack_errors():
    s = _state({"3,3": [1, 1], "3,6": [2]})
    g = s.geometry
    err = _reject(s, Move("move_stack", 1, frm=g.index("3,6"), to=g.index("3,7")))
    assert (err.rule, err.field) == ("RR-CANON-R090", "from")
    err = _reject(s, Move("move_stack", 1, frm=g.index("3,3"), to=g.index("3,4")))
    assert (err.rule, err.field) == ("RR-CANON-R091", "to") and "less than the stack height" in err.message
    err = _reject(s, Move("move_stack", 1, frm=g.index("3,3"), to=g.index("4,5")))
    assert err.field == "to" and "straight line" in err.message
    err = _reject(s, Move("move_stack", 1, frm=g.index("3,3"), to=g.index("3,7")))
    assert (err.rule, err.field) == ("RR-CANON-R091", "to") and "blocked" in err.message


def test_capture_errors():
    s = _state({"3,3": [1], "3,4": [2, 2], "5,5": [2]})
    g = s.geometry
    # cap height 1 cannot overtake cap height 2
    err = _reject(s, Move("overtaking_capture", 1, frm=g.index("3,3"), target=g.index("3,4"), to=g.index("3,5")))
    assert (err.rule, err.field) == ("RR-CANON-R101", "captureTarget")
    err = _reject(s, Move("overtaking_capture", 1, frm=g.index("3,3"), target=g.index("6,6"), to=g.index("7,7")))
    assert err.field == "captureTarget"  # (6,6) is empty
    err = _reject(s, Move("overtaking_capture", 1, frm=g.index("3,3"), target=g.index("5,5"), to=g.index("4,4")))
    assert (err.rule, err.field) == ("RR-CANON-R101", "to") and "landing" in err.message
    ok = Move("overtaking_capture", 1, frm=g.index("3,3"), target=g.index("5,5"), to=g.index("6,6"))
    assert ok.key() in {m.key() for m in legal_moves(s)}
    check_move(s, ok)


def test_must_move_after_placement():
    s = _state({"3,3": [1], "6,6": [1]}, phase="ring_placement")
    g = s.geometry
    apply_move(s, Move("place_ring", 1, to=g.index("3,3")))
    err = _reject(s, Move("move_stack", 1, frm=g.index("6,6"), to=g.index("6,7")))
    assert (err.rule, err.field) == ("RR-CANON-R090", "from") and "must move from 3,3" in err.message


def test_apply_move_raises_and_leaves_state_untouched():
    s = new_game("hex8", 2)
    before = s.copy()
    bad = Move("place_ring", 1, to=0, count=4)
    with pytest.raises(IllegalMoveError):
        apply_move(s, bad)
    from engine import fingerprint
    assert fingerprint(s) == fingerprint(before) and s.move_count == 0


def test_bookkeeping_move_rejected_when_real_moves_exist():
    s = new_game("square8", 2)
    err = _reject(s, Move("no_placement_action", 1))
    assert err.rule == "RR-CANON-R080" and err.field == "type"


def test_game_over_rejects_everything():
    rec = next(read_records(GAMES_DIR / "square8_2p.jsonl.gz"))
    from engine import move_from_json
    s = new_game("square8", 2, {"lpsRoundsRequired": 0})
    for mj in rec["moves"]:
        apply_move(s, move_from_json(mj, s))
    assert s.status == "completed"
    assert legal_moves(s) == []
    err = _reject(s, Move("no_placement_action", s.current_player))
    assert err.rule == "RR-CANON-R170"


def test_every_legal_move_passes_check_move():
    s = new_game("square19", 3)
    for m in legal_moves(s)[:50]:
        check_move(s, m)
