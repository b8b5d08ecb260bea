"""Victory (RR-CANON-R170-R179), evaluated the way the reference engine does (RULES.md 1.13).

Reason codes recorded in `GameState.reason`:
  ring_elimination, territory_control, last_player_standing (early LPS, round-based LPS R172, stalemate
  ladder steps 3-4), tiebreaker_by_player_number (stalemate ladder last step).
"""
from __future__ import annotations

from .movement import player_can_act
from .placement import has_placement
from .state import GameState

RING_ELIMINATION = "ring_elimination"
TERRITORY_CONTROL = "territory_control"
LAST_PLAYER_STANDING = "last_player_standing"
TIEBREAKER = "tiebreaker_by_player_number"
REASONS = (RING_ELIMINATION, TERRITORY_CONTROL, LAST_PLAYER_STANDING, TIEBREAKER)


def has_real_action(s: GameState, player: int) -> bool:
    """A placement, move_stack or capture is available (recovery and forced elimination do not count)."""
    if s.rings_in_hand[player - 1] > 0 and has_placement(s, player):
        return True
    return player_can_act(s, player)


def _bare_board_placement(s: GameState, player: int) -> bool:
    return s.rings_in_hand[player - 1] > 0 and has_placement(s, player)


def _unique_max(values: list[int]):
    best = max(values)
    if best > 0 and values.count(best) == 1:
        return values.index(best) + 1
    return None


def evaluate_victory(s: GameState):
    """(winner, reason) if the game is decided in this state, else None (round-based LPS excluded)."""
    n = s.num_players
    players = range(1, n + 1)
    for p in players:
        if s.eliminated[p - 1] >= s.victory_threshold:
            return p, RING_ELIMINATION
    cc = s.collapsed_count
    total = s.collapsed_bb.bit_count()
    for p in players:
        own = cc[p]
        if own >= s.territory_threshold and own > total - own:
            return p, TERRITORY_CONTROL
    controllers = [p for p in players if s.stack_bb[p]]
    if len(controllers) == 1:
        c = controllers[0]
        if all(not s.has_material(p) for p in players if p != c):
            return c, LAST_PLAYER_STANDING
    if not controllers:
        hands = [p for p in players if s.rings_in_hand[p - 1] > 0]
        if not hands or not any(_bare_board_placement(s, p) for p in hands):
            return _stalemate_winner(s)
    return None


def _stalemate_winner(s: GameState):
    n = s.num_players
    w = _unique_max([s.territory[p - 1] for p in range(1, n + 1)])
    if w:
        return w, TERRITORY_CONTROL
    w = _unique_max([s.eliminated[p - 1] + s.rings_in_hand[p - 1] for p in range(1, n + 1)])
    if w:
        return w, RING_ELIMINATION
    w = _unique_max([s.marker_bb[p].bit_count() for p in range(1, n + 1)])
    if w:
        return w, LAST_PLAYER_STANDING
    if s.last_mover:
        return s.last_mover, LAST_PLAYER_STANDING
    return 1, TIEBREAKER


def finish(s: GameState, winner: int, reason: str, keep_phase: bool = False) -> None:
    s.status = "completed"
    if not keep_phase:
        s.phase = "game_over"
    s.winner = winner
    s.reason = reason
    s.must_move = None
    s.chain_pos = None


def lps_turn_start(s: GameState) -> bool:
    """Round-based LPS bookkeeping at the start of the current player's turn; True if it ends the game."""
    required = s.lps_rounds_required
    if required <= 0:
        return False
    p = s.current_player
    first = s.lps_first_player
    if first is None:
        s.lps_first_player = p
        s.lps_actor_mask = 0
    elif p == first or not s.has_material(first):
        mask = s.lps_actor_mask
        actors = [q for q in range(1, s.num_players + 1) if mask >> q & 1]
        if len(actors) == 1:
            if s.lps_exclusive_player == actors[0]:
                s.lps_exclusive_rounds += 1
            else:
                s.lps_exclusive_player = actors[0]
                s.lps_exclusive_rounds = 1
        else:
            s.lps_exclusive_player = None
            s.lps_exclusive_rounds = 0
        s.lps_round_index += 1
        s.lps_first_player = p
        s.lps_actor_mask = 0
    has = has_real_action(s, p)
    if has:
        s.lps_actor_mask |= 1 << p
    if has and p == s.lps_exclusive_player and s.lps_exclusive_rounds >= required and s.lps_declares:
        others = [q for q in range(1, s.num_players + 1) if q != p and s.has_material(q)]
        if not any(has_real_action(s, q) for q in others):
            finish(s, p, LAST_PLAYER_STANDING)
            return True
    return False
