"""Replay games with the engine's fast path and encode every ply into shard arrays.

Games in `games` were validated at consolidation, so replay uses `apply_move(check=False)`; the
legal moves of each position are generated only to record their policy indices (the training mask).
Each game is still checked to end as recorded (status and winner):
a mismatch means the engine or the data changed, and the export stops rather than train on it.
Legacy imports may stop mid-turn (their result was confirmed at consolidation), so for them the
recorded winner is used as is. Values always come from the `games` row's winner.

Planes are stored as uint8 eighths (value * PLANE_UNITS; every plane value is a multiple of 1/8), a
quarter of float32's bytes to write, hash and read back; training turns them back into float32 on
the device. `stream_shard` writes a shard game by game: the planes go through a small reused buffer (about
1 MiB of plies at a time, so they are checksummed and written while still in the CPU cache)
straight into the file (a shard is never in memory whole); the small per-sample arrays are
collected and written after them. `encode_games` returns the same arrays in memory.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

import numpy as np

from engine import RESIGNATION, apply_move, geometry_for, legal_moves, move_from_json, new_game
from engine.legal import BOOKKEEPING_FOR_PHASE
from engine.moves import CAPTURE_TYPES, PASSIVE_TYPES, capture_move, place_move, simple_move, stack_move
from ringrift_lake.encoding import FrameRecorder, encoder_for
from ringrift_lake.encoding.encoder import scales_of
from ringrift_lake.encoding.planes import encode_globals_into
from ringrift_lake.encoding.targets import final_seat_values, parse_visits, relative_values
from ringrift_lake.export.npz_writer import NpzStreamWriter
from ringrift_lake.export.shard_format import SHARD_ARRAYS

# Moves after which the per-cell arrays are unchanged (the recorder copies the previous frame).
BOARD_UNCHANGED_TYPES = PASSIVE_TYPES | {"swap_sides"}
# A no-action bookkeeping move is legal only as its position's one move: its mask needs no generation.
ONLY_MOVE_TYPES = frozenset(BOOKKEEPING_FOR_PHASE.values())
_PER_SAMPLE = {"globals_nf": np.float32, "values_nseat": np.float32, "player_to_move_n": np.int8,
               "game_key_n": np.int64, "ply_n": np.int32, "policy_nnz": np.int64, "legal_nnz": np.int64}


# Plain moves the `moves` table's typed columns describe fully: (type, player, from_key, to_key,
# target_key, count). They skip JSON parsing; every other move travels as its exact JSON.
TYPED_MOVE_TYPES = frozenset({"place_ring", "move_stack", "swap_sides"}) | CAPTURE_TYPES | PASSIVE_TYPES
_KEYS_NEEDED = {"place_ring": (3,), "move_stack": (2, 3), "overtaking_capture": (2, 3, 4),
                "continue_capture_segment": (2, 3, 4)}


def typed_or_json(move_type, player, from_key, to_key, target_key, count, move_json):
    """The typed tuple of a plain move whose needed keys are present, else the move JSON."""
    if move_type in TYPED_MOVE_TYPES and player is not None:
        typed = (move_type, player, from_key, to_key, target_key, count)
        if all(typed[i] is not None for i in _KEYS_NEEDED.get(move_type, ())):
            return typed
    return move_json


def typed_move(typed: tuple, geometry):
    move_type, player, from_key, to_key, target_key, count = typed
    index = geometry.index
    if move_type == "place_ring":
        return place_move(player, index(to_key), count or 1)
    if move_type == "move_stack":
        return stack_move(player, index(from_key), index(to_key))
    if move_type in CAPTURE_TYPES:
        return capture_move(move_type, player, index(from_key), index(target_key), index(to_key))
    return simple_move(move_type, player)


@dataclass
class GameToEncode:
    """One game as plain data for a worker (no table handles)."""

    game_id: str
    ingest_seq: int
    winner: int | None
    rules_options: dict
    moves: list                           # per ply: the move JSON text, or a `TypedMove` tuple
    visits_json: list[str | None]
    validation_mode: str = "strict"       # legacy imports may stop mid-turn (DESIGN.md 3b)
    search: list[dict | None] | None = None   # per ply `schemas.SEARCH` (search selfplay), else None
    reason: str | None = None             # the recorded end; a resignation ends with the game still running


class ExportError(RuntimeError):
    """A game that cannot be encoded as recorded (names the game and ply)."""


def game_key(game_id: str) -> int:
    """Stable 63-bit key of a game id (for validation splits)."""
    return int.from_bytes(hashlib.blake2b(game_id.encode(), digest_size=8).digest(), "little") & (2**63 - 1)


def _replay(encoder, board_type: str, num_players: int, game: GameToEncode):
    """(recorder, policy index played at each ply, (legal indices of all plies, count per ply), scales,
    final state)."""
    geometry = geometry_for(board_type)
    state = new_game(board_type, num_players, game.rules_options)
    scales = scales_of(state)
    recorder = FrameRecorder(geometry.n_cells)
    played = np.empty(len(game.moves), dtype=np.int32)
    legal_flat, legal_counts = [], []
    encode_move, encode_legal = encoder.action_space.encode_move, encoder.action_space.encode_legal
    unchanged = False
    for ply, item in enumerate(game.moves, start=1):
        try:
            move = move_from_json(json.loads(item), geometry) if type(item) is str else typed_move(item, geometry)
            recorder.record(state, unchanged)
            played[ply - 1] = encode_move(state, move)
            legal = [played[ply - 1]] if move.type in ONLY_MOVE_TYPES else encode_legal(state, legal_moves(state))
            legal_flat.extend(legal)
            legal_counts.append(len(legal))
            apply_move(state, move, check=False)
        except Exception as exc:
            raise ExportError(f"game {game.game_id} ply {ply}: {type(exc).__name__}: {exc}") from exc
        unchanged = move.type in BOARD_UNCHANGED_TYPES
    strict = game.validation_mode != "legacy" and game.reason != RESIGNATION
    if game.reason == RESIGNATION and state.status != "active":
        raise ExportError(f"game {game.game_id}: recorded as resigned, but the replay ends {state.status}")
    if strict and (state.status != "completed" or state.winner != game.winner):
        raise ExportError(f"game {game.game_id}: replay ends {state.status} with winner {state.winner}, "
                          f"the games table says winner {game.winner}")
    return recorder, played, (legal_flat, legal_counts), scales, state


class _ShardBuilder:
    """Encodes games one after another; planes go to a caller's buffer, the rest is collected here."""

    def __init__(self, board_type: str, num_players: int, total: int):
        self.board_type, self.num_players = board_type, num_players
        self.encoder = encoder_for(board_type)
        shapes = {"globals_nf": (total, self.encoder.global_size), "values_nseat": (total, 4)}
        self.per_sample = {k: np.empty(shapes.get(k, (total,)), dtype=d) for k, d in _PER_SAMPLE.items()}
        self.indices_parts: list[np.ndarray] = []
        self.probs_parts: list[np.ndarray] = []
        self.legal_parts: list[np.ndarray] = []
        self.count = 0

    def add_game(self, game: GameToEncode):
        """Replay and encode everything of `game` but its planes; returns its `RawFrames` (the
        caller turns them into planes with `encoder.iter_planes` or `encoder.encode_frames_into`)."""
        recorder, played, (legal_flat, legal_counts), scales, final = _replay(self.encoder, self.board_type,
                                                                               self.num_players, game)
        t_count, start, n = recorder.count, self.count, self.num_players
        rows = slice(start, start + t_count)
        raw = recorder.frames()
        encode_globals_into(raw, n, scales, self.per_sample["globals_nf"][rows])
        seat_values = final_seat_values(n, game.winner, final.eliminated, final.territory)
        self.per_sample["values_nseat"][rows] = relative_values(seat_values, raw.mover_t, n)
        self.per_sample["player_to_move_n"][rows] = raw.mover_t
        self.per_sample["game_key_n"][rows] = game_key(game.game_id)
        self.per_sample["ply_n"][rows] = np.arange(1, t_count + 1)
        self.legal_parts.append(np.array(legal_flat, dtype=np.int32))
        self.per_sample["legal_nnz"][rows] = legal_counts
        nnz = self.per_sample["policy_nnz"][rows]
        if game.search is not None:
            self._search_targets(game, legal_flat, legal_counts, nnz)
        elif any(game.visits_json):
            size = self.encoder.action_space.size
            legal_offsets = np.concatenate([[0], np.cumsum(legal_counts)])
            for t in range(t_count):
                target = parse_visits(game.visits_json[t], size)
                if target is not None:
                    illegal = np.setdiff1d(target[0], legal_flat[legal_offsets[t]:legal_offsets[t + 1]])
                    if illegal.size:
                        raise ExportError(f"game {game.game_id} ply {t + 1}: search visits on indices that are not "
                                          f"legal moves there: {illegal[:5].tolist()}")
                indices, probs = target if target is not None else (played[t:t + 1], np.ones(1, np.float32))
                self.indices_parts.append(indices)
                self.probs_parts.append(probs)
                nnz[t] = len(indices)
        else:
            self.indices_parts.append(played)
            self.probs_parts.append(np.ones(t_count, dtype=np.float32))
            nnz[:] = 1
        self.count += t_count
        return raw

    def _search_targets(self, game: GameToEncode, legal_flat: list, legal_counts: list, nnz: np.ndarray) -> None:
        """A searched game's policy targets: the improved policy of each full search; the other plies
        (cheap searches, forced moves, sampled openings) have none (no policy loss, values only)."""
        size = self.encoder.action_space.size
        legal_offsets = np.concatenate([[0], np.cumsum(legal_counts)])
        for t, entry in enumerate(game.search):
            if entry is None or not entry["full"]:
                nnz[t] = 0
                continue
            indices = np.asarray(entry["policy_index"], np.int32)
            probs = np.asarray(entry["policy_prob"], np.float32)
            legal = legal_flat[legal_offsets[t]:legal_offsets[t + 1]]
            if indices.size == 0 or indices.min() < 0 or indices.max() >= size or np.setdiff1d(indices, legal).size:
                raise ExportError(f"game {game.game_id} ply {t + 1}: improved-policy indices {indices[:5].tolist()} "
                                  f"are not legal moves there")
            self.indices_parts.append(indices)
            self.probs_parts.append(probs / probs.sum())
            nnz[t] = len(indices)

    def small_arrays(self) -> dict[str, np.ndarray]:
        """Every shard array but the planes."""
        values = self.per_sample["values_nseat"]
        return {
            "globals_nf": self.per_sample["globals_nf"],
            "policy_offsets": np.concatenate([np.zeros(1, np.int64), np.cumsum(self.per_sample["policy_nnz"])]),
            "policy_indices": np.concatenate(self.indices_parts or [np.zeros(0, np.int32)]).astype(np.int32),
            "policy_probs": np.concatenate(self.probs_parts or [np.zeros(0, np.float32)]).astype(np.float32),
            "values_nseat": values, "value_n": np.ascontiguousarray(values[:, 0]),
            "player_to_move_n": self.per_sample["player_to_move_n"], "game_key_n": self.per_sample["game_key_n"],
            "ply_n": self.per_sample["ply_n"],
            "legal_offsets": np.concatenate([np.zeros(1, np.int64), np.cumsum(self.per_sample["legal_nnz"])]),
            "legal_indices": np.concatenate(self.legal_parts or [np.zeros(0, np.int32)]).astype(np.int32),
        }


