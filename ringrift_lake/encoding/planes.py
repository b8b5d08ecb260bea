"""Feature planes and global features, built for a whole game at once with numpy.

A game is recorded as `RawFrames`: the per-cell arrays of every pre-move state (absolute seats)
plus a few per-ply scalars. `encode_frames` turns them into the samples' planes and globals from
the point of view of each sample's player to move ("me" is relative seat 0, then the seats in turn
order), with the previous `HISTORY` positions of the same game as extra frames (zeros before the
first move). `encode_state` runs the same code on one state and its history, so inference sees
exactly what training saw.

Channels (C = 13 + 8 * HISTORY + 2 = 31), relative seat k = 0..3:
  3k + 0         stack controlled by seat k: min(height, 8) / 8          (current position)
  3k + 1         marker of seat k
  3k + 2         collapsed space (territory) of seat k
  12             cap height of every stack: min(cap height, 8) / 8 (its owner is the controller above)
  13 + 8(f-1) + 2k + 0 / + 1   frame f = 1, 2 (the previous positions, seen by the current mover):
                 stacks controlled by seat k (height as above) / markers of seat k. Territory and caps
                 are left out of history frames: collapsed spaces never revert, caps follow heights.
  C - 2          valid cell (all ones on square boards, the hexagon on hex boards)
  C - 1          focus cell: the stack that must move after a placement, or the chain-capture stack
Globals (G = 28): phase one-hot [0:7]; seat present [7:11]; rings in hand / rings per player
[11:15]; eliminated rings / ring-elimination threshold (capped at 1) [15:19]; territory /
territory minimum (capped at 1) [19:23]; player-count one-hot 2, 3, 4 [23:26]; ply / (ply + 200)
[26]; line-reward elimination pending [27].
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ringrift_lake.encoding.board_grid import BoardGrid

HISTORY = 2                      # previous positions stacked behind the current one
FRAMES = HISTORY + 1
SEAT_SLOTS = 4
FEATURES_PER_SEAT = 3                                       # height, marker, collapsed
HISTORY_FEATURES = 2                                        # height, marker
FRAME_CHANNELS = SEAT_SLOTS * FEATURES_PER_SEAT + 1         # the current frame, with the cap plane
HISTORY_CHANNELS = SEAT_SLOTS * HISTORY_FEATURES            # each previous frame
ROWS_PER_PLY = (SEAT_SLOTS + 1) * FEATURES_PER_SEAT + 1     # seat rows (slot 4 all zero) + the cap row
HEIGHT_SCALE = 8
PLANE_UNITS = HEIGHT_SCALE       # every plane value is a multiple of 1/8: shards store planes as uint8 eighths
PHASES = ("ring_placement", "movement", "capture", "chain_capture", "line_processing",
          "territory_processing", "forced_elimination")
PHASE_INDEX = {name: k for k, name in enumerate(PHASES)}
GLOBAL_SIZE = len(PHASES) + 4 * SEAT_SLOTS + 3 + 2
CELL_FIELDS = ("stack_owner", "stack_height", "cap_height", "marker_owner", "collapsed_owner")


@dataclass
class RawFrames:
    """The pre-move states of T plies of one game (absolute seats, 1-based; 0 = nobody)."""

    cells_tfc: np.ndarray        # uint8 [T, 5, n_cells] in CELL_FIELDS order
    mover_t: np.ndarray          # int64 [T] player to move
    phase_t: np.ndarray          # int64 [T] index into PHASES
    counters_tks: np.ndarray     # float32 [T, 3, 4] rings in hand, eliminated, territory per seat
    ply_t: np.ndarray            # int64 [T] 0-based ply of the state (moves played before it)
    focus_t: np.ndarray          # int64 [T] must-move / chain-capture cell, -1 for none
    pending_line_t: np.ndarray   # float32 [T] 1 while a line-reward elimination is pending


def seat_permutation(mover_t: np.ndarray, num_players: int) -> np.ndarray:
    """int64 [T, 4]: absolute 0-based seat of each relative seat; 4 (an all-zero slot) past num_players."""
    rel = np.arange(SEAT_SLOTS)
    perm = (mover_t[:, None] - 1 + rel[None, :]) % num_players
    return np.where(rel[None, :] < num_players, perm, SEAT_SLOTS)


def _source_rows(grid: BoardGrid, cells_tfc: np.ndarray, focus_t: np.ndarray) -> np.ndarray:
    """float32 [P * 16 + 2 + F, H*W]: the rows every output channel is copied from, for P plies of
    cells and F plies of focus cells.

    Rows p*16 + 3*s + j: feature j of absolute seat s (0-based; s = 4 is all zero) at ply p,
    p*16 + 15: cap heights at ply p; then one zero row, the valid-cell row, one focus row per ply."""
    p_count = cells_tfc.shape[0]
    cells = cells_tfc
    if not (grid.hw == grid.n_cells and np.array_equal(grid.grid_pos_c, np.arange(grid.n_cells))):
        cells = np.zeros(cells.shape[:2] + (grid.hw,), dtype=cells.dtype)
        cells[..., grid.grid_pos_c] = cells_tfc
    owner, height, cap, marker, collapsed = (cells[:, i] for i in range(len(CELL_FIELDS)))
    rows = np.zeros((p_count * ROWS_PER_PLY + 2 + len(focus_t), grid.hw), dtype=np.float32)
    per_ply = rows[:p_count * ROWS_PER_PLY].reshape(p_count, ROWS_PER_PLY, grid.hw)
    seat_rows = per_ply[:, :-1].reshape(p_count, SEAT_SLOTS + 1, FEATURES_PER_SEAT, grid.hw)
    height_scaled = np.minimum(height, HEIGHT_SCALE).astype(np.float32) / HEIGHT_SCALE
    for s in range(SEAT_SLOTS):
        np.multiply(owner == s + 1, height_scaled, out=seat_rows[:, s, 0])
        np.equal(marker, s + 1, out=seat_rows[:, s, 1], casting="unsafe")
        np.equal(collapsed, s + 1, out=seat_rows[:, s, 2], casting="unsafe")
    np.divide(np.minimum(cap, HEIGHT_SCALE), HEIGHT_SCALE, out=per_ply[:, -1], casting="unsafe")
    rows[p_count * ROWS_PER_PLY + 1] = grid.valid_hw.reshape(-1)
    has_focus = np.flatnonzero(focus_t >= 0)
    rows[p_count * ROWS_PER_PLY + 2 + has_focus, grid.grid_pos_c[focus_t[has_focus]]] = 1.0
    return rows


def encode_planes_into(grid: BoardGrid, raw: RawFrames, num_players: int, out_planes: np.ndarray,
                       start: int = 0) -> None:
    """Fill `out_planes` (float32 [L, C, H, W], C-contiguous, e.g. a slice of a shard buffer) with the
    planes of plies start .. start+L-1 of `raw`: one gather of whole rows from `_source_rows` (built
    for these plies and the HISTORY before them, so a chunk stays small). A uint8 `out_planes` gets
    the same planes in eighths (value * PLANE_UNITS, exact), the shards' storage."""
    length = out_planes.shape[0]
    lo, hi = max(0, start - HISTORY), start + length
    rows = _source_rows(grid, raw.cells_tfc[lo:hi], raw.focus_t[start:hi])
    if out_planes.dtype == np.uint8:
        rows = (rows * PLANE_UNITS).astype(np.uint8)
    elif out_planes.dtype != np.float32:
        raise TypeError(f"out_planes must be float32 or uint8, not {out_planes.dtype}")
    zero_row = (hi - lo) * ROWS_PER_PLY
    perm_tk = seat_permutation(raw.mover_t[start:hi], num_players)              # [L, 4], 4 = zero seat
    plies = np.arange(start, hi)
    source_tf = plies[:, None] - np.arange(FRAMES)[None, :]                     # [L, F] ply of each frame
    seat_index = ((source_tf - lo)[:, :, None, None] * ROWS_PER_PLY + perm_tk[:, None, :, None] * FEATURES_PER_SEAT
                  + np.arange(FEATURES_PER_SEAT)[None, None, None, :])           # [L, F, 4 seats, 3 features]
    seat_index[source_tf < 0] = zero_row
    index_tc = np.empty((length, plane_channels()), dtype=np.intp)
    index_tc[:, :FRAME_CHANNELS - 1] = seat_index[:, 0].reshape(length, -1)
    index_tc[:, FRAME_CHANNELS - 1] = (plies - lo) * ROWS_PER_PLY + ROWS_PER_PLY - 1
    history = seat_index[:, 1:, :, :HISTORY_FEATURES].reshape(length, -1)
    index_tc[:, FRAME_CHANNELS:FRAME_CHANNELS + history.shape[1]] = history
    index_tc[:, -2] = zero_row + 1
    index_tc[:, -1] = zero_row + 2 + np.arange(length)
    np.take(rows, index_tc, axis=0, out=out_planes.reshape(length, -1, grid.hw), mode="clip")


