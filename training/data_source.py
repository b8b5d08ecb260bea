"""Which shards a training run reads: a `datasets` row of the lake, made local and verified.

Shards on a local lake are read in place; shards on S3 are copied once into a
local cache (named by their sha256) because memory-mapping needs a local
file. Every shard's sha256 is checked against the datasets row before use.
"""
from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass

import pyarrow.compute as pc

from ringrift_lake import tables

_CHUNK = 8 << 20


@dataclass(frozen=True)
class TrainingData:
    dataset_id: str | None
    config: str
    encoder_version: str | None
    shard_paths: list[str]


def _sha256_file(path: str) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def dataset_row(lake, config: str, dataset_id: str | None) -> dict:
    """The `datasets` row `dataset_id`, or the newest one for `config`; ValueError if there is none."""
    rows = tables.read(lake, "datasets", filter=pc.field("config") == config).to_pylist()
    if dataset_id is not None:
        rows = [r for r in rows if r["dataset_id"] == dataset_id]
        if not rows:
            raise ValueError(f"no dataset {dataset_id!r} for config {config} in the lake {lake.describe()}")
    if not rows:
        raise ValueError(f"the lake {lake.describe()} has no datasets for {config}: run `ringrift-lake export` first")
    return max(rows, key=lambda r: (r["created_at"], r["dataset_id"]))


def shard_cache_dir() -> str:
    return os.environ.get("RINGRIFT_SHARD_CACHE") or os.path.join(os.path.expanduser("~"), ".cache", "ringrift", "shards")


def local_shard(lake, uri: str, sha256: str, cache_dir: str | None = None) -> str:
    """A verified local path for the shard at `uri` (absolute lake URI or path relative to the lake root)."""
    if uri.startswith(lake.root + "/"):
        rel = uri[len(lake.root) + 1:]
    elif "://" in uri:
        raise ValueError(f"shard {uri} is not in the lake {lake.root}")
    elif os.path.isabs(uri):
        rel = None
    else:
        rel = uri
    if not lake.is_s3:
        path = os.path.join(lake.root, rel) if rel is not None else uri
    else:
        if rel is None:
            raise ValueError(f"shard {uri} is a local path but the lake is on S3")
        cache_dir = cache_dir or shard_cache_dir()
        os.makedirs(cache_dir, exist_ok=True)
        path = os.path.join(cache_dir, f"{sha256}.npz")
        if not os.path.exists(path):
            tmp = f"{path}.part-{os.getpid()}"
            with lake.filesystem().open_input_stream(rel) as src, open(tmp, "wb") as dst:
                while chunk := src.read(_CHUNK):
                    dst.write(chunk)
            if _sha256_file(tmp) != sha256:
                os.remove(tmp)
                raise ValueError(f"shard {uri}: downloaded bytes do not match sha256 {sha256}")
            os.replace(tmp, path)
            return path
    if not os.path.exists(path):
        raise FileNotFoundError(f"shard {uri} is missing ({path})")
    actual = _sha256_file(path)
    if actual != sha256:
        raise ValueError(f"shard {uri}: sha256 {actual} does not match the datasets row's {sha256}")
    return path


def from_lake(lake, config: str, dataset_id: str | None = None) -> TrainingData:
    row = dataset_row(lake, config, dataset_id)
    shards = json.loads(row["shards"])
    if not shards:
        raise ValueError(f"dataset {row['dataset_id']} lists no shards")
    paths = [local_shard(lake, s["uri"], s["sha256"]) for s in shards]
    return TrainingData(row["dataset_id"], config, row["encoder_version"], paths)


def from_files(config: str, paths: list[str], encoder_version: str | None) -> TrainingData:
    missing = [p for p in paths if not os.path.exists(p)]
    if missing:
        raise FileNotFoundError(f"shard files not found: {missing}")
    return TrainingData(None, config, encoder_version, list(paths))
