"""Models that ship with the repository (`models/`), and importing a checkpoint file into a lake.

    import_checkpoint(lake, "models/square8_2p-champion.safetensors")        # ringrift-lake models import FILE
    ensure_shipped_champion(lake, "square8_2p")   # a fresh lake starts from the shipped champion, if any

A shipped model is a checkpoint (`<name>.safetensors` + `<name>.json`, the same format the lake writes)
whose JSON also carries its lineage and Elo (`shipped`: generation, parent, ratings, the run it came
from). Importing copies both files into the lake (verified: sha256 and the safetensors load) and writes
a `models` row; with `champion=True` on a config that has no champion yet, the row is the champion, so
the loop and selfplay start from it instead of the one-ply heuristic.
"""
from __future__ import annotations

import json
import os
from datetime import datetime, timezone
from pathlib import Path

import pyarrow.compute as pc

from ringrift_lake import tables
from ringrift_lake.location import Lake
from ringrift_lake.promotion import current_champion

SHIPPED_DIR = Path(__file__).resolve().parents[1] / "models"


def shipped_dir() -> Path | None:
    """Where shipped models are: $RINGRIFT_SHIPPED_MODELS (empty: none), default the repository's models/."""
    value = os.environ.get("RINGRIFT_SHIPPED_MODELS")
    if value is None:
        return SHIPPED_DIR
    return Path(value) if value else None


def shipped_for(config: str) -> Path | None:
    """The shipped champion checkpoint of a config (<shipped dir>/<config>-champion.safetensors), if any."""
    base = shipped_dir()
    path = base / f"{config}-champion.safetensors" if base else None
    return path if path is not None and path.exists() else None


def import_checkpoint(lake: Lake, path: str, champion: bool = False) -> dict:
    """Copy a checkpoint file (and its JSON) into the lake and register it; returns the models row."""
    from training import checkpoint

    loaded = checkpoint.load(None, str(path))            # verifies sha256 and that the weights fit
    meta = loaded.meta
    config, model_id = meta["config"], meta["model_id"]
    existing = tables.read(lake, "models", filter=pc.field("model_id") == model_id).to_pylist()
    if existing:
        return existing[0]
    saved = checkpoint.save(lake, loaded.model, config=config, encoder_version=meta["encoder_version"],
                            dataset_id=meta.get("dataset_id"), parent_model_id=meta.get("parent_model_id"),
                            metrics=meta.get("metrics"), model_id=model_id)
    status = "champion" if champion and current_champion(lake, config) is None else "candidate"
    now = datetime.now(timezone.utc)
    shipped = meta.get("shipped") or {}
    row = {"model_id": model_id, "config": config, "status": status,
           "architecture": json.dumps(meta["architecture"], sort_keys=True), "encoder_version": meta["encoder_version"],
           "parent_model_id": meta.get("parent_model_id"), "generation": shipped.get("generation"),
           "dataset_id": None, "checkpoint_uri": saved.weights_uri, "sha256": saved.sha256,
           "metrics": json.dumps(meta.get("metrics") or {}, sort_keys=True),
           "decision": json.dumps({"outcome": "imported", "from": str(path), "shipped": shipped}, sort_keys=True),
           "created_at": now, "updated_at": now}
    tables.append(lake, "models", [row])
    return row


def ensure_shipped_champion(lake: Lake, config: str) -> dict | None:
    """On a config without a champion, import the shipped one as champion (None when none ships)."""
    if current_champion(lake, config) is not None:
        return None
    path = shipped_for(config)
    return import_checkpoint(lake, str(path), champion=True) if path else None
