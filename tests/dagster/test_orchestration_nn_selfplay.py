"""The raw_games asset with a network: the config's champion model plays itself inside a Dagster run."""
import json
from datetime import datetime, timezone

import dagster as dg
import torch

from assets.resources import LakeResource, SelfplayResource, default_resources
from assets.selfplay.raw_games import raw_games
from ringrift_lake import tables
from ringrift_lake.encoding import ENCODER_VERSION, encoder_for
from training import checkpoint
from training.model import architecture_for, build_model

CONFIG = "square8_2p"


def champion_network(lake) -> str:
    """A small network saved, registered and made the config's champion (as a promotion would)."""
    torch.manual_seed(0)
    enc = encoder_for("square8")
    model = build_model(architecture_for("square8", 2, enc.planes_chw, enc.global_size, enc.action_space.size,
                                         enc.action_space.n_planes, channels=8, blocks=1))
    saved = checkpoint.save(lake, model, config=CONFIG, encoder_version=ENCODER_VERSION, dataset_id=None)
    now = datetime.now(timezone.utc)
    tables.append(lake, "models", [{
        "model_id": saved.model_id, "config": CONFIG, "status": "champion", "architecture": json.dumps(model.arch),
        "encoder_version": ENCODER_VERSION, "parent_model_id": None, "dataset_id": None,
        "checkpoint_uri": saved.weights_uri, "sha256": saved.sha256, "metrics": None, "decision": None,
        "created_at": now, "updated_at": now}])
    return saved.model_id


def test_raw_games_materialized_with_the_champion_network(local_lake):
    model_id = champion_network(local_lake)
    resources = {**default_resources(), "lake": LakeResource(root=local_lake.root),
                 "selfplay": SelfplayResource(games=3, player="champion", workers=0)}
    result = dg.materialize([raw_games], partition_key=CONFIG, resources=resources,
                            instance=dg.DagsterInstance.ephemeral())
    assert result.success
    (event,) = result.get_asset_materialization_events()
    meta = event.materialization.metadata
    assert meta["player"].value == f"model:{model_id}" and meta["games_written"].value == 3
    rows = tables.read(local_lake, "raw_games").to_pylist()
    assert len(rows) == 3 and {s["model_id"] for r in rows for s in r["seats"]} == {model_id}
