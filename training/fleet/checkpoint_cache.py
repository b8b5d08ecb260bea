"""A local cache of the lake's checkpoints for fleet workers: fetch once, verify, reuse.

    path = CheckpointCache("~/.cache/ringrift/checkpoints").fetch(lake, model_id)   # local .safetensors

A model's weights and metadata are copied from the lake (local folder or S3) into the cache as
`<model_id>-<sha256[:12]>.safetensors` + `.json`. A copy is used only after its bytes hash to the
sha256 that the `models` row and the checkpoint's metadata both record and its safetensors header
parses; anything else is refused (CheckpointError) and the lake is read again next time. A cached
copy is re-hashed on every use, so a damaged cache file is replaced, never loaded. Loading it
(`training.checkpoint.load`, by the agent factory) checks the sha256 once more.
"""
from __future__ import annotations

import hashlib
import json
import os
import uuid

import pyarrow.compute as pc
import safetensors

from ringrift_lake import tables
from training.checkpoint import CheckpointError

DEFAULT_CACHE = os.path.join("~", ".cache", "ringrift", "checkpoints")


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _lake_bytes(lake, uri: str) -> bytes:
    if not (uri == lake.root or uri.startswith(lake.root + "/")):
        raise CheckpointError(f"checkpoint {uri} is outside the lake {lake.root}")
    try:
        with lake.filesystem().open_input_stream(uri[len(lake.root) + 1:]) as stream:
            return stream.read()
    except OSError as exc:
        raise CheckpointError(f"cannot read {uri}: {exc}") from exc


def _write_atomic(path: str, data: bytes) -> None:
    tmp = f"{path}.tmp-{uuid.uuid4().hex[:8]}"
    with open(tmp, "wb") as out:
        out.write(data)
    os.replace(tmp, path)


def check_safetensors(path: str) -> int:
    """The number of tensors in a safetensors file; CheckpointError if its header does not parse."""
    try:
        with safetensors.safe_open(path, framework="pt") as handle:
            return len(list(handle.keys()))
    except Exception as exc:   # safetensors raises its own error types for a malformed header
        raise CheckpointError(f"{path} is not a valid safetensors file: {exc}") from exc


class CheckpointCache:
    def __init__(self, folder: str = DEFAULT_CACHE):
        self.folder = os.path.abspath(os.path.expanduser(folder))
        os.makedirs(self.folder, exist_ok=True)
        self.fetched = 0          # copies made from the lake (the rest were cache hits)

    def fetch(self, lake, model_id: str) -> str:
        """The verified local weights file of `model_id` (module docstring)."""
        rows = tables.read(lake, "models", columns=["checkpoint_uri", "sha256"],
                           filter=pc.field("model_id") == model_id).to_pylist()
        if not rows or not rows[0]["checkpoint_uri"] or not rows[0]["sha256"]:
            raise CheckpointError(f"model {model_id!r} has no checkpoint in `models`")
        uri, sha = rows[0]["checkpoint_uri"], rows[0]["sha256"]
        path = os.path.join(self.folder, f"{model_id}-{sha[:12]}.safetensors")
        meta_path = path[: -len(".safetensors")] + ".json"
        if os.path.exists(path) and os.path.exists(meta_path):
            with open(path, "rb") as cached:
                if _sha256(cached.read()) == sha:
                    return path
        weights = _lake_bytes(lake, uri)
        meta = json.loads(_lake_bytes(lake, uri[: -len(".safetensors")] + ".json"))
        if _sha256(weights) != sha or meta.get("weights_sha256") != sha:
            raise CheckpointError(f"{uri}: sha256 {_sha256(weights)} does not match the registry's {sha} "
                                  f"(metadata says {meta.get('weights_sha256')}); refusing it")
        _write_atomic(path, weights)
        try:
            check_safetensors(path)
        except CheckpointError:
            os.remove(path)
            raise
        _write_atomic(meta_path, json.dumps(meta, indent=1, sort_keys=True).encode())
        self.fetched += 1
        return path
