"""`selfplay_scheduler`: decide each config's share of selfplay, publish it, launch the batches due.

Every tick (RINGRIFT_SCHEDULER_INTERVAL_S, default 60 s) the sensor runs the allocation rule on the
lake's facts (`ringrift_lake.fleet`: Elo velocity, samples missing for the next retraining, games,
time since promotion, board cost; weights in the `scheduler` resource). A decision that moved some
share by `min_change`, or is older than `refresh_s`, is appended to `allocations`, where fleet workers
read it, and reported as an observation of `selfplay_allocation` (table, reasons, share-history plot).
With `batches_per_tick` > 0 it also launches that many `selfplay_job` runs per tick, spread over the
configs by batch share (stride scheduling, `ringrift_lake.fleet.scheduler.batches_due`: the floor holds
over time), holding a config while `max_in_flight` of its batches are queued or running. Each tick
also observes `fleet_workers` (who is alive, from the `workers` heartbeats).
"""
import base64
import json
import os
import time

import dagster as dg

from assets.resources import LakeResource, RetrainPolicy, SchedulerPolicy
from assets.selfplay.raw_games import selfplay_job

INTERVAL_S = int(os.environ.get("RINGRIFT_SCHEDULER_INTERVAL_S") or 60)
ACTIVE = (dg.DagsterRunStatus.QUEUED, dg.DagsterRunStatus.NOT_STARTED, dg.DagsterRunStatus.STARTING,
          dg.DagsterRunStatus.STARTED)

selfplay_allocation = dg.AssetSpec(
    "selfplay_allocation", group_name="scheduler", kinds={"deltalake"},
    description="Each config's share of selfplay time, decided by the scheduler (table `allocations`).")
fleet_workers = dg.AssetSpec(
    "fleet_workers", group_name="scheduler", kinds={"deltalake"},
    description="Fleet workers' heartbeats (table `workers`): alive, lost or stopped.")


def batches_in_flight(instance: dg.DagsterInstance) -> dict[str, int]:
    """Queued or running selfplay_job runs per config (partition)."""
    runs = instance.get_runs(filters=dg.RunsFilter(job_name=selfplay_job.name, statuses=list(ACTIVE)))
    counts: dict[str, int] = {}
    for run in runs:
        config = run.tags.get("dagster/partition")
        counts[config] = counts.get(config, 0) + 1
    return counts


def _changed(shares: dict[str, float], state: dict, policy: SchedulerPolicy, now: float) -> bool:
    old = state.get("shares") or {}
    if not old or set(old) != set(shares) or now - state.get("written_at", 0) >= policy.refresh_s:
        return True
    return max(abs(shares[c] - old[c]) for c in shares) >= policy.min_change


def _allocation_event(the_lake, allocation_id: str) -> dg.AssetObservation:
    from ringrift_lake.fleet.allocation_table import allocation_history, latest_allocation
    from ringrift_lake.fleet.report import allocation_markdown, share_history_png

    current = latest_allocation(the_lake)
    png = share_history_png(allocation_history(the_lake))
    return dg.AssetObservation("selfplay_allocation", metadata={
        "allocation_id": allocation_id,
        "shares": dg.MetadataValue.json({c: round(r["share"], 4) for c, r in current.items()}),
        "allocation": dg.MetadataValue.md(allocation_markdown(current)),
        "share_history": dg.MetadataValue.md(f"![share history](data:image/png;base64,{base64.b64encode(png).decode()})"),
    })


def _workers_event(the_lake, stale_after_s: float) -> dg.AssetObservation:
    from ringrift_lake.fleet.heartbeat import worker_states
    from ringrift_lake.fleet.report import workers_markdown

    states = worker_states(the_lake, stale_after_s)
    alive = [s for s in states if s["state"] == "alive"]
    return dg.AssetObservation("fleet_workers", metadata={
        "alive": len(alive), "lost": sum(s["state"] == "lost" for s in states),
        "games_per_s": round(sum(s["games_per_s"] for s in alive), 3),
        "workers": dg.MetadataValue.md(workers_markdown(states))})


@dg.sensor(job=selfplay_job, minimum_interval_seconds=INTERVAL_S, default_status=dg.DefaultSensorStatus.RUNNING,
           description=__doc__.split("\n\n")[0])
def selfplay_scheduler(context: dg.SensorEvaluationContext, lake: LakeResource, scheduler: SchedulerPolicy,
                       retrain_policy: RetrainPolicy):
    from ringrift_lake.fleet.allocation_table import write_allocation
    from ringrift_lake.fleet.scheduler import batches_due, decide

    state = json.loads(context.cursor) if context.cursor else {}
    the_lake, rule, now = lake.lake(), scheduler.rule(), time.time()
    decided = decide(the_lake, rule, scheduler.config_list(), retrain_policy.ratio, retrain_policy.min_samples)
    shares = {s.config: round(s.share, 6) for s in decided}
    events = []
    if _changed(shares, state, scheduler, now):
        state.update(allocation_id=write_allocation(the_lake, decided, rule), shares=shares, written_at=now)
        events.append(_allocation_event(the_lake, state["allocation_id"]))
    events.append(_workers_event(the_lake, stale_after_s=max(4 * INTERVAL_S, 120)))
    in_flight = batches_in_flight(context.instance) if scheduler.batches_per_tick else {}
    held = {c for c, n in in_flight.items() if n >= scheduler.max_in_flight}
    launch, state["credits"] = batches_due(state.get("credits", {}), {s.config: s.batch_share for s in decided},
                                           scheduler.batches_per_tick, held)
    tick = state["tick"] = state.get("tick", 0) + 1
    requests = [dg.RunRequest(run_key=f"selfplay:{config}:tick{tick}:{k}", partition_key=config,
                              tags={"ringrift/allocation": state["allocation_id"],
                                    "ringrift/share": f"{shares[config]:.4f}"})
                for config, n in sorted(launch.items()) for k in range(n)]
    context.log.info(f"allocation {state['allocation_id']}: " + ", ".join(
        f"{c} {100 * v:.1f}%" for c, v in sorted(shares.items(), key=lambda kv: -kv[1]))
        + (f"; launching {dict(launch)}" if launch else "") + (f"; held {sorted(held)}" if held else ""))
    return dg.SensorResult(run_requests=requests, asset_events=events, cursor=json.dumps(state))
