"""Network inputs for a batch of requests, written into caller-owned [B, C, H, W] / [B, G] buffers.

The encoder's own code does the work (one definition of the planes): the B requests' frames (two
history positions, blank-board padded when the game is younger, then the position) are recorded as one
3B-ply `RawFrames` (each distinct position recorded once: siblings share their parents), encoded in one
vectorised call, and every third ply (each request's own position,
whose history frames are the two plies before it) is kept. A blank board's frame is all zeros, exactly
the zero frames `encode_state` uses for missing history. Same output as `encoder.encode_state(state,
history)` per request (a test checks it), about 5x faster per position at batch 64 (measured in
bench/search.py).
"""
from __future__ import annotations

from dataclasses import fields
from functools import lru_cache

import numpy as np

from engine import new_game
from ringrift_lake.encoding import FrameRecorder, scales_of
from ringrift_lake.encoding.planes import RawFrames

FRAMES = 3          # history (2) + the position


@lru_cache(maxsize=None)
def _blank(board_type: str, num_players: int):
    return new_game(board_type, num_players)


class BatchEncoder:
    def __init__(self, encoder):
        self.encoder = encoder
        if encoder.history != FRAMES - 1:
            raise ValueError(f"BatchEncoder expects {FRAMES - 1} history frames, the encoder has {encoder.history}")
        self._scratch = np.empty((0,) + tuple(encoder.planes_chw), np.float32)

    def encode_into(self, requests, planes_out: np.ndarray, globals_out: np.ndarray) -> None:
        """Fill planes_out[:B] (float32 [>=B, C, H, W], C-contiguous) and globals_out[:B] (float32 [>=B, G])."""
        count = len(requests)
        if not count:
            return
        groups: dict[tuple, list[int]] = {}
        for i, request in enumerate(requests):
            state = request.state
            groups.setdefault((state.num_players, tuple(scales_of(state).tolist())), []).append(i)
        for (num_players, scales), rows in groups.items():
            self._encode_group([requests[i] for i in rows], num_players, np.asarray(scales, np.float32),
                               planes_out, globals_out, rows)

    def _encode_group(self, requests, num_players, scales, planes_out, globals_out, rows) -> None:
        encoder = self.encoder
        recorder = FrameRecorder(encoder.grid.n_cells)
        blank = _blank(encoder.board_type, num_players)
        slot_of: dict[int, int] = {}          # id(state) -> its row in the recorder (siblings share parents)
        order = []                            # recorder row of each of the 3B plies
        for request in requests:
            history = tuple(request.history)[-(FRAMES - 1):]
            for state in (blank,) * (FRAMES - 1 - len(history)) + history + (request.state,):
                slot = slot_of.get(id(state))
                if slot is None:
                    slot = slot_of[id(state)] = recorder.count
                    recorder.record(state)
                order.append(slot)
        distinct = recorder.frames()
        index = np.asarray(order, dtype=np.intp)
        raw = RawFrames(*(getattr(distinct, f.name)[index] for f in fields(RawFrames)))
        plies = FRAMES * len(requests)
        if self._scratch.shape[0] < plies:
            self._scratch = np.empty((plies,) + tuple(encoder.planes_chw), np.float32)
        scratch_planes = self._scratch[:plies]
        scratch_globals = np.empty((plies, encoder.global_size), np.float32)
        encoder.encode_frames_into(raw, num_players, scales, scratch_planes, scratch_globals)
        own = slice(FRAMES - 1, plies, FRAMES)
        if rows == list(range(rows[0], rows[0] + len(rows))):
            planes_out[rows[0]:rows[0] + len(rows)] = scratch_planes[own]
            globals_out[rows[0]:rows[0] + len(rows)] = scratch_globals[own]
        else:
            planes_out[rows] = scratch_planes[own]
            globals_out[rows] = scratch_globals[own]
