"""A new candidate in `models` -> run `evaluate_job` for it (gauntlet -> Elo -> promotion decision).

Watches the registry, so candidates trained outside Dagster (`ringrift-lake
train`) are evaluated too. One run per model id (the run key), oldest first.
"""
import os

import dagster as dg

from assets.evaluate.assets import evaluate_job
from assets.evaluate.candidates import waiting_candidates
from assets.resources import LakeResource
from ringrift_lake import tables

INTERVAL_S = int(os.environ.get("RINGRIFT_SENSOR_INTERVAL_S") or 30)


def evaluation_request(model_id: str, config: str) -> dg.RunRequest:
    model = {"config": {"model_id": model_id}}
    return dg.RunRequest(run_key=f"evaluate:{model_id}", partition_key=config,
                         run_config={"ops": {"gauntlet_matches": model, "champion": model}},
                         tags={"ringrift/model_id": model_id})


@dg.sensor(
    job=evaluate_job,
    minimum_interval_seconds=INTERVAL_S,
    default_status=dg.DefaultSensorStatus.RUNNING,
    description=__doc__.split("\n\n")[0],
)
def candidate_sensor(context: dg.SensorEvaluationContext, lake: LakeResource):
    the_lake = lake.lake()
    version = tables.version(the_lake, "models")
    if version is None:
        return dg.SkipReason("no models registered yet")
    if context.cursor == str(version):
        return dg.SkipReason(f"models still at v{version}")
    waiting = waiting_candidates(the_lake)
    requests = [evaluation_request(row["model_id"], row["config"]) for row in waiting]
    if not requests:
        return dg.SensorResult(skip_reason=f"models v{version}: no candidate waits", cursor=str(version))
    return dg.SensorResult(run_requests=requests, cursor=str(version))
