"""apply_move: apply exactly one recorded step (never auto-applies another) and advance the phase machine."""
from __future__ import annotations

from .elimination import eliminate_cap, eliminate_top, extract_buried
from .lines import collapse_line_cells, find_lines
from .movement import apply_capture, apply_stack_move, has_capture
from .moves import PASSIVE_TYPES, Move
from .phases import (after_line_decision, after_territory_elimination, end_turn_after_forced_elimination,
                     enter_line_processing, post_line, post_territory)
from .placement import apply_placement
from .recovery import apply_recovery
from .state import GameState
from .territory import process_region, processable, region_for_move
from .validation import check_move


def apply_move(state: GameState, move: Move, check: bool = True) -> GameState:
    """Apply one move to `state` in place and return it. With check=True (default) a move outside the
    legal set raises IllegalMoveError; check=False is the fast path for trusted replay."""
    if check:
        check_move(state, move)
    s = state
    t = move[0]
    p = move[1]
    s._legal = None
    s._legal_keys = None
    s._regions = None
    s.move_count += 1
    if t not in PASSIVE_TYPES:
        s.turn_acted = True
    s.last_mover = p
    if p == 1:
        s.p1_moved = True
    elif p == 2 and t != "swap_sides":
        s.p2_moved = True
    handler = _HANDLERS.get(t)
    if handler is None:
        raise ValueError(f"move type {t!r} cannot be applied by the rules engine")
    handler(s, p, move)
    return s


def _place_ring(s, p, move):
    apply_placement(s, p, move[2], move[5] or 1)
    s.must_move = move[2]
    s.phase = "movement"


def _to_movement(s, p, move):
    s.must_move = None
    s.phase = "movement"


def _move_stack(s, p, move):
    to = move[2]
    apply_stack_move(s, p, move[3], to)
    if s.stack_owner[to] == p and has_capture(s, to):
        s.must_move = to
        s.phase = "capture"
    else:
        enter_line_processing(s)


def _capture(s, p, move):
    to = move[2]
    apply_capture(s, p, move[3], move[4], to)
    if s.stack_owner[to] == p and has_capture(s, to):
        s.must_move = None
        s.chain_pos = to
        s.phase = "chain_capture"
    else:
        enter_line_processing(s)


def _to_lines(s, p, move):
    enter_line_processing(s)


def _recovery_slide(s, p, move):
    apply_recovery(s, p, move)
    enter_line_processing(s)


def _line_decision(s, p, move):
    line = move.line
    if not line:
        lines = find_lines(s, p)
        line = lines[0] if lines else None
    if line:
        collapsed = move.collapsed or line
        whole = len(set(collapsed)) == len(line) and set(collapsed) == set(line)
        if move[0] == "process_line" and len(line) > s.line_length:
            pass  # reference engine: process_line on an overlength line is a no-op
        else:
            collapse_line_cells(s, p, collapsed)
            if whole and s.stack_bb[p]:
                s.pending_line = True
    after_line_decision(s)


def _eliminate(s, p, move):
    ctx = move.context
    to = move[2]
    if s.phase == "line_processing":
        if ctx == "line" or (ctx is None and s.pending_line):
            eliminate_top(s, p, to)
            s.pending_line = False
        elif ctx == "recovery":
            extract_buried(s, p, to)
        else:
            eliminate_cap(s, p, to)
        return
    if ctx == "recovery" or (ctx is None and s.turn_recovery):
        extract_buried(s, p, to)
    elif ctx == "line":
        eliminate_top(s, p, to)
    else:
        eliminate_cap(s, p, to)
    if s.phase == "territory_processing":
        after_territory_elimination(s)


def _territory_option(s, p, move):
    region = region_for_move(s, p, move)
    if region and processable(s, p, region):
        process_region(s, p, region)
        s._regions = None
        s.pending_territory = True


def _no_line(s, p, move):
    post_line(s)


def _end_territory(s, p, move):
    post_territory(s)


def _forced_elimination(s, p, move):
    eliminate_cap(s, p, move[2])
    end_turn_after_forced_elimination(s)


def _swap_sides(s, p, move):
    s.swapped = True


_HANDLERS = {
    "place_ring": _place_ring,
    "skip_placement": _to_movement,
    "no_placement_action": _to_movement,
    "move_stack": _move_stack,
    "overtaking_capture": _capture,
    "continue_capture_segment": _capture,
    "skip_capture": _to_lines,
    "no_movement_action": _to_lines,
    "skip_recovery": _to_lines,
    "recovery_slide": _recovery_slide,
    "process_line": _line_decision,
    "choose_line_option": _line_decision,
    "eliminate_rings_from_stack": _eliminate,
    "choose_territory_option": _territory_option,
    "no_line_action": _no_line,
    "skip_territory_processing": _end_territory,
    "no_territory_action": _end_territory,
    "forced_elimination": _forced_elimination,
    "swap_sides": _swap_sides,
}
