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
from dataclasses import dataclass

import dagster as dg

from assets.resources import LakeResource, RetrainPolicy
from assets.train.candidate import retrain_job

INTERVAL_S = int(os.environ.get("RINGRIFT_SENSOR_INTERVAL_S") or 30)

PROGRESS_SQL = """
WITH champion AS (
    SELECT m.config, d.min_ingest_seq AS lo, d.max_ingest_seq AS hi
    FROM models m JOIN datasets d ON d.dataset_id = m.dataset_id
    WHERE m.status = 'champion'
), trained AS (
    SELECT m.config, max(d.max_ingest_seq) AS last_seq,
           count(*) FILTER (WHERE m.status = 'candidate' AND m.decision IS NULL) AS pending
    FROM models m LEFT JOIN datasets d ON d.dataset_id = m.dataset_id
    GROUP BY m.config
)
SELECT g.config,
       coalesce(sum(g.num_moves) FILTER (WHERE g.ingest_seq > coalesce(t.last_seq, -1)), 0) AS new_samples,
       coalesce(sum(g.num_moves) FILTER (WHERE g.ingest_seq BETWEEN c.lo AND c.hi), 0) AS trained_samples,
       coalesce(max(t.pending), 0) AS pending,
       max(g.ingest_seq) AS max_seq
FROM games g
LEFT JOIN champion c ON c.config = g.config
LEFT JOIN trained t ON t.config = g.config
GROUP BY g.config
ORDER BY g.config
"""


@dataclass(frozen=True)
class Progress:
    config: str
    new_samples: int
    trained_samples: int
    pending: int
    max_seq: int


def data_progress(lake) -> list[Progress]:
    from ringrift_lake.query import connect

    con = connect(lake)
    try:
        return [Progress(c, int(n), int(t), int(p), int(s)) for c, n, t, p, s in con.execute(PROGRESS_SQL).fetchall()]
    finally:
        con.close()


def should_retrain(p: Progress, policy: RetrainPolicy, last_request: float | None, now: float) -> tuple[bool, str]:
    """The retrain rule (module docstring) with the reason for the answer."""
    need = max(policy.min_samples, policy.ratio * p.trained_samples)
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
