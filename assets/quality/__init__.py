"""Quality: the lake's SQL quality checks as Dagster asset checks (blocking where they gate export and training)."""
import dagster as dg

from assets.quality.checks import quality_checks

defs = dg.Definitions(asset_checks=[quality_checks])
