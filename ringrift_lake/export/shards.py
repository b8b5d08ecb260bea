"""Shard layout and writing: which games go into which shard, and one shard's write (in a worker).

A shard holds whole games, in selection order, up to `shard_samples` samples (a single longer
game gets a shard of its own). Shards are written through the lake's filesystem to a temporary
name and moved to `shards/{config}/{dataset_id}/shard-NNNNN.npz`; readers only use shards that a
`datasets` row lists, and the row is appended after every shard is in place.
"""
from __future__ import annotations

import os
import time
import uuid
from dataclasses import dataclass

from ringrift_lake.encoding import encoder_for
from ringrift_lake.export.encode_games import GameToEncode, stream_shard
from ringrift_lake.location import Lake

DEFAULT_SHARD_SAMPLES = 65_536
SHARD_BYTES_CAP = 1 << 30        # keeps shards of the big boards around 1 GiB


def shard_samples_for(board_type: str, requested: int | None = None) -> int:
    """Samples per shard: `requested`, else 65,536 capped so the planes (uint8) stay near 1 GiB."""
    if requested is not None:
        if requested <= 0:
            raise ValueError("shard_samples must be positive")
        return requested
    c, h, w = encoder_for(board_type).planes_chw
    return max(1024, min(DEFAULT_SHARD_SAMPLES, SHARD_BYTES_CAP // (c * h * w)))


def plan_shards(games: list[GameToEncode], shard_samples: int) -> list[list[GameToEncode]]:
    shards: list[list[GameToEncode]] = []
    current, count = [], 0
    for game in games:
        n = len(game.moves)
        if current and count + n > shard_samples:
            shards.append(current)
            current, count = [], 0
        current.append(game)
        count += n
    if current:
        shards.append(current)
    return shards


def shard_dir(config: str, dataset_id: str) -> str:
    """Lake-relative folder of a dataset's shards."""
    return f"shards/{config}/{dataset_id}"


@dataclass
class ShardTask:
    """Everything a worker needs, as plain data (no table handles)."""

    lake: Lake
    rel_path: str                 # lake-relative final path of the shard
    board_type: str
    num_players: int
    games: list[GameToEncode]


@dataclass
class ShardResult:
    rel_path: str
    sha256: str
    samples: int
    cpu_s: float                  # process CPU time the worker spent on this shard


def write_shard(task: ShardTask) -> ShardResult:
    """Encode the task's games and write the shard (temporary name, then move); runs in a worker."""
    cpu_start = time.process_time()
    fs = task.lake.filesystem()
    fs.create_dir(os.path.dirname(task.rel_path), recursive=True)
    tmp = f"{task.rel_path}.tmp-{uuid.uuid4().hex}"
    try:
        with fs.open_output_stream(tmp) as stream:
            sha256, samples = stream_shard(stream, task.board_type, task.num_players, task.games)
        fs.move(tmp, task.rel_path)
    except BaseException:
        try:
            fs.delete_file(tmp)
        except OSError:
            pass
        raise
    return ShardResult(task.rel_path, sha256, samples, time.process_time() - cpu_start)
