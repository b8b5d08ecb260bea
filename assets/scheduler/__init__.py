"""Scheduler: the selfplay allocation sensor and the assets its decisions and the fleet show on."""
import dagster as dg

from assets.scheduler.sensor import fleet_workers, selfplay_allocation, selfplay_scheduler

defs = dg.Definitions(assets=[selfplay_allocation, fleet_workers], sensors=[selfplay_scheduler])
