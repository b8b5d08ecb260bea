"""Territory regions (RR-CANON-R140-R145) as the reference engine detects and processes them (RULES.md 1.9)."""
from __future__ import annotations

from .geometry import flood, grow
from .moves import Move, cell_move
from .state import GameState, collapse, credit_elimination, set_stack


def detect_regions(s: GameState) -> list[tuple[int, int]]:
    """Disconnected regions as (bitboard, label) in detection order, duplicates kept (cached per state)."""
    if s._regions is not None:
        return s._regions
    regions = []
    n = s.num_players
    rc = s.ring_count
    active = sum(1 for p in range(1, n + 1) if rc[p] > 0)
    if active:
        g = s.geometry
        shifts = g.territory_shifts
        open_bb = g.valid_bb & ~s.collapsed_bb
        stack_bb = s.stack_bb
        players = range(1, n + 1)
        for b in players:
            mb = s.marker_bb[b]
            if not mb:
                continue
            allowed = open_bb & ~mb
            rest = allowed
            while rest:
                comp = flood(rest & -rest, allowed, shifts)
                rest &= ~comp
                represented = 0
                for p in players:
                    if stack_bb[p] & comp:
                        represented += 1
                if represented < active:
                    regions.append((comp, b))
        rest = open_bb
        while rest:
            comp = flood(rest & -rest, open_bb, shifts)
            rest &= ~comp
            represented = [p for p in players if stack_bb[p] & comp]
            if len(represented) == 1 and 1 < active:
                regions.append((comp, represented[0]))
    s._regions = regions
    return regions


def buried_ring_stacks(s: GameState, player: int) -> list[int]:
    """Stacks holding a ring of `player` below the top, in the order the stacks appeared (`stack_since`):
    the canonical engines take the first of them for a recovery extraction the move does not name."""
    rings = s.rings
    return s.stacks_in_order([c for c in s.geometry.cells_of(s.all_stacks_bb()) if player in rings[c][1:]])


def elimination_targets_bb(s: GameState, player: int, recovery: bool) -> int:
    """Stacks eligible for the territory self-elimination of `player` (bitboard)."""
    if not recovery:
        return s.stack_bb[player]
    return s.geometry.bits_of(buried_ring_stacks(s, player))


def processable(s: GameState, player: int, region_bb: int) -> bool:
    return bool(elimination_targets_bb(s, player, s.turn_recovery) & ~region_bb)


def processable_regions(s: GameState, player: int) -> list[int]:
    targets = elimination_targets_bb(s, player, s.turn_recovery)
    if not targets:
        return []
    return [comp for comp, _label in detect_regions(s) if targets & ~comp]


def has_processable_region(s: GameState, player: int) -> bool:
    targets = elimination_targets_bb(s, player, s.turn_recovery)
    if not targets:
        return False
    return any(targets & ~comp for comp, _label in detect_regions(s))


def territory_moves(s: GameState, player: int, out: list) -> None:
    if s.pending_territory:
        ctx = "recovery" if s.turn_recovery else "territory"
        for c in s.geometry.cells_of(elimination_targets_bb(s, player, s.turn_recovery)):
            out.append(cell_move("eliminate_rings_from_stack", player, c, ctx))
        return
    g = s.geometry
    regs = processable_regions(s, player)
    for comp in regs:
        cells = tuple(g.cells_of(comp))
        out.append(Move("choose_territory_option", player, to=cells[0], region=cells))
    if regs:
        out.append(Move("skip_territory_processing", player))


def process_region(s: GameState, player: int, region_bb: int) -> None:
    """Collapse the region and its border markers for `player`, eliminating every ring inside."""
    g = s.geometry
    markers = s.all_markers_bb() & ~region_bb
    seeds = grow(region_bb, g.territory_shifts) & markers
    border = seeds
    if g.border_shifts and seeds:
        border = flood(seeds, markers, g.border_shifts)
    eliminated = 0
    rc = s.ring_count
    for c in g.cells_of(region_bb & s.all_stacks_bb()):
        for r in s.rings[c]:
            rc[r] -= 1
        eliminated += s.stack_height[c]
        set_stack(s, c, ())
    if eliminated:
        credit_elimination(s, player, eliminated)
    region_cells = g.cells_of(region_bb & ~s.collapsed_bb)
    border_cells = g.cells_of(border)
    for c in region_cells:
        collapse(s, c, player)
    for c in border_cells:
        collapse(s, c, player)
    s.territory[player - 1] += len(region_cells) + len(border_cells)


def region_for_move(s: GameState, player: int, move) -> int | None:
    """The region a choose_territory_option acts on: its own cells if it carries them, else re-detected."""
    g = s.geometry
    if move.region:
        return g.bits_of(move.region)
    regs = processable_regions(s, player)
    if len(regs) == 1:
        return regs[0]
    if move.to is not None:
        bit = g.bit[move.to]
        for comp in (c for c, _ in detect_regions(s)):
            if comp & -comp == bit:
                return comp
    return None
