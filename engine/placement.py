"""Ring placement (RR-CANON-R080-R082): supply cap, no-dead-placement, generation and effect."""
from __future__ import annotations

from .movement import can_act
from .moves import place_move
from .state import GameState, set_stack


def placement_cap(s: GameState, player: int) -> int:
    """Most rings the player may place now (hand and own-colour supply cap)."""
    return min(s.rings_in_hand[player - 1], s.rings_per_player - s.ring_count[player])


def _free_runs(s: GameState) -> tuple[int, int, int]:
    """Bitboards of cells with >= 1, >= 2, >= 3 stack-free, uncollapsed cells next to them along some ray."""
    g = s.geometry
    free = g.valid_bb & ~s.all_stacks_bb() & ~s.collapsed_bb
    r1 = r2 = r3 = 0
    for sh in g.move_shifts:
        if sh > 0:
            a = free >> sh
            b = a & (free >> (2 * sh))
            c = b & (free >> (3 * sh))
        else:
            a = free << -sh
            b = a & (free << (-2 * sh))
            c = b & (free << (-3 * sh))
        r1 |= a
        r2 |= b
        r3 |= c
    return r1, r2, r3


def _place_table(s: GameState, player: int, count: int) -> tuple:
    """Shared place_ring moves of `player` with `count` rings, indexed by cell."""
    cache = s.geometry.move_cache
    key = ("place", player, count)
    table = cache.get(key)
    if table is None:
        table = cache[key] = tuple(place_move(player, c, count) for c in range(s.geometry.n_cells))
    return table


def placement_moves(s: GameState, player: int, out: list) -> None:
    """Every legal place_ring (counts 1..3 on empty cells, 1 on stacks) for `player`."""
    maxc = placement_cap(s, player)
    if maxc <= 0:
        return
    if maxc > 3:
        maxc = 3
    g = s.geometry
    sh = s.stack_height
    owner = s.stack_owner
    cap = s.cap_height
    r1, r2, r3 = _free_runs(s)
    bit = g.bit
    one = _place_table(s, player, 1)
    two = _place_table(s, player, 2) if maxc >= 2 else None
    three = _place_table(s, player, 3) if maxc >= 3 else None
    append = out.append
    for c in g.cells_of(g.valid_bb & ~s.collapsed_bb & ~s.all_markers_bb()):
        h = sh[c]
        if h:
            if can_act(s, c, h + 1, cap[c] + 1 if owner[c] == player else 1):
                append(one[c])
            continue
        b = bit[c]
        # The reference set lists counts 2 and 3 only on cells where a single ring is legal.
        if b & r3:
            append(one[c])
            if two is not None:
                append(two[c])
                if three is not None:
                    append(three[c])
            continue
        if not (b & r1) and not can_act(s, c, 1, 1):
            continue
        append(one[c])
        run = 2 if b & r2 else 1 if b & r1 else 0
        if two is not None and (run >= 2 or can_act(s, c, 2, 2)):
            append(two[c])
        if three is not None and can_act(s, c, 3, 3):
            append(three[c])


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
        elif can_act(s, c, 1, 1):
            return True
    return False


def apply_placement(s: GameState, player: int, cell: int, count: int) -> None:
    s.rings_in_hand[player - 1] -= count
    s.ring_count[player] += count
    set_stack(s, cell, (player,) * count + s.rings[cell])
