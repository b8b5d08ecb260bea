"""The lake's SQL quality checks (`ringrift_lake.checks`) as asset checks on `games` and `moves`.

Each check is one DuckDB query returning the offending rows (empty = pass);
here it is evaluated for one config partition (its rows filtered on
`config`). Blocking checks are blocking asset checks: in a run that also
exports or trains, a failure stops everything downstream. Warnings (win
balance, game length) only report.
"""
import dataclasses
import json

import dagster as dg

from assets.partitions import configs
from assets.resources import LakeResource
from ringrift_lake.checks import BLOCKING, CHECKS, Check, run_check

# Checks whose offending rows are moves rows; the others are about games.
ON_MOVES = {"moves_numbered", "mover_is_seat", "no_orphan_moves"}


def checked_asset(check: Check) -> str:
    return "moves" if check.name in ON_MOVES else "games"


def for_config(check: Check, config: str) -> Check:
    """The same check restricted to one config's offending rows."""
    quoted = config.replace("'", "''")
    return dataclasses.replace(check, sql=f"SELECT * FROM ({check.sql}) AS c WHERE c.config = '{quoted}'")


def _spec(check: Check) -> dg.AssetCheckSpec:
    return dg.AssetCheckSpec(check.name, asset=checked_asset(check), blocking=check.severity == BLOCKING,
                             description=check.description, partitions_def=configs)


def _jsonable(rows: list[dict]) -> list[dict]:
    return json.loads(json.dumps(rows, default=str))


@dg.multi_asset_check(specs=[_spec(c) for c in CHECKS], can_subset=True, name="quality_checks",
                      description=__doc__.split("\n\n")[0])
def quality_checks(context: dg.AssetCheckExecutionContext, lake: LakeResource):
    from ringrift_lake.query import connect

    config = context.partition_key
    selected = {key.name for key in context.selected_asset_check_keys}
    con = connect(lake.lake())
    try:
        for check in CHECKS:
            if check.name not in selected:
                continue
            result = run_check(con, for_config(check, config), sample_rows=5)
            severity = dg.AssetCheckSeverity.ERROR if check.severity == BLOCKING else dg.AssetCheckSeverity.WARN
            sample = _jsonable(result.sample.to_pylist()) if result.sample is not None else []
            yield dg.AssetCheckResult(
                check_name=check.name, asset_key=checked_asset(check), passed=result.passed, severity=severity,
                metadata={"offending_rows": result.count, "config": config, "error": result.error or "",
                          "seconds": round(result.seconds, 3), "sample": dg.MetadataValue.json(sample),
                          "sql": dg.MetadataValue.md(f"```sql\n{check.sql.strip()}\n```")})
    finally:
        con.close()
