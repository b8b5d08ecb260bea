"""Checkpoints: `<model_id>.safetensors` + `<model_id>.json` under `<lake>/models/{config}/`.

The JSON holds the config, board, player count, encoder version, architecture
dict, dataset id, parent model, metrics and the sha256 of the weights file.
Loading never unpickles (safetensors + json only) and refuses, with the
reason, a weights file whose sha256 differs from the JSON (tampered or torn),
and a checkpoint that does not match what the caller expects (board, config,
encoder version, architecture). Paths go through the lake's filesystem, so
local and S3 lakes behave the same.
"""
from __future__ import annotations

import hashlib
import json
import os
import uuid
from dataclasses import dataclass
from datetime import datetime, timezone

import pyarrow.fs as pafs
import safetensors.torch
import torch

from training.model import PolicyValueNet, build_model, check_architecture

FORMAT = "ringrift-checkpoint/1"


class CheckpointError(ValueError):
    """A checkpoint that is missing, tampered with, or not the one the caller needs."""


class UnknownModelError(CheckpointError, LookupError):
    """A model id the lake knows nothing about (no `models` row, no checkpoint in the layout)."""


def _config_of_id(model_id: str) -> str | None:
    from engine import CONFIGS

    head = model_id.split("-", 1)[0]
    return head if head in CONFIGS else None


def unknown_model_message(lake, model_id: str, config: str | None = None) -> str:
    """"no model X for C; known models: ..." (the newest ten of the config, or of the lake without one)."""
    import pyarrow.compute as pc

    from ringrift_lake import tables

    config = config or _config_of_id(model_id)
    rows = tables.read(lake, "models", columns=["model_id", "config"],
                       filter=None if config is None else pc.field("config") == config)
    names = sorted(rows.column("model_id").to_pylist())
    listed = ", ".join(names[-10:]) if names else "none yet"
    return f"no model {model_id!r} {f'for {config}' if config else 'in the lake'}; known models: {listed}"


@dataclass(frozen=True)
class SavedCheckpoint:
    model_id: str
    weights_uri: str
    meta_uri: str
    sha256: str
    meta: dict


@dataclass
class LoadedCheckpoint:
    model: PolicyValueNet
    meta: dict


def new_model_id(config: str) -> str:
    return f"{config}-{datetime.now(timezone.utc):%Y%m%dT%H%M%S}-{uuid.uuid4().hex[:8]}"


def checkpoint_uri(lake, config: str, model_id: str) -> str:
    """URI of the weights file; the metadata sits beside it with the .json suffix."""
    return lake.uri("models", config, f"{model_id}.safetensors")


def _fs_path(lake, uri: str) -> tuple[pafs.FileSystem, str]:
    if lake is not None and (uri == lake.root or uri.startswith(lake.root + "/")):
        return lake.filesystem(), uri[len(lake.root) + 1:]
    if "://" in uri:
        raise CheckpointError(f"{uri} is outside the lake {lake.root if lake else '(none)'}")
    return pafs.LocalFileSystem(), os.path.abspath(uri)


def _write_atomic(fs: pafs.FileSystem, path: str, data: bytes) -> None:
    parent = path.rsplit("/", 1)[0]
    fs.create_dir(parent, recursive=True)
    tmp = f"{path}.tmp-{uuid.uuid4().hex[:8]}"
    with fs.open_output_stream(tmp) as out:
        out.write(data)
    fs.move(tmp, path)


def _read(fs: pafs.FileSystem, path: str, what: str) -> bytes:
    try:
        with fs.open_input_stream(path) as f:
            return f.read()
    except (FileNotFoundError, OSError) as exc:
        raise CheckpointError(f"cannot read checkpoint {what} {path}: {exc}") from exc


