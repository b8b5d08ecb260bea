"""The "full" legal-move set of RULES.md 4.4, cached on the state until the next move."""
from __future__ import annotations

from .lines import line_decision_moves, line_reward_moves
from .movement import moves_from, player_can_act
from .moves import cell_move, simple_move
from .placement import placement_moves
from .recovery import recovery_eligible, recovery_moves
from .state import GameState
from .territory import territory_moves

BOOKKEEPING_FOR_PHASE = {
    "ring_placement": "no_placement_action",
    "movement": "no_movement_action",
    "line_processing": "no_line_action",
    "territory_processing": "no_territory_action",
}


def legal_moves(s: GameState) -> list:
    """Every legal move of the current player (a fresh list; the cached set itself is never handed out)."""
    legal = s._legal
    if legal is None:
        legal = s._legal = _generate(s)
    return list(legal)


def cached_legal(s: GameState) -> list:
    """The cached legal list itself (callers must not mutate it)."""
    legal = s._legal
    if legal is None:
        legal = s._legal = _generate(s)
    return legal


def _generate(s: GameState) -> list:
    if s.status != "active" and s.status != "waiting":
        return []
    p = s.current_player
    phase = s.phase
    out: list = []
    if phase == "ring_placement":
        if s.rings_in_hand[p - 1] > 0:
            placement_moves(s, p, out)
            if player_can_act(s, p) or recovery_eligible(s, p):
                out.append(simple_move("skip_placement", p))
        if swap_offered(s):
            out.append(simple_move("swap_sides", p))
    elif phase == "movement":
        if s.must_move is not None:
            if s.stack_owner[s.must_move] == p:
                moves_from(s, s.must_move, p, out)
        else:
            for c in s.geometry.cells_of(s.stack_bb[p]):
                moves_from(s, c, p, out)
            if recovery_eligible(s, p):
                recovery_moves(s, p, out)
    elif phase == "capture":
        if s.must_move is not None and s.stack_owner[s.must_move] == p:
            moves_from(s, s.must_move, p, out, with_moves=False)
        out.append(simple_move("skip_capture", p))
    elif phase == "chain_capture":
        if s.chain_pos is not None and s.stack_owner[s.chain_pos] == p:
            moves_from(s, s.chain_pos, p, out, with_moves=False, capture_type="continue_capture_segment")
    elif phase == "line_processing":
        if s.pending_line:
            line_reward_moves(s, p, out)
            line_decision_moves(s, p, out, pending=True)
        else:
            line_decision_moves(s, p, out, pending=False)
    elif phase == "territory_processing":
        territory_moves(s, p, out)
    elif phase == "forced_elimination":
        for c in s.geometry.cells_of(s.stack_bb[p]):
            out.append(cell_move("forced_elimination", p, c))
    if not out:
        bk = BOOKKEEPING_FOR_PHASE.get(phase)
        if bk is not None:
            out.append(simple_move(bk, p))
    return out


def swap_offered(s: GameState) -> bool:
    return (bool(s.options.get("swapRuleEnabled")) and s.num_players == 2 and s.current_player == 2
            and s.p1_moved and not s.p2_moved and not s.swapped)
