"""Lookup tables the agents need, built from a geometry's coordinates alone (contract names only).

Directions are ordered so that direction `d` and direction `d + half` point opposite ways; the first `half`
directions are therefore the line axes (square: E, SE, S, NE; hex: the three cube axes).
"""
from __future__ import annotations

from ..boards import board_for

SQUARE_STEPS = ((1, 0), (1, 1), (0, 1), (1, -1), (-1, 0), (-1, -1), (0, -1), (-1, 1))
HEX_STEPS = ((1, 0, -1), (1, -1, 0), (0, -1, 1), (-1, 0, 1), (-1, 1, 0), (0, 1, -1))

_CACHE: dict = {}


class BoardTables:
    """Rays from every cell in every movement direction, and the direction/distance between two cells."""

    def __init__(self, geometry):
        coords = geometry.coords
        self.board_type = geometry.board_type
        self.n_cells = len(coords)
        steps = HEX_STEPS if len(coords[0]) == 3 else SQUARE_STEPS
        self.n_dirs = len(steps)
        self.half = self.n_dirs // 2
        self.coords = coords
        self.dir_of_step = {s: d for d, s in enumerate(steps)}
        cell_of = {c: i for i, c in enumerate(coords)}
        rays = []
        for c in coords:
            per_dir = []
            for s in steps:
                ray = []
                cur = tuple(a + b for a, b in zip(c, s))
                while cur in cell_of:
                    ray.append(cell_of[cur])
                    cur = tuple(a + b for a, b in zip(cur, s))
                per_dir.append(tuple(ray))
            rays.append(tuple(per_dir))
        self.rays = tuple(rays)  # rays[cell][dir] -> cells in order of increasing distance
        # Territory adjacency: the 4 orthogonal neighbours on square boards, the 6 neighbours on hex.
        orthogonal = (0, 2, 4, 6) if self.n_dirs == 8 else range(self.n_dirs)
        self.territory_adjacent = tuple(
            tuple(per_dir[d][0] for d in orthogonal if per_dir[d]) for per_dir in self.rays
        )

    def direction(self, frm: int, to: int) -> tuple[int, int]:
        """(direction index, distance) of the straight move frm -> to; (-1, 0) if not on one ray."""
        a, b = self.coords[frm], self.coords[to]
        delta = tuple(q - p for p, q in zip(a, b))
        dist = max(abs(v) for v in delta)
        if dist == 0:
            return -1, 0
        unit = tuple(v // dist for v in delta)
        if any(u * dist != v for u, v in zip(unit, delta)):
            return -1, 0
        return self.dir_of_step.get(unit, -1), dist


def tables_for(geometry) -> BoardTables:
    """Cached tables per (board type, cell count)."""
    key = (geometry.board_type, len(geometry.coords))
    tables = _CACHE.get(key)
    if tables is None:
        tables = _CACHE[key] = BoardTables(geometry)
    return tables


def line_length(board_type: str, num_players: int) -> int:
    """Effective line length as the reference engine plays it (hex8 3-4p quirk: still 4)."""
    if board_type == "square8" and num_players >= 3:
        return 3
    return 4


def victory_threshold(state) -> int:
    """Eliminated-ring count that wins: the state's own value if it carries one, else R(n+1)/3."""
    for name in ("victory_threshold", "ring_victory_threshold"):
        value = getattr(state, name, None)
        if isinstance(value, int) and value > 0:
            return value
    rings = board_for(state.geometry.board_type).rings_per_player
    return round(rings * (state.num_players + 1) / 3)
