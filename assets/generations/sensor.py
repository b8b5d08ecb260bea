"""Keep the loop going: when a config's last generation run has finished and it has fewer generations
than the loop resource asks for, request the next one (run key `<config>-gen<n>`: one run per number)."""
import os

import dagster as dg

from assets.generations.generation import generation_job
from assets.resources import LakeResource, LoopResource

INTERVAL_S = int(os.environ.get("RINGRIFT_SENSOR_INTERVAL_S") or 30)


def _busy(context, config: str) -> bool:
    runs = context.instance.get_runs(dg.RunsFilter(job_name=generation_job.name, tags={"dagster/partition": config},
                                                   statuses=[dg.DagsterRunStatus.QUEUED, dg.DagsterRunStatus.STARTED,
                                                             dg.DagsterRunStatus.STARTING,
                                                             dg.DagsterRunStatus.NOT_STARTED]), limit=1)
    return bool(runs)


@dg.sensor(job=generation_job, minimum_interval_seconds=INTERVAL_S, default_status=dg.DefaultSensorStatus.RUNNING,
           description=__doc__.split("\n\n")[0])
def generation_sensor(context: dg.SensorEvaluationContext, lake: LakeResource, loop: LoopResource):
    from training.generations.loop import previous_generations

    if not loop.generations or not loop.configs:
        return dg.SkipReason("the loop is off (loop resource: generations 0 or no configs)")
    requests, reasons = [], []
    for config in loop.configs:
        done = len(previous_generations(lake.lake(), config))
        if done >= loop.generations:
            reasons.append(f"{config}: {done} of {loop.generations} generations done")
        elif _busy(context, config):
            reasons.append(f"{config}: generation {done} running")
        else:
            requests.append(dg.RunRequest(run_key=f"{config}-gen{done}", partition_key=config))
            reasons.append(f"{config}: starting generation {done}")
    if not requests:
        return dg.SkipReason("; ".join(reasons))
    return dg.SensorResult(run_requests=requests)
