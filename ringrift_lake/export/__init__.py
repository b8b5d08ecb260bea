"""Training-data export: a window of consolidated games -> uncompressed .npz shards + a `datasets` row.

`export_dataset(lake, config, Window(...))` writes a dataset, `rebuild_dataset(lake, dataset_id)`
re-encodes it from the recorded Delta versions and compares bytes, `verify_dataset(lake, config)`
lists what is wrong with the newest dataset of a config.

The names are loaded on first use, so a worker process that only encodes shards
(`ringrift_lake.export.shards`) does not import delta-rs or DuckDB.
"""
from importlib import import_module

_WHERE = {
    "ExportStats": "run", "export_dataset": "run", "rebuild_dataset": "run", "verify_dataset": "run",
    "RebuildReport": "run", "SelectionError": "select", "Window": "select",
}
__all__ = sorted(_WHERE)


def __getattr__(name: str):
    if name not in _WHERE:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(import_module(f"{__name__}.{_WHERE[name]}"), name)
