"""Ring placement (RR-CANON-R080-R082): supply cap, no-dead-placement, generation and effect."""
from __future__ import annotations

from .movement import can_act
from .moves import place_move
from .state import GameState, set_stack


def placement_cap(s: GameState, player: int) -> int:
    """Most rings the player may place now (hand and own-colour supply cap)."""
    return min(s.rings_in_hand[player - 1], s.rings_per_player - s.ring_count[player])


def _free_run(s: GameState, cell: int, need: int) -> int:
    """Longest run (capped at `need`) of stack-free, uncollapsed cells next to `cell` along any ray."""
    sh = s.stack_height
    co = s.collapsed_owner
    best = 0
    for ray in s.geometry.live_rays[cell]:
        run = 0
        for c in ray:
            if co[c] or sh[c]:
                break
            run += 1
            if run >= need:
                return need
        if run > best:
            best = run
    return best


def placement_moves(s: GameState, player: int, out: list) -> None:
    """Every legal place_ring (counts 1..3 on empty cells, 1 on stacks) for `player`."""
    maxc = placement_cap(s, player)
    if maxc <= 0:
        return
    if maxc > 3:
        maxc = 3
    sh = s.stack_height
    co = s.collapsed_owner
    mo = s.marker_owner
    owner = s.stack_owner
    cap = s.cap_height
    for c in range(s.geometry.n_cells):
        if co[c] or mo[c]:
            continue
        h = sh[c]
        if h:
            nc = cap[c] + 1 if owner[c] == player else 1
            if can_act(s, c, h + 1, nc):
                out.append(place_move(player, c, 1))
            continue
        # The reference set lists counts 2 and 3 only on cells where a single ring is legal.
        run = _free_run(s, c, maxc)
        if run < 1 and not can_act(s, c, 1, 1):
            continue
        out.append(place_move(player, c, 1))
        for k in range(2, maxc + 1):
            if k <= run or can_act(s, c, k, k):
                out.append(place_move(player, c, k))


def has_placement(s: GameState, player: int) -> bool:
    """Is at least one place_ring legal for `player`?"""
    if placement_cap(s, player) <= 0:
        return False
    sh = s.stack_height
    co = s.collapsed_owner
    mo = s.marker_owner
    owner = s.stack_owner
    cap = s.cap_height
    for c in range(s.geometry.n_cells):
        if co[c] or mo[c]:
            continue
        h = sh[c]
        if h:
            if can_act(s, c, h + 1, cap[c] + 1 if owner[c] == player else 1):
                return True
        elif _free_run(s, c, 1) or can_act(s, c, 1, 1):
            return True
    return False


def apply_placement(s: GameState, player: int, cell: int, count: int) -> None:
    s.rings_in_hand[player - 1] -= count
    s.ring_count[player] += count
    set_stack(s, cell, (player,) * count + s.rings[cell])
