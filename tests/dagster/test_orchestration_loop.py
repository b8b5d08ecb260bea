"""The whole loop for one config, materialized in-process by Dagster, on a local and an S3 lake."""
import json

import dagster as dg
import pyarrow.compute as pc

from assets.demo import materialize_loop
from assets.evaluate.candidate_sensor import candidate_sensor
from assets.ingest.consolidate import consolidate
from assets.ingest.raw_games_sensor import raw_games_sensor
from assets.resources import (EvalSettings, LakeResource, RetrainPolicy, SelfplayResource, TrainResource,
                              default_resources)
from assets.train.retrain_sensor import retrain_sensor
from ringrift_lake import tables

CONFIG = "square8_2p"


def tiny_resources(lake) -> dict:
    resources = default_resources()
    resources.update(
        lake=LakeResource(root=lake.root),
        selfplay=SelfplayResource(games=16, player="heuristic", workers=0),
        train=TrainResource(epochs=1, batch_size=32, channels=8, blocks=1, max_steps=4, device="cpu",
                            val_fraction=0.5),
        evaluation=EvalSettings(games_per_opponent=2, workers=1, min_games=2),
        retrain_policy=RetrainPolicy(ratio=0.1, min_samples=1, cooldown_s=0),
    )
    return resources


def _rows(lake, name, **equal):
    data = tables.read(lake, name)
    for column, value in equal.items():
        data = data.filter(pc.field(column) == value)
    return data


def test_whole_loop_once(lake):
    instance = dg.DagsterInstance.ephemeral()
    resources = tiny_resources(lake)
    result = materialize_loop(CONFIG, resources, instance)
    assert result.success
    materialized = {e.asset_key.to_user_string() for e in result.get_asset_materialization_events()}
    assert materialized == {"raw_games", "games", "moves", "quarantine", "training_dataset", "candidate_model",
                            "gauntlet_matches", "elo_snapshot", "champion"}
    failed = [(e.asset_key.to_user_string(), e.check_name) for e in result.get_asset_check_evaluations()
              if not e.passed and e.severity == dg.AssetCheckSeverity.ERROR]
    assert failed == []

    selfplay = _rows(lake, "raw_games", source="selfplay")
    games, moves, quarantine = _rows(lake, "games"), _rows(lake, "moves"), _rows(lake, "quarantine")
    assert selfplay.num_rows == 16
    assert games.num_rows + quarantine.num_rows == 16 and games.num_rows > 0
    assert moves.num_rows == pc.sum(games["num_moves"]).as_py()

    (dataset,) = _rows(lake, "datasets").to_pylist()
    assert dataset["config"] == CONFIG and dataset["game_count"] == games.num_rows
    assert json.loads(dataset["source_versions"])["games"] == tables.version(lake, "games")

    (model,) = _rows(lake, "models").to_pylist()
    assert model["dataset_id"] == dataset["dataset_id"]
    decision = json.loads(model["decision"])
    assert model["status"] in {"champion", "rejected", "candidate"} and decision["outcome"]

    matches = _rows(lake, "matches", config=CONFIG)
    player = f"model:{model['model_id']}"
    assert matches.num_rows >= 4 and all(player in p for p in matches["players"].to_pylist())
    elo = {r["player_id"] for r in _rows(lake, "elo", config=CONFIG).to_pylist()}
    assert {player, "random", "heuristic"} <= elo

    meta = {e.asset_key.to_user_string(): e.materialization.metadata for e in result.get_asset_materialization_events()}
    assert meta["candidate_model"]["model_id"].value == model["model_id"]
    assert meta["training_dataset"]["dataset_id"].value == dataset["dataset_id"]
    assert meta["champion"]["outcome"].value == decision["outcome"]
    assert "data:image/png;base64," in meta["elo_snapshot"]["elo_plot"].value
    assert player in meta["elo_snapshot"]["leaderboard"].value

    _sensors_follow_up(instance, resources, lake)


def _sensors_follow_up(instance, resources, lake):
    """After the loop: the gauntlet's games are new raw games; nothing waits for evaluation."""
    with dg.build_sensor_context(instance=instance, resources=resources) as context:
        outcome = raw_games_sensor(context)
    assert [r.partition_key for r in outcome.run_requests] == [CONFIG]
    assert [o.partition for o in outcome.asset_events] == [CONFIG]
    cursor = json.loads(outcome.cursor)
    assert cursor["counts"][CONFIG] == _rows(lake, "raw_games", config=CONFIG).num_rows
    with dg.build_sensor_context(instance=instance, resources=resources, cursor=outcome.cursor) as context:
        again = raw_games_sensor(context)
    assert isinstance(again, dg.SkipReason)

    with dg.build_sensor_context(instance=instance, resources=resources) as context:
        waiting = candidate_sensor(context)
    assert not getattr(waiting, "run_requests", None)     # the candidate has its decision

    # Only games newer than the trained dataset count: none until the gauntlet's games are consolidated.
    with dg.build_sensor_context(instance=instance, resources=resources) as context:
        assert isinstance(retrain_sensor(context), dg.SkipReason)
    consolidated = dg.materialize([consolidate], partition_key=CONFIG, resources=resources, instance=instance)
    assert consolidated.success
    with dg.build_sensor_context(instance=instance, resources=resources) as context:
        retrain = retrain_sensor(context)
    assert [r.partition_key for r in retrain.run_requests] == [CONFIG]
    assert int(retrain.run_requests[0].tags["ringrift/new_samples"]) > 0
