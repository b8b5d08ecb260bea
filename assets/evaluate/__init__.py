"""Evaluate: gauntlet matches of a candidate, the Elo snapshot, the champion decision; the candidate sensor."""
import dagster as dg

from assets.evaluate.assets import champion, elo_snapshot, evaluate_job, gauntlet_matches
from assets.evaluate.candidate_sensor import candidate_sensor

defs = dg.Definitions(assets=[gauntlet_matches, elo_snapshot, champion], jobs=[evaluate_job],
                      sensors=[candidate_sensor])
