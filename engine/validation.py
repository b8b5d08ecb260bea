"""check_move: legality = the mover is the current player and the move's identity is in the legal set
(RULES.md 4.4). A rejected move gets the rule it breaks, the offending JSON field and a plain message."""
from __future__ import annotations

from .errors import IllegalMoveError
from .legal import cached_legal
from .movement import ray_to
from .moves import MOVE_TYPES, Move
from .placement import placement_cap
from .state import GameState

PHASE_TYPES = {
    "ring_placement": {"place_ring", "skip_placement", "no_placement_action", "swap_sides"},
    "movement": {"move_stack", "overtaking_capture", "recovery_slide", "skip_recovery", "no_movement_action"},
    "capture": {"overtaking_capture", "skip_capture"},
    "chain_capture": {"continue_capture_segment"},
    "line_processing": {"process_line", "choose_line_option", "eliminate_rings_from_stack", "no_line_action"},
    "territory_processing": {"choose_territory_option", "eliminate_rings_from_stack",
                             "skip_territory_processing", "no_territory_action"},
    "forced_elimination": {"forced_elimination"},
}

RULE_FOR_TYPE = {
    "place_ring": "RR-CANON-R081", "skip_placement": "RR-CANON-R080", "no_placement_action": "RR-CANON-R080",
    "move_stack": "RR-CANON-R090", "no_movement_action": "RR-CANON-R090",
    "overtaking_capture": "RR-CANON-R101", "skip_capture": "RR-CANON-R100",
    "continue_capture_segment": "RR-CANON-R103",
    "process_line": "RR-CANON-R121", "choose_line_option": "RR-CANON-R122", "no_line_action": "RR-CANON-R120",
    "eliminate_rings_from_stack": "RR-CANON-R122",
    "choose_territory_option": "RR-CANON-R143", "skip_territory_processing": "RR-CANON-R143",
    "no_territory_action": "RR-CANON-R140",
    "forced_elimination": "RR-CANON-R205",
    "recovery_slide": "RR-CANON-R112", "skip_recovery": "RR-CANON-R110",
    "swap_sides": "RR-CANON-R180",
}


def check_move(state: GameState, move: Move) -> None:
    """Return None if `move` is legal in `state`, else raise IllegalMoveError(rule, field, message)."""
    s = state
    t = move.type
    if t not in MOVE_TYPES:
        raise IllegalMoveError("RR-CANON-R070", "type", f"unknown move type {t!r}")
    if s.status not in ("active", "waiting"):
        raise IllegalMoveError("RR-CANON-R170", "type", f"the game is over ({s.status}); no move is legal")
    if move.player != s.current_player:
        raise IllegalMoveError("RR-CANON-R070", "player",
                               f"player {move.player} moved but it is player {s.current_player}'s turn")
    legal = cached_legal(s)
    for m in legal:
        if m is move:
            return
    keys = s._legal_keys
    if keys is None:
        keys = s._legal_keys = {m.key() for m in legal}
    if move.key() in keys:
        return
    raise _explain(s, move, legal)


def _explain(s: GameState, move: Move, legal: list) -> IllegalMoveError:
    t = move.type
    g = s.geometry
    rule = RULE_FOR_TYPE.get(t, "RR-CANON-R070")
    if t not in PHASE_TYPES.get(s.phase, ()):
        return IllegalMoveError(rule, "type", f"{t} is not allowed in phase {s.phase}")
    same_type = [m for m in legal if m.type == t]
    if not same_type:
        others = sorted({m.type for m in legal})
        return IllegalMoveError(rule, "type", f"no {t} is legal now; legal move types: {others}")
    p = s.current_player

    def where(c):
        return g.keys[c] if c is not None else "nothing"

    if t == "place_ring":
        c = move.to
        if s.collapsed_owner[c]:
            return IllegalMoveError("RR-CANON-R081", "to", f"cannot place on collapsed space {where(c)}")
        if s.marker_owner[c]:
            return IllegalMoveError("RR-CANON-R081", "to", f"cannot place on a marker at {where(c)}")
        cap = placement_cap(s, p)
        cnt = move.count or 1
        limit = 1 if s.stack_height[c] else min(3, cap)
        if cnt < 1 or cnt > limit:
            return IllegalMoveError("RR-CANON-R082", "placementCount",
                                    f"placement count {cnt} at {where(c)} exceeds the allowed {limit}")
        return IllegalMoveError("RR-CANON-R082", "to",
                                f"placing {cnt} at {where(c)} leaves a stack with no legal move or capture")
    if t in ("move_stack", "overtaking_capture", "continue_capture_segment"):
        frm = move.frm
        origins = {m.frm for m in same_type}
        if frm not in origins:
            if s.stack_owner[frm] != p:
                why = f"player {p} controls no stack at {where(frm)}"
            else:
                why = f"the stack at {where(frm)} may not move now (must move from {where(next(iter(origins)))})"
            return IllegalMoveError(rule, "from", why)
        ray, dist = ray_to(s, frm, move.to)
        if ray is None:
            return IllegalMoveError(rule, "to", f"{where(move.to)} is not on a straight line from {where(frm)}")
        if t == "move_stack":
            if dist < s.stack_height[frm]:
                return IllegalMoveError("RR-CANON-R091", "to",
                                        f"distance {dist} is less than the stack height {s.stack_height[frm]}")
            return IllegalMoveError("RR-CANON-R091", "to",
                                    f"the path from {where(frm)} to {where(move.to)} is blocked or the landing "
                                    "is occupied")
        targets = {m.target for m in same_type if m.frm == frm}
        if move.target not in targets:
            return IllegalMoveError(rule, "captureTarget",
                                    f"{where(move.target)} is not a capturable stack from {where(frm)}")
        return IllegalMoveError(rule, "to", f"{where(move.to)} is not a legal landing beyond {where(move.target)}")
    if t in ("eliminate_rings_from_stack", "forced_elimination"):
        return IllegalMoveError(rule, "to", f"{where(move.to)} is not an eligible stack for elimination")
    if t in ("process_line", "choose_line_option"):
        lines = {m.key()[2] for m in same_type}
        if frozenset(move.line or ()) not in lines:
            return IllegalMoveError(rule, "formedLines", "the line is not a current line of the player")
        return IllegalMoveError(rule, "collapsedMarkers",
                                "collapsed markers must be the whole line or a contiguous minimum-length segment")
    if t == "choose_territory_option":
        return IllegalMoveError(rule, "disconnectedRegions", "the region is not a processable disconnected region")
    if t == "recovery_slide":
        origins = {m.frm for m in same_type}
        if move.frm not in origins:
            return IllegalMoveError(rule, "from", f"no recovery slide starts at {where(move.frm)}")
        return IllegalMoveError(rule, "to", f"the slide to {where(move.to)} with mode "
                                f"{move.recovery_mode or 'line'} is not available")
    return IllegalMoveError(rule, "type", f"{t} is not legal now")
