"""Export a window of games to shards plus a `datasets` row; rebuild a dataset from its row.

    row = export_dataset(lake, "square8_2p", Window(newest_samples=200_000), workers=4)
    report = rebuild_dataset(lake, row["dataset_id"])        # byte-identical? (Delta time travel)

Workers are `spawn`ed processes (delta-rs must not run in a forked child) and get plain data;
all table reads and the one `datasets` commit happen in this process. Nothing is committed
unless every shard was written: on any failure the dataset's folder is removed and no row is
appended, so readers (who only use shards listed in a row) never see a partial dataset.
"""
from __future__ import annotations

import json
import os
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Callable, Iterator

import pyarrow.compute as pc

from ringrift_lake import tables
from ringrift_lake.encoding import ENCODER_VERSION
from ringrift_lake.export.select import Selection, Window, select
from ringrift_lake.export.shards import (
    ShardResult, ShardTask, plan_shards, shard_dir, shard_samples_for, write_shard,
)
from ringrift_lake.location import Lake
from ringrift_lake.worker_pool import ordered_map


@dataclass
class ExportStats:
    worker_cpu_s: float = 0.0                 # summed over shards (inside the workers)
    shards: list[ShardResult] = field(default_factory=list)


def default_workers() -> int:
    return max(1, os.cpu_count() or 1)


def _run_tasks(tasks: list[ShardTask], workers: int) -> Iterator[ShardResult]:
    """Shard results in task order; in-process when one worker suffices."""
    if workers <= 1 or len(tasks) <= 1:
        yield from map(write_shard, tasks)
        return
    yield from ordered_map(write_shard, tasks, workers)


def _write_shards(lake: Lake, selection: Selection, dataset_dir: str, shard_samples: int, workers: int,
                  on_shard: Callable[[ShardResult, int], None] | None, stats: ExportStats) -> list[dict]:
    plan = plan_shards(selection.games, shard_samples)
    tasks = [ShardTask(Lake(lake.root, dict(lake.storage_options)), f"{dataset_dir}/shard-{k:05d}.npz",
                       selection.board_type, selection.num_players, games) for k, games in enumerate(plan)]
    manifest = []
    results = _run_tasks(tasks, workers)
    try:
        for result in results:
            stats.worker_cpu_s += result.cpu_s
            stats.shards.append(result)
            manifest.append({"uri": lake.uri(result.rel_path), "sha256": result.sha256, "samples": result.samples})
            if on_shard is not None:
                on_shard(result, len(tasks))
    finally:
        results.close()           # on failure: stop (terminate) the workers before the caller cleans up
    return manifest


def _remove_dir(lake: Lake, rel_dir: str) -> None:
    try:
        lake.filesystem().delete_dir(rel_dir)
    except (OSError, FileNotFoundError):
        pass


def export_dataset(lake: Lake, config: str, window: Window = Window(), *, workers: int | None = None,
                   shard_samples: int | None = None, on_shard: Callable[[ShardResult, int], None] | None = None,
                   stats: ExportStats | None = None) -> dict:
    """Encode the window's games into shards under `shards/{config}/{dataset_id}/` and append the
    `datasets` row (returned as a dict). `on_shard(result, n_shards)` is called after each shard."""
    selection = select(lake, config, window)
    shard_samples = shard_samples_for(selection.board_type, shard_samples)
    created_at = datetime.now(timezone.utc)
    dataset_id = f"{config}-{created_at:%Y%m%dT%H%M%S}-{uuid.uuid4().hex[:8]}"
    dataset_dir = shard_dir(config, dataset_id)
    stats = stats if stats is not None else ExportStats()
    try:
        manifest = _write_shards(lake, selection, dataset_dir, shard_samples,
                                 default_workers() if workers is None else workers, on_shard, stats)
    except BaseException:
        _remove_dir(lake, dataset_dir)
        raise
    row = {
        "dataset_id": dataset_id, "config": config, "encoder_version": ENCODER_VERSION,
        "source_versions": json.dumps(selection.versions, sort_keys=True),
        "window": json.dumps({**window.to_dict(), "shard_samples": shard_samples,
                              "game_ids_sha256": selection.game_ids_sha256()}, sort_keys=True),
        "min_ingest_seq": selection.games[0].ingest_seq, "max_ingest_seq": selection.games[-1].ingest_seq,
        "game_count": len(selection.games), "sample_count": selection.sample_count,
        "shards": json.dumps(manifest), "created_at": created_at,
    }
    try:
        tables.append(lake, "datasets", [row])
    except BaseException:
        _remove_dir(lake, dataset_dir)
        raise
    return row


