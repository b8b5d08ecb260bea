"""Selfplay: Dagster's own selfplay batches into `raw_games` (workers outside Dagster append there too)."""
import dagster as dg

from assets.selfplay.raw_games import raw_games, selfplay_job

defs = dg.Definitions(assets=[raw_games], jobs=[selfplay_job])
