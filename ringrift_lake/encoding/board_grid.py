"""Index arrays that place a board's cells on the (H, W) tensor grid, row = y, column = x.

Everything here is derived from the engine's `Geometry` (`coords`, `grid_rc`, `grid_hw`,
`move_dirs`, `line_axes`, `territory_adjacent`); directions are kept as (dx, dy) steps (hex cube
steps without z), which on the grid are (d_col, d_row) on both board families.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from engine import geometry_for


@dataclass(frozen=True, eq=False)
class BoardGrid:
    """A board's cells on its (H, W) grid plus the direction tables the encoder needs."""

    board_type: str
    is_hex: bool
    n_cells: int
    height: int
    width: int
    x_c: np.ndarray            # int64 [n_cells] cell x
    y_c: np.ndarray            # int64 [n_cells] cell y
    row_c: np.ndarray          # int64 [n_cells] grid row (= y on square, y + r on hex)
    col_c: np.ndarray          # int64 [n_cells] grid column
    grid_pos_c: np.ndarray     # int64 [n_cells] row * W + col
    cell_at_grid: np.ndarray   # int64 [H * W] cell index or -1 (off the hex)
    valid_hw: np.ndarray       # float32 [H, W] 1 on cells
    move_dirs: tuple
    line_axes: tuple
    max_distance: int          # longest straight move: W - 1 on square, 2r on hex
    territory_nbrs_ck: np.ndarray  # int64 [n_cells, k] territory neighbours, -1 padded

    @property
    def hw(self) -> int:
        return self.height * self.width

    def cell_at(self, x: int, y: int) -> int:
        """Cell index at (x, y), or -1 off the board."""
        row, col = (y + self._radius, x + self._radius) if self.is_hex else (y, x)
        if 0 <= row < self.height and 0 <= col < self.width:
            return int(self.cell_at_grid[row * self.width + col])
        return -1

    @property
    def _radius(self) -> int:
        return (self.height - 1) // 2 if self.is_hex else 0

    def distance(self, dx: int, dy: int) -> int:
        if self.is_hex:
            return max(abs(dx), abs(dy), abs(dx + dy))
        return max(abs(dx), abs(dy))


def _territory_neighbours(geometry) -> np.ndarray:
    table = np.full((geometry.n_cells, max(map(len, geometry.territory_adjacent))), -1, dtype=np.int64)
    for cell, nbrs in enumerate(geometry.territory_adjacent):
        table[cell, :len(nbrs)] = nbrs
    return table


@lru_cache(maxsize=None)
def board_grid(board_type: str) -> BoardGrid:
    geometry = geometry_for(board_type)
    height, width = geometry.grid_hw if isinstance(geometry.grid_hw, tuple) else (geometry.grid_hw,) * 2
    is_hex = geometry.radius is not None
    coords = np.asarray([c[:2] for c in geometry.coords], dtype=np.int64)
    rc = np.asarray(geometry.grid_rc, dtype=np.int64)
    grid_pos = rc[:, 0] * width + rc[:, 1]
    cell_at_grid = np.full(height * width, -1, dtype=np.int64)
    cell_at_grid[grid_pos] = np.arange(geometry.n_cells)
    valid = np.zeros(height * width, dtype=np.float32)
    valid[grid_pos] = 1.0
    return BoardGrid(
        board_type=board_type, is_hex=is_hex, n_cells=geometry.n_cells, height=height, width=width,
        x_c=coords[:, 0], y_c=coords[:, 1], row_c=rc[:, 0], col_c=rc[:, 1], grid_pos_c=grid_pos,
        cell_at_grid=cell_at_grid, valid_hw=valid.reshape(height, width),
        move_dirs=tuple(d[:2] for d in geometry.move_dirs),
        line_axes=tuple(a[:2] for a in geometry.line_axes),
        max_distance=(height - 1) if is_hex else (width - 1),
        territory_nbrs_ck=_territory_neighbours(geometry),
    )
