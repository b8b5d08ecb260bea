"""The 8 symmetries of a square board (D4: 4 rotations, each optionally mirrored) on planes and policy indices.

    sym = square_symmetries("square8")
    planes_t = sym.transform_planes(planes_chw, k)        # k = 0..7, 0 = identity
    index_t = sym.index_maps[k][index]                   # -1: this move's index is not remapped

A symmetry maps cell (x, y) to another cell and every direction (dx, dy) by the same rotation/mirror, so
the blocks anchored at one cell with a direction or none (place_ring, straight moves, recovery slides,
eliminate, forced) and the special moves map exactly. Line and territory indices are anchored at a
line's first cell along a canonical axis or a region's first cell in grid order, which a symmetry does
not preserve; they map to -1 and a caller skips those samples for that symmetry. Globals do not change
(phase, counters and seats are the same in a mirrored position). Used for data augmentation: a
transformed sample is the position seen in a rotated or mirrored board, with the move seen the same way.
"""
from __future__ import annotations

from functools import lru_cache

import numpy as np

from ringrift_lake.encoding.action_space import RECOVERY_VARIANTS, action_space_for

COUNT = 8


def _map_vector(k: int, dx: int, dy: int) -> tuple[int, int]:
    """Symmetry k's linear part on a direction: mirror x when k >= 4, then rotate (k % 4) quarter turns."""
    if k >= 4:
        dx = -dx
    for _ in range(k % 4):
        dx, dy = -dy, dx
    return dx, dy


class SquareSymmetries:
    def __init__(self, board_type: str):
        space = action_space_for(board_type)
        grid = space.grid
        if grid.width != grid.height or grid.hw != grid.n_cells:
            raise ValueError(f"{board_type} is not a square board; D4 symmetries need one")
        self.board_type, self.width, self.hw = board_type, grid.width, grid.hw
        self.cell_maps = [self._cell_map(k) for k in range(COUNT)]          # grid position -> grid position
        self.index_maps = [self._index_map(space, k) for k in range(COUNT)]  # policy index -> index or -1

    def _cell_map(self, k: int) -> np.ndarray:
        n, out = self.width, np.empty(self.hw, np.int64)
        for y in range(n):
            for x in range(n):
                # a point relative to the board centre transforms like a direction
                dx, dy = _map_vector(k, 2 * x - (n - 1), 2 * y - (n - 1))
                out[y * n + x] = ((dy + n - 1) // 2) * n + (dx + n - 1) // 2
        return out

    def _index_map(self, space, k: int) -> np.ndarray:
        grid, base = space.grid, space.plane_base
        dirs = list(grid.move_dirs)
        plane_map = np.full(space.n_planes, -1, np.int64)
        same = [base["place_ring"] + c for c in range(base["straight"] - base["place_ring"])]
        same += [base["eliminate"], base["forced"]]
        plane_map[same] = same
        for d, (dx, dy) in enumerate(dirs):
            d_new = dirs.index(_map_vector(k, dx, dy))
            for step in range(grid.max_distance):
                plane_map[base["straight"] + d * grid.max_distance + step] = (
                    base["straight"] + d_new * grid.max_distance + step)
            for v in range(len(RECOVERY_VARIANTS)):
                plane_map[base["recovery_slide"] + d * len(RECOVERY_VARIANTS) + v] = (
                    base["recovery_slide"] + d_new * len(RECOVERY_VARIANTS) + v)
        out = np.full(space.size, -1, np.int64)
        cells = self.cell_maps[k]
        for plane in np.flatnonzero(plane_map >= 0):
            out[plane * self.hw + np.arange(self.hw)] = plane_map[plane] * self.hw + cells
        out[space.special_base:] = np.arange(space.special_base, space.size)
        return out

    def transform_planes(self, planes_chw: np.ndarray, k: int) -> np.ndarray:
        """The planes of the position seen through symmetry k (a new array)."""
        flat = planes_chw.reshape(planes_chw.shape[0], self.hw)
        out = np.empty_like(flat)
        out[:, self.cell_maps[k]] = flat
        return out.reshape(planes_chw.shape)


@lru_cache(maxsize=None)
def square_symmetries(board_type: str) -> SquareSymmetries:
    return SquareSymmetries(board_type)
