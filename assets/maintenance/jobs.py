"""The maintenance job: `ringrift_lake.maintenance.maintain` over every table, nightly."""
import os

import dagster as dg

from assets.resources import LakeResource
from ringrift_lake.maintenance import SAFE_RETENTION_HOURS, maintain


class MaintenanceConfig(dg.Config):
    retention_hours: int = SAFE_RETENTION_HOURS
    vacuum: bool = True
    tables: list[str] = []


@dg.op(tags={"ringrift/maintenance": "lake"})
def maintain_lake(context: dg.OpExecutionContext, config: MaintenanceConfig, lake: LakeResource) -> None:
    """Compacts small files, checkpoints the Delta logs and vacuums files older than the retention."""
    reports = maintain(lake.lake(), config.tables or None, retention_hours=config.retention_hours,
                       vacuum=config.vacuum)
    rows = [r for r in reports if not r.skipped]
    for r in rows:
        context.log.info(f"{r.table}: v{r.version_before} -> v{r.version_after}, files {r.files_before} -> "
                         f"{r.files_after}, vacuumed {r.vacuumed}")
    table = "\n".join(f"| {r.table} | {r.version_before} → {r.version_after} | {r.files_before} → {r.files_after} "
                      f"| {r.vacuumed} | {r.seconds} |" for r in rows)
    context.add_output_metadata({
        "tables": len(rows),
        "files_removed_by_compaction": sum(r.files_removed for r in rows),
        "files_vacuumed": sum(r.vacuumed for r in rows),
        "per_table": dg.MetadataValue.json([r.as_dict() for r in reports]),
        "report": dg.MetadataValue.md("| table | version | live files | vacuumed | s |\n|---|---|---|---|---|\n"
                                      + table),
    })


@dg.job(tags={"ringrift/maintenance": "lake"}, description="Compact, checkpoint and vacuum every lake table.")
def lake_maintenance_job():
    maintain_lake()


lake_maintenance_schedule = dg.ScheduleDefinition(
    job=lake_maintenance_job,
    cron_schedule=os.environ.get("RINGRIFT_MAINTENANCE_CRON", "17 3 * * *"),
    execution_timezone="UTC",
    default_status=dg.DefaultScheduleStatus.RUNNING,
    description="Nightly lake maintenance (vacuum keeps 168 h of history).",
)
