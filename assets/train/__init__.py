"""Train: the candidate model (Dagster Pipes subprocess, GPU pool), the retrain job and its sensor."""
import dagster as dg

from assets.train.candidate import candidate_model, retrain_job
from assets.train.retrain_sensor import retrain_sensor

defs = dg.Definitions(assets=[candidate_model], jobs=[retrain_job], sensors=[retrain_sensor])
