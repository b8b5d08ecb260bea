"""Enough new data since the champion was trained -> run `retrain_job` for that config.

New samples are the moves of consolidated games newer than the newest
dataset any model of the config was trained on (so data a rejected candidate
already saw does not count twice); the baseline is the moves in the
champion's dataset window. A config is retrained when

    new >= min_samples  and  new >= ratio * baseline   (baseline 0 without a champion)

no candidate of it is still waiting for evaluation, and its last request is
older than the cooldown (kept in the sensor's cursor).
"""
import json
import os
import time

import dagster as dg

from assets.resources import LakeResource, RetrainPolicy
from assets.train.candidate import retrain_job
from ringrift_lake.data_progress import Progress, data_progress, needed_samples

INTERVAL_S = int(os.environ.get("RINGRIFT_SENSOR_INTERVAL_S") or 30)
__all__ = ["Progress", "data_progress", "retrain_sensor", "should_retrain"]


def should_retrain(p: Progress, policy: RetrainPolicy, last_request: float | None, now: float) -> tuple[bool, str]:
    """The retrain rule (module docstring) with the reason for the answer."""
    need = needed_samples(p, policy.ratio, policy.min_samples)
    if p.pending:
        return False, f"{p.config}: {p.pending} candidate(s) awaiting evaluation"
    if p.new_samples < need:
        return False, f"{p.config}: {p.new_samples} new samples < {need:.0f} needed"
    if last_request is not None and now - last_request < policy.cooldown_s:
        return False, f"{p.config}: cooling down ({now - last_request:.0f}s of {policy.cooldown_s}s)"
    return True, f"{p.config}: {p.new_samples} new samples >= {need:.0f} (baseline {p.trained_samples})"


@dg.sensor(
    job=retrain_job,
    minimum_interval_seconds=INTERVAL_S,
    default_status=dg.DefaultSensorStatus.RUNNING,
    description=__doc__.split("\n\n")[0],
)
def retrain_sensor(context: dg.SensorEvaluationContext, lake: LakeResource, retrain_policy: RetrainPolicy):
    last_requests = json.loads(context.cursor) if context.cursor else {}
    now = time.time()
    requests, reasons = [], []
    for progress in data_progress(lake.lake()):
        go, reason = should_retrain(progress, retrain_policy, last_requests.get(progress.config), now)
        reasons.append(reason)
        if go:
            last_requests[progress.config] = now
            requests.append(dg.RunRequest(
                run_key=f"retrain:{progress.config}@seq:{progress.max_seq}", partition_key=progress.config,
                tags={"ringrift/new_samples": str(progress.new_samples),
                      "ringrift/trained_samples": str(progress.trained_samples)}))
    if not requests:
        return dg.SkipReason("; ".join(reasons) or "no consolidated games yet")
    context.log.info("; ".join(reasons))
    return dg.SensorResult(run_requests=requests, cursor=json.dumps(last_requests))
