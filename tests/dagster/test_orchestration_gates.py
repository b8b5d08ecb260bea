"""Gates: a failed blocking quality check stops export and training; compaction triggers no consolidation."""
import json

import dagster as dg

from assets.definitions import defs
from assets.ingest.raw_games_sensor import raw_games_sensor
from assets.resources import LakeResource, SelfplayResource, TrainResource, default_resources
from ringrift_lake import tables
from ringrift_lake.maintenance import maintain
from training.play import run_selfplay

CONFIG = "square8_2p"


def _resources(lake) -> dict:
    resources = default_resources()
    resources.update(lake=LakeResource(root=lake.root), selfplay=SelfplayResource(games=4, workers=0),
                     train=TrainResource(epochs=1, batch_size=16, channels=8, blocks=1, max_steps=2, device="cpu",
                                         val_fraction=0.5))
    return resources


def test_a_failed_blocking_check_stops_export_and_training(local_lake):
    instance = dg.DagsterInstance.ephemeral()
    resources = _resources(local_lake)
    run_selfplay(local_lake, CONFIG, 6, player="heuristic", workers=0, seed=11, progress=False)
    consolidated = defs.resolve_job_def("consolidate_job").execute_in_process(
        partition_key=CONFIG, resources=resources, instance=instance)
    assert consolidated.success
    # A second copy of a consolidated game, written behind consolidation's back.
    games = tables.read(local_lake, "games")
    tables.append(local_lake, "games", games.slice(0, 1))

    result = defs.resolve_job_def("retrain_job").execute_in_process(
        partition_key=CONFIG, resources=resources, instance=instance, raise_on_error=False)
    assert not result.success
    checks = {e.check_name: e.passed for e in result.get_asset_check_evaluations()}
    assert checks["unique_game_id"] is False and checks["move_count_matches"] is True
    assert not result.get_asset_materialization_events()          # neither dataset nor model
    assert tables.read(local_lake, "datasets").num_rows == 0
    assert tables.read(local_lake, "models").num_rows == 0


def test_compaction_moves_the_version_but_triggers_no_consolidation(local_lake):
    instance = dg.DagsterInstance.ephemeral()
    resources = _resources(local_lake)
    for seed in (1, 2, 3):
        run_selfplay(local_lake, CONFIG, 2, player="random", workers=0, seed=seed, progress=False)
    with dg.build_sensor_context(instance=instance, resources=resources) as context:
        first = raw_games_sensor(context)
    assert [r.partition_key for r in first.run_requests] == [CONFIG]
    assert json.loads(first.cursor)["counts"] == {CONFIG: 6}

    before = tables.version(local_lake, "raw_games")
    (report,) = maintain(local_lake, ["raw_games"])
    assert report.files_after < report.files_before and tables.version(local_lake, "raw_games") > before
    with dg.build_sensor_context(instance=instance, resources=resources, cursor=first.cursor) as context:
        after = raw_games_sensor(context)
    assert not after.run_requests and "no config gained rows" in after.skip_reason.skip_message

    run_selfplay(local_lake, "hex8_2p", 1, player="random", workers=0, seed=4, progress=False)
    with dg.build_sensor_context(instance=instance, resources=resources, cursor=after.cursor) as context:
        new = raw_games_sensor(context)
    assert [r.partition_key for r in new.run_requests] == ["hex8_2p"]
    assert [o.tags["dagster/data_version"] for o in new.asset_events] == [str(tables.version(local_lake, "raw_games"))]