def save(lake, model: PolicyValueNet, *, config: str, encoder_version: str, dataset_id: str | None,
         parent_model_id: str | None = None, metrics: dict | None = None, model_id: str | None = None,
         weights_uri: str | None = None) -> SavedCheckpoint:
    """Writes weights then metadata (the JSON appearing marks the checkpoint complete)."""
    model_id = model_id or new_model_id(config)
    weights_uri = weights_uri or checkpoint_uri(lake, config, model_id)
    state = {k: v.detach().to("cpu").contiguous() for k, v in model.state_dict().items()}
    weights = safetensors.torch.save(state, metadata={"format": FORMAT, "model_id": model_id})
    sha256 = hashlib.sha256(weights).hexdigest()
    arch = model.arch
    meta = {
        "format": FORMAT, "model_id": model_id, "config": config, "board_type": arch["board_type"],
        "num_players": arch["num_players"], "encoder_version": encoder_version, "architecture": arch,
        "dataset_id": dataset_id, "parent_model_id": parent_model_id, "metrics": metrics or {},
        "weights_file": weights_uri.rsplit("/", 1)[-1], "weights_sha256": sha256,
        "created_at": datetime.now(timezone.utc).isoformat(),
    }
    fs, path = _fs_path(lake, weights_uri)
    _write_atomic(fs, path, weights)
    meta_uri = weights_uri[: -len(".safetensors")] + ".json"
    _write_atomic(fs, path[: -len(".safetensors")] + ".json", json.dumps(meta, indent=1, sort_keys=True).encode())
    return SavedCheckpoint(model_id, weights_uri, meta_uri, sha256, meta)


def resolve_uri(lake, model_ref: str) -> str:
    """A weights URI from a checkpoint path/URI, or a model id: its `models` row's checkpoint_uri
    when the lake has one, else the layout's `models/{config}/{id}.safetensors` (ids start with the config)."""
    if model_ref.endswith(".json"):
        return model_ref[: -len(".json")] + ".safetensors"
    if model_ref.endswith(".safetensors"):
        return model_ref
    if lake is None:
        raise CheckpointError(f"model id {model_ref!r} needs a lake to be found")
    import pyarrow.compute as pc

    from ringrift_lake import tables

    rows = tables.read(lake, "models", columns=["checkpoint_uri"], filter=pc.field("model_id") == model_ref)
    if rows.num_rows:
        return rows.column("checkpoint_uri")[0].as_py()
    return checkpoint_uri(lake, model_ref.split("-", 1)[0], model_ref)


def _is_path(model_ref: str) -> bool:
    return model_ref.endswith((".json", ".safetensors")) or "/" in model_ref


def read_meta(lake, model_ref: str) -> dict:
    """The checkpoint's metadata; UnknownModelError (naming the known models, not a file) for a model id
    the lake has no checkpoint of."""
    weights_uri = resolve_uri(lake, model_ref)
    fs, path = _fs_path(lake, weights_uri)
    try:
        text = _read(fs, path[: -len(".safetensors")] + ".json", "metadata")
    except CheckpointError:
        if _is_path(model_ref) or lake is None:
            raise
        raise UnknownModelError(unknown_model_message(lake, model_ref)) from None
    meta = json.loads(text)
    if meta.get("format") != FORMAT:
        raise CheckpointError(f"{weights_uri}: unknown checkpoint format {meta.get('format')!r}")
    return meta


def load(lake, model_ref: str, *, expect_board: str | None = None, expect_config: str | None = None,
         expect_encoder_version: str | None = None, expect_architecture: dict | None = None,
         device: str | torch.device = "cpu") -> LoadedCheckpoint:
    """Loads and verifies a checkpoint; raises CheckpointError saying what is wrong."""
    weights_uri = resolve_uri(lake, model_ref)
    meta = read_meta(lake, model_ref)
    fs, path = _fs_path(lake, weights_uri)
    weights = _read(fs, path, "weights")
    actual = hashlib.sha256(weights).hexdigest()
    if actual != meta.get("weights_sha256"):
        raise CheckpointError(f"{weights_uri}: sha256 {actual} does not match the metadata's "
                              f"{meta.get('weights_sha256')} (tampered or incomplete file); refusing to load")
    arch = meta["architecture"]
    expected = {"board": (expect_board, meta["board_type"]), "config": (expect_config, meta["config"]),
                "encoder version": (expect_encoder_version, meta["encoder_version"])}
    for what, (want, have) in expected.items():
        if want is not None and want != have:
            raise CheckpointError(f"{weights_uri}: checkpoint {what} is {have!r}, expected {want!r}")
    if expect_architecture is not None:
        diff = {k: (arch.get(k), v) for k, v in expect_architecture.items() if arch.get(k) != v}
        if diff:
            raise CheckpointError(f"{weights_uri}: architecture differs (checkpoint, expected): {diff}")
    try:
        model = build_model(check_architecture(arch))
        state = safetensors.torch.load(weights)
        model.load_state_dict(state, strict=True)
    except (ValueError, RuntimeError, KeyError) as exc:
        raise CheckpointError(f"{weights_uri}: weights do not fit the architecture: {exc}") from exc
    return LoadedCheckpoint(model.to(device).eval(), meta)
