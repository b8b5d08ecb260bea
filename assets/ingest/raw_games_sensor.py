"""New commits in `raw_games` -> observe them and consolidate the configs they touched.

The cursor keeps the last seen Delta version and the live row count per
config. When the version moves, the configs whose count grew get an
observation of `raw_games` (data version = the new Delta version) and a
consolidation run. Maintenance commits (compaction) move the version but not
the counts, so they trigger nothing.
"""
import json
import os

import dagster as dg

from assets.ingest.consolidate import consolidate_job
from assets.lake_info import rows_per_config
from assets.resources import LakeResource

INTERVAL_S = int(os.environ.get("RINGRIFT_SENSOR_INTERVAL_S") or 30)


def changed_configs(previous: dict[str, int], current: dict[str, int]) -> list[str]:
    return sorted(c for c, n in current.items() if n > previous.get(c, 0))


@dg.sensor(
    job=consolidate_job,
    minimum_interval_seconds=INTERVAL_S,
    default_status=dg.DefaultSensorStatus.RUNNING,
    description=__doc__.split("\n\n")[0],
)
def raw_games_sensor(context: dg.SensorEvaluationContext, lake: LakeResource):
    state = json.loads(context.cursor) if context.cursor else {"version": None, "counts": {}}
    version, counts = rows_per_config(lake.lake(), "raw_games")
    if version is None:
        return dg.SkipReason("raw_games does not exist yet")
    if version == state["version"]:
        return dg.SkipReason(f"raw_games still at v{version}")
    changed = changed_configs(state["counts"], counts)
    new_cursor = json.dumps({"version": version, "counts": counts})
    if not changed:
        return dg.SensorResult(skip_reason=f"raw_games v{version}: no config gained rows", cursor=new_cursor)
    observations = [
        dg.AssetObservation(
            "raw_games", partition=config, tags={"dagster/data_version": str(version)},
            metadata={"raw_games_version": version, "config_rows": counts[config],
                      "new_rows": counts[config] - state["counts"].get(config, 0)})
        for config in changed
    ]
    requests = [dg.RunRequest(run_key=f"consolidate:{config}@raw_games:{version}", partition_key=config,
                              tags={"ringrift/raw_games_version": str(version)})
                for config in changed]
    return dg.SensorResult(run_requests=requests, asset_events=observations, cursor=new_cursor)
