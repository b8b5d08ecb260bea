"""Recovery (RR-CANON-R110-R115): marker slides for a player with no stacks but buried rings."""
from __future__ import annotations

from .elimination import eliminate_top, extract_buried
from .lines import collapse_line_cells
from .moves import Move, simple_move
from .state import GameState, set_marker
from .territory import buried_ring_stacks


def recovery_eligible(s: GameState, player: int) -> bool:
    return not s.stack_bb[player] and bool(s.marker_bb[player]) and s.ring_count[player] > 0


def line_through(s: GameState, player: int, origin: int, dest: int) -> tuple | None:
    """The first line (>= L markers of `player`) through `dest` once the marker at `origin` slides there."""
    mo = s.marker_owner
    L = s.line_length
    for back, fwd in s.geometry.line_rays[dest]:
        before = []
        for c in back:
            if c == origin or mo[c] != player:
                break
            before.append(c)
        after = []
        for c in fwd:
            if c == origin or mo[c] != player:
                break
            after.append(c)
        if len(before) + 1 + len(after) >= L:
            return tuple(reversed(before)) + (dest,) + tuple(after)
    return None


def _is_empty(s: GameState, c: int) -> bool:
    return not (s.stack_height[c] or s.marker_owner[c] or s.collapsed_owner[c])


def recovery_moves(s: GameState, player: int, out: list) -> None:
    """recovery_slide options (one per from/to/mode/option) plus skip_recovery, for an eligible player."""
    g = s.geometry
    L = s.line_length
    markers = g.cells_of(s.marker_bb[player])
    found = []
    for m in markers:
        for t in g.adjacent[m]:
            if _is_empty(s, t):
                line = line_through(s, player, m, t)
                if line is not None:
                    found.append(Move("recovery_slide", player, to=t, frm=m, recovery_mode="line",
                                      recovery_option=1))
                    if len(line) > L:
                        found.append(Move("recovery_slide", player, to=t, frm=m, recovery_mode="line",
                                          recovery_option=2, collapsed=line[:L]))
    if not found:
        sh = s.stack_height
        co = s.collapsed_owner
        for m in markers:
            for t in g.adjacent[m]:
                if co[t]:
                    continue
                if sh[t]:
                    found.append(Move("recovery_slide", player, to=t, frm=m, recovery_mode="stack_strike"))
                elif not s.marker_owner[t]:
                    found.append(Move("recovery_slide", player, to=t, frm=m, recovery_mode="fallback"))
    if found:
        extraction = buried_ring_stacks(s, player)[:1]
        for mv in found:
            out.append(mv.replace(extraction=tuple(extraction)) if mv.recovery_option != 2 else mv)
    out.append(simple_move("skip_recovery", player))


def apply_recovery(s: GameState, player: int, move: Move) -> None:
    frm, to = move.frm, move.to
    mode = move.recovery_mode or "line"
    extract = True
    if mode == "stack_strike":
        set_marker(s, frm, 0)
        eliminate_top(s, player, to)
    else:
        set_marker(s, frm, 0)
        set_marker(s, to, player)
        if mode == "line":
            line = line_through(s, player, -1, to) or (to,)
            option = move.recovery_option or 1
            if option == 2:
                cells = move.collapsed or line[:s.line_length]
                extract = False
            else:
                cells = line
            collapse_line_cells(s, player, cells)
    if extract:
        stacks = [c for c in (move.extraction or ()) if player in s.rings[c]]
        if not stacks:
            stacks = buried_ring_stacks(s, player) or s.stacks_in_order(
                [c for c in s.geometry.cells_of(s.all_stacks_bb()) if player in s.rings[c]])
        if stacks:
            extract_buried(s, player, stacks[0], board_total=False)
    s.turn_recovery = True
