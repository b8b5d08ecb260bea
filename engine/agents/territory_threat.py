"""Which of our stacks sit in a region an opponent could process before we can (RULES.md 1.9).

A region (per marker colour B: a connected set of cells that are neither collapsed nor B-markers) is
disconnected when fewer players control stacks in it than control stacks on the board. If all our stacks are
in such a region, we have no stack outside it to pay the self-elimination, so we cannot process it ourselves,
while an opponent with a stack outside can: every ring in it would be eliminated and credited to them.
"""
from __future__ import annotations


def enclosed_rings(state, tables, me: int) -> tuple[frozenset, int]:
    """(cells of the regions holding all our stacks that an opponent could process, our rings in them)."""
    so, mo, co = state.stack_owner, state.marker_owner, state.collapsed_owner
    n = len(so)
    mine = [c for c in range(n) if so[c] == me]
    controllers = {o for o in so if o}
    if not mine or len(controllers) < 2:
        return frozenset(), 0
    adjacent = tables.territory_adjacent
    for colour in {m for m in mo if m}:
        seen = bytearray(n)
        start = mine[0]
        seen[start] = 1
        comp = [start]
        owners = set()
        i = 0
        while i < len(comp):
            c = comp[i]
            i += 1
            if so[c]:
                owners.add(so[c])
            for x in adjacent[c]:
                if not seen[x] and not co[x] and mo[x] != colour:
                    seen[x] = 1
                    comp.append(x)
        if len(owners) >= len(controllers) or not all(seen[c] for c in mine):
            continue
        if any(so[c] and so[c] != me and not seen[c] for c in range(n)):
            return frozenset(comp), sum(state.stack_height[c] for c in mine)
    return frozenset(), 0
