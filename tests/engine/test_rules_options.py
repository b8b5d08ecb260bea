"""Rules options: the hex8 3-4p line quirk is one switch away from the canonical rule; defaults of new_game."""
from __future__ import annotations

import pytest

from engine import legal_moves, new_game, state_from_json


def _hex8_three_marker_line(options):
    markers = {}
    for x in (-1, 0, 1):
        key = f"{x},0,{-x}"
        markers[key] = {"position": {"x": x, "y": 0, "z": -x}, "player": 1, "type": "regular"}
    return state_from_json({
        "board": {"type": "hex8", "size": 9, "markers": markers, "collapsedSpaces": {}, "stacks": {
            "3,-3,0": {"position": {"x": 3, "y": -3, "z": 0}, "rings": [1], "stackHeight": 1, "capHeight": 1,
                       "controllingPlayer": 1}}},
        "currentPlayer": 1, "currentPhase": "line_processing", "gameStatus": "active",
        "players": [{"playerNumber": p, "ringsInHand": 10, "eliminatedRings": 0, "territorySpaces": 0}
                    for p in (1, 2, 3)],
        "moveHistory": [], "victoryThreshold": 24, "territoryVictoryThreshold": 31, "rulesOptions": options})


def test_hex8_3p_quirk_on_by_default_misses_three_long_lines():
    s = _hex8_three_marker_line({})
    assert [m.type for m in legal_moves(s)] == ["no_line_action"]


def test_hex8_3p_canonical_rule_finds_three_long_lines():
    s = _hex8_three_marker_line({"hex8LineQuirk": False})
    types = sorted(m.type for m in legal_moves(s))
    assert types == ["choose_line_option", "process_line"]


@pytest.mark.parametrize("board,players,threshold,rings", [
    ("square8", 2, 18, 18), ("square8", 3, 24, 18), ("square19", 4, 120, 72), ("hexagonal", 3, 128, 96),
    ("hex8", 4, 30, 18)])
def test_new_game_defaults(board, players, threshold, rings):
    s = new_game(board, players)
    assert s.options["lpsRoundsRequired"] == 3 and s.options["swapRuleEnabled"] is False
    assert s.victory_threshold == threshold and s.rings_in_hand == [rings] * players
    assert s.territory_threshold == s.geometry.n_cells // players + 1
    assert (s.current_player, s.phase, s.status) == (1, "ring_placement", "active")


def test_swap_rule_offered_once_to_player_two():
    s = new_game("square8", 2, {"swapRuleEnabled": True})
    from engine import apply_move
    while s.current_player == 1:
        apply_move(s, legal_moves(s)[0])
    assert "swap_sides" in {m.type for m in legal_moves(s)}
    swap = next(m for m in legal_moves(s) if m.type == "swap_sides")
    apply_move(s, swap)
    assert (s.current_player, s.phase) == (2, "ring_placement")
    assert "swap_sides" not in {m.type for m in legal_moves(s)}
