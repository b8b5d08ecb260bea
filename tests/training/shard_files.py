"""Shard files in the contract's format for the training tests (written to a tmp_path), and a `datasets`
row for them. A plain module (not conftest) so test files import it by a name no other folder uses."""
from __future__ import annotations

import numpy as np

PLANES_CHW = (6, 8, 8)
GLOBAL_SIZE = 5
SPATIAL_PLANES = 3                     # the action-space layout: 3 planes of 8x8, then 8 specials
POLICY_SIZE = SPATIAL_PLANES * 64 + 8


def write_learnable_shard(path, n: int, first_game: int, seed: int, games_per_shard: int = 20,
                          num_players: int = 2, soft: bool = False, legal: bool = False) -> str:
    """A shard whose targets are a function of the input: one hot cell in plane 0 decides the
    policy target (plane 0 at that cell; soft: 3/4 there, 1/4 on plane 1) and the value (seat 1 wins
    when the cell is in the top half). `legal`: each sample also lists legal moves (its targets, the
    same cell of plane 2 and the first special index)."""
    rng = np.random.default_rng(seed)
    c, h, w = PLANES_CHW
    planes = (rng.random((n, c, h, w)) < 0.1).astype(np.float32)
    planes[:, 0] = 0
    hot = rng.integers(0, h * w, size=n)
    planes[np.arange(n), 0, hot // w, hot % w] = 1.0
    globals_ = rng.random((n, GLOBAL_SIZE)).astype(np.float32)
    if soft:
        counts = np.full(n, 2, dtype=np.int64)
        indices = np.stack([hot, h * w + hot], axis=1).reshape(-1).astype(np.int32)
        probs = np.tile(np.array([0.75, 0.25], dtype=np.float32), n)
    else:
        counts = np.ones(n, dtype=np.int64)
        indices = hot.astype(np.int32)
        probs = np.ones(n, dtype=np.float32)
    offsets = np.concatenate([[0], np.cumsum(counts)]).astype(np.int64)
    seat1 = np.where(hot // w < h // 2, 1.0, -1.0).astype(np.float32)
    values = np.zeros((n, 4), dtype=np.float32)
    values[:, 0], values[:, 1] = seat1, -seat1
    if num_players > 2:
        values[:, 2:num_players] = -1.0
    mover = (np.arange(n) % num_players + 1).astype(np.int8)
    game_key = (first_game + np.arange(n) * games_per_shard // n).astype(np.int64) * 7919 + 13
    np.savez(path, planes_nchw=planes, globals_nf=globals_, policy_offsets=offsets, policy_indices=indices,
             policy_probs=probs, values_nseat=values, value_n=values[np.arange(n), mover - 1],
             player_to_move_n=mover, game_key_n=game_key, ply_n=np.arange(n, dtype=np.int32),
             **(legal_arrays(hot, h * w) if legal else {}))
    return str(path)


def legal_arrays(hot: np.ndarray, hw: int) -> dict:
    legal_nl = np.stack([hot, hw + hot, 2 * hw + hot, np.full_like(hot, SPATIAL_PLANES * hw)], axis=1)
    return {"legal_offsets": np.arange(0, 4 * len(hot) + 1, 4, dtype=np.int64),
            "legal_indices": legal_nl.reshape(-1).astype(np.int32)}


def write_encoder_shaped_shard(path, board_type: str, n: int, first_game: int, seed: int,
                               num_players: int = 2) -> dict:
    """A shard with the real encoder's shapes and action-space size (random planes, one-hot targets).
    Returns {uri, sha256, samples} as a datasets row lists it."""
    import hashlib

    from ringrift_lake.encoding import encoder_for

    encoder = encoder_for(board_type)
    rng = np.random.default_rng(seed)
    c, h, w = encoder.planes_chw
    values = np.zeros((n, 4), np.float32)
    values[:, :num_players] = rng.choice([-1.0, 1.0], size=(n, num_players))
    np.savez(path, planes_nchw=(rng.random((n, c, h, w)) < 0.1).astype(np.float32),
             globals_nf=rng.random((n, encoder.global_size), dtype=np.float32),
             policy_offsets=np.arange(n + 1, dtype=np.int64),
             policy_indices=rng.integers(0, encoder.action_space.size, n).astype(np.int32),
             policy_probs=np.ones(n, np.float32), values_nseat=values, value_n=values[:, 0].copy(),
             player_to_move_n=np.ones(n, np.int8), game_key_n=first_game + np.arange(n, dtype=np.int64) // 10,
             ply_n=np.zeros(n, np.int32))
    sha = hashlib.sha256(open(path, "rb").read()).hexdigest()
    return {"uri": str(path), "sha256": sha, "samples": n}


def add_dataset_row(lake, config: str, shards: list[dict], dataset_id: str, created_at=None) -> None:
    """A `datasets` row for shards already in the lake (the exporter's job in production)."""
    import json
    from datetime import datetime, timezone

    from ringrift_lake import tables
    from ringrift_lake.encoding import ENCODER_VERSION

    tables.append(lake, "datasets", [{
        "dataset_id": dataset_id, "config": config, "encoder_version": ENCODER_VERSION,
        "source_versions": json.dumps({"games": 0, "moves": 0}), "window": json.dumps({}),
        "min_ingest_seq": 0, "max_ingest_seq": 0, "game_count": sum(s["samples"] for s in shards) // 10,
        "sample_count": sum(s["samples"] for s in shards), "shards": json.dumps(shards),
        "created_at": created_at or datetime.now(timezone.utc)}])
