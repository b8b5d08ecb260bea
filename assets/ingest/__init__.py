"""Ingest: consolidate `raw_games` into `games`, `moves` and `quarantine`; the sensor that notices new raw games."""
import dagster as dg

from assets.ingest.consolidate import consolidate, consolidate_job
from assets.ingest.raw_games_sensor import raw_games_sensor

defs = dg.Definitions(assets=[consolidate], jobs=[consolidate_job], sensors=[raw_games_sensor])
