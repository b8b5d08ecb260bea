"""Export: the training dataset of a config (window of games -> encoded shards + a `datasets` row)."""
import dagster as dg

from assets.export.dataset import training_dataset, training_dataset_check

defs = dg.Definitions(assets=[training_dataset], asset_checks=[training_dataset_check])
