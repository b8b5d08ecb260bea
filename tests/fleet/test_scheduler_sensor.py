"""The selfplay scheduler sensor, in-process, on the embedded and the PostgreSQL Dagster instance: it
writes the allocation the rule gives for the lake's state, shows it (table + plot) and the workers,
launches the batches it allocated (run in-process here: their games land in raw_games), carries the
remainder to the next tick, and holds a config whose batch is still queued."""
import json
import math

import dagster as dg
import pyarrow.compute as pc

from assets.resources import LakeResource, RetrainPolicy, SchedulerPolicy, SelfplayResource, default_resources
from assets.scheduler.sensor import selfplay_scheduler
from assets.selfplay.raw_games import raw_games, selfplay_job
from lake_states import stale_improving_new
from ringrift_lake import tables
from ringrift_lake.fleet.allocation_table import latest_allocation

THREE = "square8_2p,hex8_2p,square19_2p"
BATCHES = 4


def resources_for(lake) -> dict:
    resources = default_resources()
    resources.update(lake=LakeResource(root=lake.root),
                     scheduler=SchedulerPolicy(configs=THREE, batches_per_tick=BATCHES),
                     selfplay=SelfplayResource(games=2, player="heuristic", workers=0),
                     retrain_policy=RetrainPolicy(ratio=0.25, min_samples=20000))
    return resources


def tick(instance, resources, cursor=None) -> dg.SensorResult:
    with dg.build_sensor_context(instance=instance, resources=resources, cursor=cursor) as context:
        return selfplay_scheduler(context)


def test_scheduler_allocates_launches_and_holds(local_lake, dagster_instance):
    stale_improving_new(local_lake)
    resources = resources_for(local_lake)
    first = tick(dagster_instance, resources)

    allocation = latest_allocation(local_lake)
    assert sorted(allocation) == sorted(THREE.split(","))
    assert abs(sum(r["share"] for r in allocation.values()) - 1) < 1e-9
    assert allocation["hex8_2p"]["share"] > allocation["square19_2p"]["share"] > allocation["square8_2p"]["share"]
    assert all(json.loads(r["terms"])["board_cost"] > 0 for r in allocation.values())
    observed = {e.asset_key.to_user_string(): e.metadata for e in first.asset_events}
    assert "hex8_2p" in observed["selfplay_allocation"]["allocation"].value
    assert "data:image/png;base64," in observed["selfplay_allocation"]["share_history"].value
    assert observed["fleet_workers"]["alive"].value == 0

    expected = {c: math.floor(r["batch_share"] * BATCHES + 1e-9) for c, r in allocation.items()}
    launched = [r.partition_key for r in first.run_requests]
    assert {c: launched.count(c) for c in allocation if launched.count(c)} == {c: n for c, n in expected.items() if n}
    assert len(set(r.run_key for r in first.run_requests)) == len(launched)
    for request in first.run_requests:      # launch them, in-process, on this instance
        assert request.tags["ringrift/allocation"] == next(iter(allocation.values()))["allocation_id"]
        done = dg.materialize([raw_games], partition_key=request.partition_key, resources=resources,
                              instance=dagster_instance, tags=request.tags)
        assert done.success
    for config in allocation:
        rows = tables.read(local_lake, "raw_games", columns=["game_id"], filter=pc.field("config") == config)
        assert rows.num_rows == 2 * launched.count(config)

    # next tick: same facts -> the same allocation (not written again); the remainders add up
    second = tick(dagster_instance, resources, first.cursor)
    assert tables.read(local_lake, "allocations").num_rows == 3
    both = launched + [r.partition_key for r in second.run_requests]
    for config, row in allocation.items():
        assert abs(both.count(config) - 2 * BATCHES * row["batch_share"]) < 1.0

    # a batch of hex8_2p not finished yet holds that config
    job = dg.Definitions(assets=[raw_games], jobs=[selfplay_job], resources=resources).resolve_job_def("selfplay_job")
    dagster_instance.create_run_for_job(job, status=dg.DagsterRunStatus.NOT_STARTED,
                                        tags={"dagster/partition": "hex8_2p"})
    third = tick(dagster_instance, resources, second.cursor)
    assert "hex8_2p" not in [r.partition_key for r in third.run_requests]
    assert "square8_2p" in [r.partition_key for r in first.run_requests + second.run_requests + third.run_requests]
