"""One encoder per board family: state -> (planes, globals), move <-> policy index.

`ENCODER_VERSION` names the planes, globals and action-space layout together; it goes into every
dataset manifest and checkpoint, and changes whenever any of them changes.
"""
from __future__ import annotations

from functools import lru_cache

import numpy as np

from ringrift_lake.encoding.action_space import ActionSpace, action_space_for
from ringrift_lake.encoding.board_grid import BoardGrid, board_grid
from ringrift_lake.encoding.planes import (
    CELL_FIELDS, GLOBAL_SIZE, HISTORY, PHASE_INDEX, SEAT_SLOTS, RawFrames, encode_globals_into,
    encode_planes_into, plane_channels,
)

ENCODER_VERSION = "rrenc-1"


def scales_of(state) -> np.ndarray:
    """float32 [3]: rings per player, ring-elimination threshold, territory minimum of the game."""
    return np.array([state.rings_per_player, state.victory_threshold, state.territory_threshold], np.float32)


class FrameRecorder:
    """Copies the per-cell arrays and counters of successive pre-move states into preallocated arrays."""

    def __init__(self, n_cells: int, capacity: int):
        self.cells_tfc = np.zeros((capacity, len(CELL_FIELDS), n_cells), dtype=np.int16)
        self.mover_t = np.zeros(capacity, dtype=np.int64)
        self.phase_t = np.zeros(capacity, dtype=np.int64)
        self.counters_tks = np.zeros((capacity, 3, SEAT_SLOTS), dtype=np.float32)
        self.ply_t = np.zeros(capacity, dtype=np.int64)
        self.focus_t = np.full(capacity, -1, dtype=np.int64)
        self.pending_line_t = np.zeros(capacity, dtype=np.float32)
        self.count = 0

    def record(self, state, board_unchanged: bool = False) -> None:
        """Append `state`; `board_unchanged` (the last move was a skip/no-op) copies the previous cells."""
        t = self.count
        cells = self.cells_tfc[t]
        if board_unchanged and t:
            cells[:] = self.cells_tfc[t - 1]
        else:
            cells[0] = state.stack_owner
            cells[1] = state.stack_height
            cells[2] = state.cap_height
            cells[3] = state.marker_owner
            cells[4] = state.collapsed_owner
        self.mover_t[t] = state.current_player
        self.phase_t[t] = PHASE_INDEX[state.phase]
        n = state.num_players
        counters = self.counters_tks[t]
        counters[0, :n] = state.rings_in_hand
        counters[1, :n] = state.eliminated
        counters[2, :n] = state.territory
        self.ply_t[t] = state.move_count
        focus = state.chain_pos if state.chain_pos is not None else state.must_move
        self.focus_t[t] = -1 if focus is None else focus
        self.pending_line_t[t] = 1.0 if state.pending_line else 0.0
        self.count = t + 1

    def frames(self, start: int = 0) -> RawFrames:
        end = self.count
        return RawFrames(self.cells_tfc[start:end], self.mover_t[start:end], self.phase_t[start:end],
                         self.counters_tks[start:end], self.ply_t[start:end], self.focus_t[start:end],
                         self.pending_line_t[start:end])


class Encoder:
    """Planes (C, H, W), globals (G) and the action space of one board type."""

    version = ENCODER_VERSION

    def __init__(self, board_type: str):
        self.board_type = board_type
        self.grid: BoardGrid = board_grid(board_type)
        self.action_space: ActionSpace = action_space_for(board_type)
        self.planes_chw = (plane_channels(), self.grid.height, self.grid.width)
        self.global_size = GLOBAL_SIZE
        self.history = HISTORY

    def encode_frames_into(self, raw: RawFrames, num_players: int, scales: np.ndarray,
                           out_planes: np.ndarray, out_globals: np.ndarray) -> None:
        """Fill float32 [T, C, H, W] and [T, G] output slices for every recorded ply of one game."""
        if not out_planes.flags.c_contiguous:
            raise ValueError("out_planes must be C-contiguous (a leading-axis slice of a buffer)")
        encode_planes_into(self.grid, raw, num_players, out_planes)
        encode_globals_into(raw, num_players, scales, out_globals)

    def encode_state(self, state, history=(), rules_options: dict | None = None) -> tuple[np.ndarray, np.ndarray]:
        """(planes float32 [C, H, W], globals float32 [G]) of `state`.

        `history` = the game's earlier pre-move states in play order (oldest first; only the last
        `HISTORY` are used; fewer means zero frames, as at the start of a game in training data).
        `rules_options` is accepted for callers that pass it; the state already carries its options.
        """
        previous = list(history)[-HISTORY:] if HISTORY else []
        recorder = FrameRecorder(self.grid.n_cells, len(previous) + 1)
        for past in previous:
            recorder.record(past)
        recorder.record(state)
        raw = recorder.frames()
        count = recorder.count
        planes = np.empty((count,) + self.planes_chw, dtype=np.float32)
        globals_ = np.empty((count, self.global_size), dtype=np.float32)
        self.encode_frames_into(raw, state.num_players, scales_of(state), planes, globals_)
        return planes[-1], globals_[-1]


@lru_cache(maxsize=None)
def encoder_for(board_type: str) -> Encoder:
    return Encoder(board_type)
