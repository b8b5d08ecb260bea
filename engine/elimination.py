"""Ring eliminations (RULES.md 1.10): top ring, whole cap, buried-ring extraction; all credited to the actor."""
from __future__ import annotations

from .state import GameState, credit_elimination, set_stack


def eliminate_top(s: GameState, player: int, cell: int) -> int:
    rings = s.rings[cell]
    s.ring_count[rings[0]] -= 1
    set_stack(s, cell, rings[1:])
    credit_elimination(s, player, 1)
    return 1


def eliminate_cap(s: GameState, player: int, cell: int) -> int:
    rings = s.rings[cell]
    n = max(1, s.cap_height[cell])
    s.ring_count[rings[0]] -= n
    set_stack(s, cell, rings[n:])
    credit_elimination(s, player, n)
    return n


def extract_buried(s: GameState, player: int, cell: int, board_total: bool = True) -> int:
    """Remove `player`'s bottom-most ring from the stack at `cell`. The reference engine leaves the board
    total (and so S) untouched for the extraction paid by a recovery slide (board_total=False)."""
    rings = s.rings[cell]
    for i in range(len(rings) - 1, -1, -1):
        if rings[i] == player:
            s.ring_count[player] -= 1
            set_stack(s, cell, rings[:i] + rings[i + 1:])
            if board_total:
                credit_elimination(s, player, 1)
            else:
                s.eliminated[player - 1] += 1
            return 1
    return 0
