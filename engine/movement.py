"""Stack movement and overtaking captures (RR-CANON-R090-R103): generation, availability checks, effects."""
from __future__ import annotations

from .moves import capture_move, stack_move
from .state import GameState, collapse, credit_elimination, set_marker, set_stack


def moves_from(s: GameState, cell: int, player: int, out: list, with_moves: bool = True,
               capture_type: str = "overtaking_capture") -> None:
    """Append the move_stack (if with_moves) and capture segments of the stack at `cell` to `out`."""
    sh = s.stack_height
    cap = s.cap_height
    co = s.collapsed_owner
    h = sh[cell]
    ch = cap[cell]
    for ray in s.geometry.live_rays[cell]:
        i = 0
        for c in ray:
            i += 1
            if co[c]:
                break
            if sh[c]:
                if cap[c] <= ch:
                    j = i
                    for land in ray[i:]:
                        j += 1
                        if co[land] or sh[land]:
                            break
                        if j >= h:
                            out.append(capture_move(capture_type, player, cell, c, land))
                break
            if with_moves and i >= h:
                out.append(stack_move(player, cell, c))


def can_act(s: GameState, cell: int, h: int, ch: int, with_moves: bool = True) -> bool:
    """Would a stack of height h and cap ch at `cell` have a capture (or, with_moves, a move_stack)?"""
    sh = s.stack_height
    cap = s.cap_height
    co = s.collapsed_owner
    for ray in s.geometry.live_rays[cell]:
        i = 0
        for c in ray:
            i += 1
            if co[c]:
                break
            if sh[c]:
                if cap[c] <= ch:
                    j = i
                    for land in ray[i:]:
                        j += 1
                        if co[land] or sh[land]:
                            break
                        if j >= h:
                            return True
                break
            if with_moves and i >= h:
                return True
    return False


def has_capture(s: GameState, cell: int) -> bool:
    """Does the stack at `cell` have at least one capture segment?"""
    return can_act(s, cell, s.stack_height[cell], s.cap_height[cell], with_moves=False)


def player_can_act(s: GameState, player: int) -> bool:
    """Does any stack controlled by `player` have a move_stack or capture?"""
    bb = s.stack_bb[player]
    if not bb:
        return False
    sh = s.stack_height
    cap = s.cap_height
    for c in s.geometry.cells_of(bb):
        if can_act(s, c, sh[c], cap[c]):
            return True
    return False


# ---- geometry of a recorded segment ---------------------------------------------------------------
def ray_to(s: GameState, frm: int, to: int):
    """(ray, distance) with ray[distance-1] == to, or (None, 0) when `to` is not on a ray from `frm`."""
    for ray in s.geometry.live_rays[frm]:
        try:
            i = ray.index(to)
        except ValueError:
            continue
        return ray, i + 1
    return None, 0


def _cross_markers(s: GameState, player: int, cells) -> None:
    """Markers passed over: opponents' flip to the mover, the mover's own collapse (+1 territory each)."""
    mo = s.marker_owner
    for c in cells:
        m = mo[c]
        if m:
            if m == player:
                collapse(s, c, player)
                s.territory[player - 1] += 1
            else:
                set_marker(s, c, player)


def _land(s: GameState, player: int, to: int, rings: tuple) -> None:
    """Place the moving stack; landing on any marker removes it and eliminates the top ring."""
    if s.marker_owner[to]:
        set_marker(s, to, 0)
        top = rings[0]
        rings = rings[1:]
        s.ring_count[top] -= 1
        credit_elimination(s, player, 1)
    set_stack(s, to, rings)


def apply_stack_move(s: GameState, player: int, frm: int, to: int) -> None:
    ray, dist = ray_to(s, frm, to)
    rings = s.rings[frm]
    set_stack(s, frm, ())
    set_marker(s, frm, player)
    _cross_markers(s, player, ray[:dist - 1])
    _land(s, player, to, rings)


def apply_capture(s: GameState, player: int, frm: int, target: int, to: int) -> None:
    ray, dist = ray_to(s, frm, to)
    tdist = ray.index(target) + 1
    rings = s.rings[frm]
    set_stack(s, frm, ())
    set_marker(s, frm, player)
    _cross_markers(s, player, ray[:tdist - 1])
    _cross_markers(s, player, ray[tdist:dist - 1])
    trings = s.rings[target]
    set_stack(s, target, trings[1:])
    _land(s, player, to, rings + trings[:1])
