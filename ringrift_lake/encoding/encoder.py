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

CHUNK_BYTES = 1 << 20
ENCODER_VERSION = "rrenc-3"   # 3: 31 planes (history frames hold stacks and markers only)


def scales_of(state) -> np.ndarray:
    """float32 [3]: rings per player, ring-elimination threshold, territory minimum of the game."""
    return np.array([state.rings_per_player, state.victory_threshold, state.territory_threshold], np.float32)


class FrameRecorder:
    """Collects the per-cell arrays and counters of successive pre-move states of one game.

    Cells are kept as one `bytes` per ply (values above 255 are clipped: the planes cap heights at 8
    anyway); a ply after a board-unchanged move reuses the previous ply's bytes."""

    def __init__(self, n_cells: int):
        self.n_cells = n_cells
        self._cells: list[bytes] = []
        self._scalars: list[tuple] = []
        self._counters: list[list] = []

    @property
    def count(self) -> int:
        return len(self._cells)

    def record(self, state, board_unchanged: bool = False) -> None:
        """Append `state`; `board_unchanged` (the last move was a skip/no-op) reuses the previous cells."""
        if board_unchanged and self._cells:
            self._cells.append(self._cells[-1])
        else:
            values = (state.stack_owner + state.stack_height + state.cap_height + state.marker_owner
                      + state.collapsed_owner)
            try:
                self._cells.append(bytes(values))
            except ValueError:
                self._cells.append(bytes(min(v, 255) for v in values))
        focus = state.chain_pos if state.chain_pos is not None else state.must_move
        self._scalars.append((state.current_player, PHASE_INDEX[state.phase], state.move_count,
                              -1 if focus is None else focus, 1 if state.pending_line else 0))
        self._counters.append((state.num_players, state.rings_in_hand + state.eliminated + state.territory))

    def frames(self) -> RawFrames:
        t_count = self.count
        cells = np.frombuffer(b"".join(self._cells), dtype=np.uint8).reshape(t_count, len(CELL_FIELDS), self.n_cells)
        scalars = np.array(self._scalars, dtype=np.int64).reshape(t_count, 5)
        counters = np.zeros((t_count, 3, SEAT_SLOTS), dtype=np.float32)
        if t_count:
            n = self._counters[0][0]
            counters[:, :, :n] = np.array([c for _, c in self._counters], dtype=np.float32).reshape(t_count, 3, n)
        return RawFrames(cells, scalars[:, 0], scalars[:, 1], counters, scalars[:, 2], scalars[:, 3],
                         scalars[:, 4].astype(np.float32))


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

    @property
    def chunk_plies(self) -> int:
        """Plies whose planes fill about CHUNK_BYTES (planes are built and written in such chunks,
        so they stay in the CPU cache between encoding, checksumming and writing)."""
        c, h, w = self.planes_chw
        return max(1, CHUNK_BYTES // (c * h * w * 4))

    def iter_planes(self, raw: RawFrames, num_players: int, buffer: np.ndarray):
        """Yield the planes of every recorded ply of one game, in order, as successive leading
        slices of `buffer` (float32 or uint8 eighths [chunk, C, H, W]; each slice is valid until the next one)."""
        chunk = buffer.shape[0]
        for start in range(0, raw.mover_t.shape[0], chunk):
            block = buffer[:min(chunk, raw.mover_t.shape[0] - start)]
            encode_planes_into(self.grid, raw, num_players, block, start)
            yield block

    def encode_planes_into(self, raw: RawFrames, num_players: int, out_planes: np.ndarray) -> None:
        """Fill float32 (or uint8 eighths) [T, C, H, W] (a C-contiguous leading slice of a buffer) for every ply."""
        if not out_planes.flags.c_contiguous:
            raise ValueError("out_planes must be C-contiguous (a leading-axis slice of a buffer)")
        for start in range(0, out_planes.shape[0], self.chunk_plies):
            encode_planes_into(self.grid, raw, num_players, out_planes[start:start + self.chunk_plies], start)

    def encode_frames_into(self, raw: RawFrames, num_players: int, scales: np.ndarray,
                           out_planes: np.ndarray, out_globals: np.ndarray) -> None:
        """Fill float32 [T, C, H, W] and [T, G] output slices for every recorded ply of one game."""
        self.encode_planes_into(raw, num_players, out_planes)
        encode_globals_into(raw, num_players, scales, out_globals)

    def encode_state(self, state, history=(), rules_options: dict | None = None) -> tuple[np.ndarray, np.ndarray]:
        """(planes float32 [C, H, W], globals float32 [G]) of `state`.

        `history` = the game's earlier pre-move states in play order (oldest first; only the last
        `HISTORY` are used; fewer means zero frames, as at the start of a game in training data).
        `rules_options` is accepted for callers that pass it; the state already carries its options.
        """
        previous = list(history)[-HISTORY:] if HISTORY else []
        recorder = FrameRecorder(self.grid.n_cells)
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
