"""Training-data export: a window of consolidated games -> uncompressed .npz shards + a `datasets` row.

`export_dataset(lake, config, Window(...))` writes a dataset, `rebuild_dataset(lake, dataset_id)`
re-encodes it from the recorded Delta versions and compares bytes, `verify_dataset(lake, config)`
lists what is wrong with the newest dataset of a config.
"""
from ringrift_lake.export.run import ExportStats, export_dataset, rebuild_dataset, verify_dataset
from ringrift_lake.export.select import SelectionError, Window

__all__ = ["ExportStats", "SelectionError", "Window", "export_dataset", "rebuild_dataset", "verify_dataset"]
