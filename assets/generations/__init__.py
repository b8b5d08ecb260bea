"""Generations: the loop that gets stronger (one asset per generation run) and the sensor that keeps it going."""
import dagster as dg

from assets.generations.generation import generation, generation_job
from assets.generations.sensor import generation_sensor

defs = dg.Definitions(assets=[generation], jobs=[generation_job], sensors=[generation_sensor])