def encode_games(board_type: str, num_players: int, games: list[GameToEncode]) -> dict[str, np.ndarray]:
    """The shard arrays (docs/contracts.md) of `games`, one sample per move, in order, in memory."""
    total = sum(len(g.moves) for g in games)
    builder = _ShardBuilder(board_type, num_players, total)
    planes = np.empty((total,) + builder.encoder.planes_chw, dtype=np.uint8)
    for game in games:
        start = builder.count
        raw = builder.add_game(game)
        builder.encoder.encode_planes_into(raw, num_players, planes[start:builder.count])
    return {"planes_nchw": planes, **builder.small_arrays()}


def stream_shard(stream, board_type: str, num_players: int, games: list[GameToEncode]) -> tuple[str, int]:
    """Write the shard of `games` to `stream` as an .npz; returns (sha256, samples)."""
    total = sum(len(g.moves) for g in games)
    builder = _ShardBuilder(board_type, num_players, total)
    encoder = builder.encoder
    buffer = np.empty((encoder.chunk_plies,) + encoder.planes_chw, dtype=np.uint8)
    with NpzStreamWriter(stream) as npz:
        npz.begin("planes_nchw", np.uint8, (total,) + encoder.planes_chw)
        for game in games:
            for block in encoder.iter_planes(builder.add_game(game), num_players, buffer):
                npz.write(block)
        npz.end()
        for name, array in builder.small_arrays().items():
            npz.add(name, array)
    return npz.sha256, total
