"""Lines of markers (RR-CANON-R120-R123): detection, decision moves and collapse."""
from __future__ import annotations

from .moves import Move, cell_move
from .state import GameState, collapse, set_stack


def _run_starts(bb: int, shift: int, length: int) -> int:
    """Bits b of bb such that b, b+shift, ..., b+(length-1)*shift are all in bb."""
    out = bb
    for k in range(1, length):
        s = k * shift
        out &= (bb >> s) if s > 0 else (bb << -s)
        if not out:
            return 0
    return out


def has_line(s: GameState, player: int) -> bool:
    bb = s.marker_bb[player]
    if not bb:
        return False
    L = s.line_scan_length
    for shift in s.geometry.line_shifts:
        if _run_starts(bb, shift, L):
            return True
    return False


def find_lines(s: GameState, player: int) -> list[tuple]:
    """All maximal lines (tuples of cells, backward end first) of >= L markers of `player`."""
    bb = s.marker_bb[player]
    if not bb:
        return []
    g = s.geometry
    L = s.line_scan_length
    mo = s.marker_owner
    lines = []
    for axis, shift in enumerate(g.line_shifts):
        starts = _run_starts(bb, shift, L)
        if not starts:
            continue
        # keep only the backward ends of the runs
        prev = (bb << shift) if shift > 0 else (bb >> -shift)
        starts &= ~prev
        for c in g.cells_of(starts):
            line = [c]
            for nxt in g.line_rays[c][axis][1]:
                if mo[nxt] != player:
                    break
                line.append(nxt)
            lines.append(tuple(line))
    return lines


def line_decision_moves(s: GameState, player: int, out: list, pending: bool) -> None:
    """process_line per line; unless a reward is pending also choose_line_option collapse-all and every
    L-subsegment of an overlength line (RULES.md 4.4)."""
    L = s.line_length
    for line in find_lines(s, player):
        out.append(Move("process_line", player, to=line[0], line=line))
        if pending:
            continue
        out.append(Move("choose_line_option", player, to=line[0], line=line, collapsed=line))
        if len(line) > L:
            for i in range(len(line) - L + 1):
                out.append(Move("choose_line_option", player, to=line[0], line=line,
                                collapsed=line[i:i + L]))


def line_reward_moves(s: GameState, player: int, out: list) -> None:
    for c in s.geometry.cells_of(s.stack_bb[player]):
        out.append(cell_move("eliminate_rings_from_stack", player, c, "line"))


def collapse_line_cells(s: GameState, player: int, cells) -> None:
    """Collapse the given line positions to `player` (a stack there returns its rings to hand)."""
    for c in cells:
        rings = s.rings[c]
        if rings:
            for r in rings:
                s.rings_in_hand[r - 1] += 1
                s.ring_count[r] -= 1
            set_stack(s, c, ())
        collapse(s, c, player)
    s.territory[player - 1] += len(cells)
