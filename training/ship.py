"""Ship a lake's champion as a repository model: `<folder>/<config>-champion.safetensors` + `.json`.

    ringrift-lake models export --config square8_2p --out models     # then: git add models/

The JSON is the checkpoint's own metadata plus `shipped`: the generation, the lineage (champion back to
the first network, each with its generation), every generation's Elo ± SE at the loop's search budget and
as raw policy from the lake's newest Elo snapshot, and where and when it was exported. `models import`
and a fresh lake (training.shipped) read it back.
"""
from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path

import pyarrow.compute as pc

from ringrift_lake import tables
from ringrift_lake.promotion import current_champion


def lineage(lake, config: str, model_id: str) -> list[dict]:
    """The model and its ancestors (newest first): model id and generation, following parent_model_id."""
    rows = {r["model_id"]: r for r in tables.read(lake, "models", columns=["model_id", "parent_model_id",
                                                                           "generation"],
                                                  filter=pc.field("config") == config).to_pylist()}
    chain, seen = [], set()
    while model_id and model_id in rows and model_id not in seen:
        seen.add(model_id)
        chain.append({"model_id": model_id, "generation": rows[model_id]["generation"]})
        model_id = rows[model_id]["parent_model_id"]
    return chain


def export_champion(lake, config: str, folder: str, model_id: str | None = None) -> Path:
    """Writes the champion (or `model_id`) of `config` under `folder`; returns the weights path."""
    from training import checkpoint
    from training.generations.report import generation_table

    if model_id is None:
        champion = current_champion(lake, config)
        if champion is None:
            raise ValueError(f"{config} has no network champion in {lake.root}: nothing to ship")
        model_id = champion["model_id"]
    loaded = checkpoint.load(lake, model_id, expect_config=config)
    meta = loaded.meta
    out = Path(folder) / f"{config}-champion.safetensors"
    out.parent.mkdir(parents=True, exist_ok=True)
    saved = checkpoint.save(None, loaded.model, config=config, encoder_version=meta["encoder_version"],
                            dataset_id=meta.get("dataset_id"), parent_model_id=meta.get("parent_model_id"),
                            metrics=meta.get("metrics"), model_id=model_id, weights_uri=str(out))
    chain = lineage(lake, config, model_id)
    table = generation_table(lake, config)
    elo = [{k: r[k] for k in ("generation", "model_id", "promoted", "elo_search", "se_search", "elo_raw", "se_raw",
                              "search_vs_heuristic", "raw_vs_heuristic")} for r in table]
    shipped = {"generation": chain[0]["generation"] if chain else None, "lineage": chain, "elo": elo,
               "exported_from": lake.root, "exported_at": datetime.now(timezone.utc).isoformat()}
    meta_path = Path(saved.meta_uri)
    meta_path.write_text(json.dumps({**saved.meta, "shipped": shipped}, indent=1, sort_keys=True))
    return out
