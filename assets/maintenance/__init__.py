"""Lake maintenance: a job and its nightly schedule (compact, checkpoint, vacuum)."""
import dagster as dg

from assets.maintenance.jobs import lake_maintenance_job, lake_maintenance_schedule

defs = dg.Definitions(jobs=[lake_maintenance_job], schedules=[lake_maintenance_schedule])