def encode_globals_into(raw: RawFrames, num_players: int, scales_k: np.ndarray, out_globals: np.ndarray) -> None:
    """Fill `out_globals` (float32 [T, G]); `scales_k` = (rings per player, elimination threshold, territory minimum)."""
    t_count = raw.mover_t.shape[0]
    out_globals[:] = 0.0
    out_globals[np.arange(t_count), raw.phase_t] = 1.0
    perm_tk = seat_permutation(raw.mover_t, num_players)
    present = perm_tk < SEAT_SLOTS
    base = len(PHASES)
    out_globals[:, base:base + SEAT_SLOTS] = present
    padded = np.concatenate([raw.counters_tks, np.zeros((t_count, 3, 1), np.float32)], axis=2)
    for i in range(3):
        rel = np.take_along_axis(padded[:, i], perm_tk, axis=1) / scales_k[i]
        start = base + SEAT_SLOTS * (i + 1)
        out_globals[:, start:start + SEAT_SLOTS] = np.minimum(rel, 1.0)
    out_globals[:, base + 4 * SEAT_SLOTS + num_players - 2] = 1.0
    out_globals[:, -2] = raw.ply_t / (raw.ply_t + 200.0)
    out_globals[:, -1] = raw.pending_line_t


def plane_channels() -> int:
    return FRAME_CHANNELS + HISTORY * HISTORY_CHANNELS + 2
