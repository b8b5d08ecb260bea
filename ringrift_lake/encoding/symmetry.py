"""The symmetries of a board on planes and policy indices: D4 on square boards (8), on hex boards the
rotations and mirrors the rules keep (hexagonal: D6, 12; hex8: 4, see below).

    sym = board_symmetries("square8")
    planes_t = sym.transform_planes(planes_chw, k)        # k = 0..sym.count-1, 0 = identity
    index_t = sym.index_maps[k][index]                   # -1: this move's index is not remapped

A symmetry is a linear map of (dx, dy) (square: rotate/mirror; hex: the cube-coordinate rotations
(x, y) -> (x + y, -x) and the mirror (x, y) -> (y, x)). It maps a cell, taken relative to the board
centre, and every direction by the same map, so the blocks anchored at one cell with a direction or
none (place_ring, straight moves, recovery slides, eliminate, forced) and the special moves map
exactly. Line and territory indices are anchored at a line's first cell along a canonical axis or a
region's first cell in grid order, which a symmetry does not preserve; they map to -1 and a caller
skips those samples for that symmetry. Globals do not change (phase, counters and seats are the same
in a mirrored position). Grid positions off a hex board map to themselves.

hex8 grows a territory region's border by the square-Moore offsets of (x, y) (RULES.md 1.9), which
only the maps that keep that offset set keep: the identity, the half turn, and the two mirrors
(x, y) -> (y, x) and (x, y) -> (-y, -x). The 60-degree rotations would change some territory outcomes.
Used for data augmentation (training.augment): a transformed sample is the position seen on a rotated
or mirrored board, with the move seen the same way.
"""
from __future__ import annotations

from functools import lru_cache

import numpy as np

from ringrift_lake.encoding.action_space import RECOVERY_VARIANTS, action_space_for

_SQUARE_TURN = ((0, -1), (1, 0))       # (dx, dy) -> (-dy, dx)
_SQUARE_MIRROR = ((-1, 0), (0, 1))     # (dx, dy) -> (-dx, dy)
_HEX_TURN = ((1, 1), (-1, 0))          # (x, y) -> (x + y, -x), z = -x - y: a 60-degree rotation
_HEX_MIRROR = ((0, 1), (1, 0))         # (x, y) -> (y, x)


def _linear_maps(board_type: str, is_hex: bool) -> list[np.ndarray]:
    """The board's symmetries as integer 2x2 matrices on (dx, dy), the identity first."""
    turn, mirror, n_turns = (_HEX_TURN, _HEX_MIRROR, 6) if is_hex else (_SQUARE_TURN, _SQUARE_MIRROR, 4)
    turns = [np.linalg.matrix_power(np.asarray(turn, np.int64), k) for k in range(n_turns)]
    maps = turns + [t @ np.asarray(mirror, np.int64) for t in turns]
    if not is_hex:
        return maps
    if board_type == "hex8":            # only those keeping the square-Moore border offsets
        moore = {(dx, dy) for dx in (-1, 0, 1) for dy in (-1, 0, 1)}
        maps = [m for m in maps if {tuple(m @ np.array(d)) for d in moore} == moore]
    return maps


class BoardSymmetries:
    def __init__(self, board_type: str):
        space = action_space_for(board_type)
        grid = space.grid
        self.board_type, self.width, self.height, self.hw = board_type, grid.width, grid.height, grid.hw
        self.matrices = _linear_maps(board_type, grid.is_hex)
        self.count = len(self.matrices)
        # [K, HW]: grid position -> position; [K, policy size]: policy index -> index or -1
        self.cell_maps = np.stack([self._cell_map(grid, m) for m in self.matrices])
        self.index_maps = np.stack([self._index_map(space, k) for k in range(self.count)])

    def _cell_map(self, grid, m: np.ndarray) -> np.ndarray:
        """Grid position -> grid position. A cell relative to the grid centre transforms like a
        direction; doubled coordinates keep the centre of an even square board on integers."""
        w, h = self.width, self.height
        out = np.arange(self.hw, dtype=np.int64)
        pos = grid.grid_pos_c
        rows, cols = pos // w, pos % w
        d = m @ np.stack([2 * cols - (w - 1), 2 * rows - (h - 1)])
        new_cols, new_rows = (d[0] + w - 1) // 2, (d[1] + h - 1) // 2
        out[pos] = new_rows * w + new_cols
        if sorted(out[pos].tolist()) != sorted(pos.tolist()):
            raise ValueError(f"{self.board_type}: a symmetry moves a cell off the board")
        return out

    def _index_map(self, space, k: int) -> np.ndarray:
        grid, base, m = space.grid, space.plane_base, self.matrices[k]
        dirs = list(grid.move_dirs)
        plane_map = np.full(space.n_planes, -1, np.int64)
        same = [base["place_ring"] + c for c in range(base["straight"] - base["place_ring"])]
        same += [base["eliminate"], base["forced"]]
        plane_map[same] = same
        for d, direction in enumerate(dirs):
            d_new = dirs.index(tuple(int(v) for v in m @ np.asarray(direction)))
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

    def transform_planes_batch(self, planes_bchw: np.ndarray, k_b: np.ndarray) -> np.ndarray:
        """Each sample b's planes seen through its own symmetry k_b[b] (a new array)."""
        b, c = planes_bchw.shape[:2]
        flat = planes_bchw.reshape(b, c, self.hw)
        dest_b_hw = self.cell_maps[k_b]                              # [B, HW]: where each position goes
        out = np.empty_like(flat)
        out[np.arange(b)[:, None, None], np.arange(c)[None, :, None], dest_b_hw[:, None, :]] = flat
        return out.reshape(planes_bchw.shape)


@lru_cache(maxsize=None)
def board_symmetries(board_type: str) -> BoardSymmetries:
    return BoardSymmetries(board_type)