def dataset_row(lake: Lake, dataset_id: str) -> dict:
    rows = tables.read(lake, "datasets", filter=pc.field("dataset_id") == dataset_id).to_pylist()
    if not rows:
        raise KeyError(f"no dataset {dataset_id!r} in the lake {lake.describe()}")
    return rows[0]


@dataclass
class RebuildReport:
    dataset_id: str
    identical: bool
    shards: list[dict]            # {uri, expected, actual, samples}
    restored: list[str]


def rebuild_dataset(lake: Lake, dataset_id: str, *, workers: int | None = None, restore: bool = False) -> RebuildReport:
    """Re-encode a dataset from its recorded table versions and window; compare every shard's sha256.

    The rebuilt shards go to a scratch folder that is removed afterwards. With `restore`, verified
    shards whose original file is missing are moved into place."""
    row = dataset_row(lake, dataset_id)
    if row["encoder_version"] != ENCODER_VERSION:
        raise ValueError(f"dataset {dataset_id} was encoded with {row['encoder_version']}; this code is {ENCODER_VERSION}")
    recorded_window = json.loads(row["window"])
    window = Window(recorded_window.get("newest_games"), recorded_window.get("newest_samples"),
                    recorded_window.get("where"), bool(recorded_window.get("heldout")))
    selection = select(lake, row["config"], window, versions=json.loads(row["source_versions"]))
    if selection.game_ids_sha256() != recorded_window["game_ids_sha256"]:
        raise ValueError(f"dataset {dataset_id}: the recorded versions no longer select the same games")
    scratch = f"{shard_dir(row['config'], dataset_id)}/.rebuild-{uuid.uuid4().hex[:8]}"
    expected = json.loads(row["shards"])
    fs = lake.filesystem()
    try:
        manifest = _write_shards(lake, selection, scratch, recorded_window["shard_samples"],
                                 default_workers() if workers is None else workers, None, ExportStats())
        shards, restored = [], []
        for want, got in zip(expected, manifest):
            shards.append({"uri": want["uri"], "expected": want["sha256"], "actual": got["sha256"], "samples": got["samples"]})
            original = want["uri"][len(lake.root) + 1:]
            if restore and want["sha256"] == got["sha256"] and fs.get_file_info(original).type.name == "NotFound":
                fs.move(got["uri"][len(lake.root) + 1:], original)
                restored.append(want["uri"])
        identical = len(expected) == len(manifest) and all(s["expected"] == s["actual"] for s in shards)
        return RebuildReport(dataset_id, identical, shards, restored)
    finally:
        _remove_dir(lake, scratch)


def verify_dataset(lake: Lake, config: str, dataset_id: str | None = None) -> list[str]:
    """Problems with a dataset (default: the config's newest): no row, no samples, shard counts that do
    not add up, shards that are missing. Empty list = fine. (sha256 is checked by readers.)"""
    rows = tables.read(lake, "datasets", filter=pc.field("config") == config).to_pylist()
    if dataset_id is not None:
        rows = [r for r in rows if r["dataset_id"] == dataset_id]
    if not rows:
        return [f"no dataset for {config}" + (f" with id {dataset_id}" if dataset_id else "")]
    row = max(rows, key=lambda r: (r["created_at"], r["dataset_id"]))
    shards = json.loads(row["shards"])
    problems = []
    if row["sample_count"] <= 0:
        problems.append(f"{row['dataset_id']}: no samples")
    if sum(s["samples"] for s in shards) != row["sample_count"]:
        problems.append(f"{row['dataset_id']}: shard samples add up to {sum(s['samples'] for s in shards)}, "
                        f"the row says {row['sample_count']}")
    fs = lake.filesystem()
    for shard in shards:
        info = fs.get_file_info(shard["uri"][len(lake.root) + 1:])
        if info.type.name != "File" or not info.size:
            problems.append(f"{row['dataset_id']}: shard {shard['uri']} is missing or empty")
    return problems
