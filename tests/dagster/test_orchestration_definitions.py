"""The code location: what it defines, and the rules the sensors apply."""
import dagster as dg
import pytest

from assets.definitions import defs
from assets.partitions import CONFIG_NAMES
from assets.resources import RetrainPolicy
from assets.train.retrain_sensor import Progress, should_retrain

LOOP_ASSETS = {"raw_games", "games", "moves", "quarantine", "training_dataset", "candidate_model",
               "gauntlet_matches", "elo_snapshot", "champion"}
SCHEDULER_ASSETS = {"selfplay_allocation", "fleet_workers"}     # observed by the scheduler, not partitioned
GENERATION_ASSETS = {"generation"}     # the generation loop (one whole generation per run), partitioned by config


def test_the_code_location_loads_with_the_whole_loop():
    dg.Definitions.validate_loadable(defs)
    graph = defs.resolve_asset_graph()
    keys = {key.to_user_string() for key in graph.get_all_asset_keys()}
    assert keys == LOOP_ASSETS | SCHEDULER_ASSETS | GENERATION_ASSETS
    for key in graph.get_all_asset_keys():
        if key.to_user_string() in SCHEDULER_ASSETS:
            continue
        partitions = graph.get(key).partitions_def
        assert partitions is not None and partitions.get_partition_keys() == list(CONFIG_NAMES)
    assert len(CONFIG_NAMES) == 12


def test_lineage_follows_the_loop():
    graph = defs.resolve_asset_graph()

    def parents(name):
        return {k.to_user_string() for k in graph.get(dg.AssetKey(name)).parent_keys}

    assert parents("games") == parents("moves") == parents("quarantine") == {"raw_games"}
    assert parents("training_dataset") == {"games", "moves"}
    assert parents("candidate_model") == {"training_dataset"}
    assert parents("gauntlet_matches") == {"candidate_model"}
    assert parents("elo_snapshot") == {"gauntlet_matches"}
    assert parents("champion") == {"elo_snapshot"}


def test_training_runs_in_the_gpu_pool_and_sensors_run_by_default():
    graph = defs.resolve_asset_graph()
    assert graph.get(dg.AssetKey("candidate_model")).pools == {"gpu"}
    assert graph.get(dg.AssetKey("games")).pools == {"consolidate"}       # one consolidation at a time
    sensors = {s.name: s for s in defs.sensors}
    assert set(sensors) == {"raw_games_sensor", "retrain_sensor", "candidate_sensor", "selfplay_scheduler",
                            "generation_sensor"}
    assert all(s.default_status == dg.DefaultSensorStatus.RUNNING for s in sensors.values())
    (schedule,) = defs.schedules
    assert schedule.default_status == dg.DefaultScheduleStatus.RUNNING
    assert defs.resolve_job_def("retrain_job").tags.get("ringrift/gpu") == "train"


def test_error_checks_block_and_gate_the_dataset():
    checks = {spec.key: spec for ad in defs.asset_checks for spec in ad.check_specs}
    on_tables = {key.asset_key.to_user_string() for key in checks}
    assert {"games", "moves", "training_dataset"} <= on_tables
    assert any(spec.blocking for key, spec in checks.items() if key.asset_key.to_user_string() == "games")
    assert checks[dg.AssetCheckKey(dg.AssetKey("training_dataset"), "training_dataset_check")].blocking


POLICY = RetrainPolicy(ratio=0.5, min_samples=100, cooldown_s=600)


@pytest.mark.parametrize("new, trained, pending, last, expected", [
    (99, 0, 0, None, False),        # below the minimum
    (100, 0, 0, None, True),        # no champion yet: the minimum alone decides
    (400, 1000, 0, None, False),    # below ratio * trained
    (500, 1000, 0, None, True),     # at the ratio
    (500, 1000, 1, None, False),    # a candidate still waits for evaluation
    (500, 1000, 0, 900.0, False),   # asked 100 s ago: cooling down
    (500, 1000, 0, 300.0, True),    # asked 700 s ago: cooldown over
])
def test_retrain_rule(new, trained, pending, last, expected):
    go, reason = should_retrain(Progress("square8_2p", new, trained, pending, 7), POLICY, last, now=1000.0)
    assert go is expected, reason
    assert reason.startswith("square8_2p: ")
