"""Board geometry: dense cell indices, coordinates, keys and every precomputed neighbour/ray table.

Cells are integers 0..n_cells-1 in row-major order (square: y then x; hex: y then x of the cube coords).
Next to the dense index every cell has a bit in a padded grid (one spare column per row), so bitboards
(Python ints) can be shifted by a fixed amount per direction without wrapping between rows.
"""
from __future__ import annotations

from functools import lru_cache

SQUARE_MOORE = ((1, 0), (1, 1), (0, 1), (-1, 1), (-1, 0), (-1, -1), (0, -1), (1, -1))
SQUARE_VON_NEUMANN = ((1, 0), (-1, 0), (0, 1), (0, -1))
SQUARE_LINE_AXES = ((1, 0), (1, 1), (0, 1), (1, -1))
HEX_DIRS = ((1, 0, -1), (1, -1, 0), (0, -1, 1), (-1, 0, 1), (-1, 1, 0), (0, 1, -1))
HEX_LINE_AXES = ((1, 0, -1), (1, -1, 0), (0, -1, 1))

from .boards import board_for


class Geometry:
    """All static facts about one board: cells, keys, neighbours, rays and bitboard layout."""

    def __init__(self, board_type: str, size: int):
        self.board_type = board_type
        self.size = size
        self.is_hex = board_for(board_type).is_hex
        if self.is_hex:
            r = (size - 1) // 2
            self.radius = r
            coords = [(x, y, -x - y) for y in range(-r, r + 1) for x in range(-r, r + 1)
                      if abs(-x - y) <= r]
            self.grid_hw = 2 * r + 1
            self.grid_rc = tuple((c[1] + r, c[0] + r) for c in coords)
            width = 2 * r + 2
            self.bit_pos = tuple((c[1] + r) * width + (c[0] + r) for c in coords)
        else:
            self.radius = None
            coords = [(x, y) for y in range(size) for x in range(size)]
            self.grid_hw = size
            self.grid_rc = tuple((c[1], c[0]) for c in coords)
            width = size + 1
            self.bit_pos = tuple(c[1] * width + c[0] for c in coords)
        self.width = width
        self.coords = tuple(coords)
        self.n_cells = len(coords)
        self.keys = tuple(",".join(str(v) for v in c) for c in coords)
        self._lookup = {}
        for i, c in enumerate(coords):
            self._lookup[self.keys[i]] = i
            self._lookup[c] = i
            if self.is_hex:
                self._lookup[f"{c[0]},{c[1]}"] = i
                self._lookup[(c[0], c[1])] = i
        self.bit = tuple(1 << p for p in self.bit_pos)
        self.pos_cell = {p: i for i, p in enumerate(self.bit_pos)}
        self.valid_bb = sum(self.bit)
        self._build_tables()
        # Fingerprint entries are "key:..." sorted as strings; "key:" is never a prefix of another "key:".
        self.fingerprint_order = tuple(sorted(range(self.n_cells), key=lambda i: self.keys[i] + ":"))
        # Reference-engine board iteration order for fresh boards is irrelevant to us; board order = index.

    # ---- construction helpers -------------------------------------------------------------------
    def _cell_at(self, coord):
        return self._lookup.get(tuple(coord))

    def _build_tables(self) -> None:
        if self.is_hex:
            move_dirs = HEX_DIRS
            axes = HEX_LINE_AXES
            terr_dirs = HEX_DIRS
        else:
            move_dirs = SQUARE_MOORE
            axes = SQUARE_LINE_AXES
            terr_dirs = SQUARE_VON_NEUMANN
        self.move_dirs = move_dirs
        self.line_axes = axes

        def step(c, d):
            return tuple(a + b for a, b in zip(c, d))

        rays = []
        for c in self.coords:
            per_dir = []
            for d in move_dirs:
                ray = []
                cur = step(c, d)
                while True:
                    i = self._cell_at(cur)
                    if i is None:
                        break
                    ray.append(i)
                    cur = step(cur, d)
                per_dir.append(tuple(ray))
            rays.append(tuple(per_dir))
        self.rays = tuple(rays)  # rays[cell][dir] -> cells along the direction (may be empty)
        self.live_rays = tuple(tuple(r for r in per if r) for per in rays)
        self.adjacent = tuple(tuple(r[0] for r in per if r) for per in rays)  # movement adjacency

        def ray_along(c, d):
            out = []
            cur = step(c, d)
            while True:
                i = self._cell_at(cur)
                if i is None:
                    return tuple(out)
                out.append(i)
                cur = step(cur, d)

        neg = lambda d: tuple(-v for v in d)  # noqa: E731
        # line_rays[cell][axis] = (backward cells, forward cells)
        self.line_rays = tuple(
            tuple((ray_along(c, neg(a)), ray_along(c, a)) for a in axes) for c in self.coords
        )
        self.territory_adjacent = tuple(
            tuple(i for i in (self._cell_at(step(c, d)) for d in terr_dirs) if i is not None)
            for c in self.coords
        )
        # Territory border-marker expansion: Moore on square, square-Moore offsets on (x, y) for hex8,
        # none (seed only) on hexagonal (reference behaviour, RULES.md 1.9).
        w = self.width
        if self.board_type == "hexagonal":
            self.border_shifts = ()
        else:
            self.border_shifts = (1, -1, w, -w, w + 1, -(w + 1), w - 1, -(w - 1))
        # bit shift of one step along each movement direction
        self.move_shifts = tuple(d[1] * w + d[0] for d in move_dirs)
        self.move_cache = {}  # immutable Move objects shared by every state on this board
        if self.is_hex:
            self.territory_shifts = (1, -1, w, -w, 1 - w, w - 1)
            self.line_shifts = (1, 1 - w, -w)
        else:
            self.territory_shifts = (1, -1, w, -w)
            self.line_shifts = (1, w + 1, w, 1 - w)

    # ---- public API -----------------------------------------------------------------------------
    def key(self, cell: int) -> str:
        return self.keys[cell]

    def index(self, key_or_coords) -> int:
        """Cell index of a key ("x,y" / "x,y,z"; 2-part keys accepted on hex) or a coordinate tuple."""
        k = key_or_coords
        if isinstance(k, list):
            k = tuple(k)
        i = self._lookup.get(k)
        if i is None and isinstance(k, str):
            i = self._lookup.get(k.replace(" ", ""))
        if i is None:
            raise KeyError(f"{key_or_coords!r} is not a cell of {self.board_type} size {self.size}")
        return i

    def has(self, key_or_coords) -> bool:
        k = tuple(key_or_coords) if isinstance(key_or_coords, list) else key_or_coords
        return k in self._lookup

    def cells_of(self, bb: int) -> list[int]:
        """Cells whose bit is set in bitboard bb, in bit order (= board order)."""
        pos_cell = self.pos_cell
        out = []
        while bb:
            low = bb & -bb
            out.append(pos_cell[low.bit_length() - 1])
            bb ^= low
        return out

    def bits_of(self, cells) -> int:
        bit = self.bit
        bb = 0
        for c in cells:
            bb |= bit[c]
        return bb

    def __repr__(self) -> str:
        return f"Geometry({self.board_type!r}, size={self.size})"

    def __reduce__(self):
        # pickled by name: the receiving process rebuilds (or reuses) its own cached geometry
        return (geometry_for, (self.board_type, self.size))


def geometry_for(board_type: str, size: int | None = None) -> Geometry:
    """The (cached) geometry of a board; size defaults to the board's current serialized size."""
    if size is None:
        size = board_for(board_type).size
    return _cached_geometry(board_type, int(size))


@lru_cache(maxsize=None)
def _cached_geometry(board_type: str, size: int) -> Geometry:
    return Geometry(board_type, size)


def flood(seed: int, allowed: int, shifts) -> int:
    """Connected component (bitboard) of `seed` inside `allowed`, stepping by the given bit shifts."""
    comp = seed & allowed
    while True:
        grown = comp
        for s in shifts:
            if s > 0:
                grown |= comp << s
            else:
                grown |= comp >> -s
        grown &= allowed
        if grown == comp:
            return comp
        comp = grown


def grow(bb: int, shifts) -> int:
    """bb plus every bit one shift away (not masked)."""
    out = bb
    for s in shifts:
        if s > 0:
            out |= bb << s
        else:
            out |= bb >> -s
    return out
