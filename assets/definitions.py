"""The RingRift Lake code location: one Definitions per domain folder, merged, plus the resources."""
import dagster as dg

from assets import evaluate, export, generations, ingest, maintenance, quality, scheduler, selfplay, train
from assets.resources import default_resources

DOMAINS = (selfplay, ingest, quality, export, train, evaluate, generations, maintenance, scheduler)

defs = dg.Definitions.merge(*(domain.defs for domain in DOMAINS), dg.Definitions(resources=default_resources()))
