"""`training_dataset`: encode a window of a config's games into NPZ shards and record a `datasets` row.

Runs only after the blocking quality checks on `games` and `moves` passed in
the same run. The dataset records the exact Delta versions it was read from.
"""
import json

import dagster as dg

from assets.partitions import configs
from assets.resources import LakeResource


class ExportConfig(dg.Config):
    newest_samples: int = 0     # window: the newest games holding at least this many samples (0 = no limit)
    newest_games: int = 0       # or: the newest N games (0 = no limit)
    where: str = ""             # optional SQL predicate on ingest_seq, e.g. "ingest_seq > 1200"
    shard_samples: int = 0      # samples per shard (0 = the exporter's default)
    workers: int = 1            # encoder processes (1 = inside the run's process)


@dg.asset(
    partitions_def=configs,
    group_name="export",
    deps=["games", "moves"],
    kinds={"numpy", "deltalake"},
    description=__doc__.split("\n\n")[0],
)
def training_dataset(context: dg.AssetExecutionContext, config: ExportConfig, lake: LakeResource):
    from ringrift_lake.export import Window, export_dataset

    cfg = context.partition_key
    window = Window(newest_games=config.newest_games or None, newest_samples=config.newest_samples or None,
                    where=config.where or None)
    row = export_dataset(lake.lake(), cfg, window, workers=config.workers, shard_samples=config.shard_samples or None)
    shards = json.loads(row["shards"])
    context.log.info(f"{cfg}: dataset {row['dataset_id']} with {row['sample_count']} samples "
                     f"in {len(shards)} shards")
    return dg.MaterializeResult(
        data_version=dg.DataVersion(row["dataset_id"]),
        metadata={
            "dataset_id": row["dataset_id"],
            "samples": row["sample_count"],
            "games": row["game_count"],
            "shards": len(shards),
            "encoder_version": row["encoder_version"],
            "source_versions": dg.MetadataValue.json(json.loads(row["source_versions"])),
            "window": dg.MetadataValue.json(json.loads(row["window"])),
            "ingest_seq": f"{row['min_ingest_seq']}..{row['max_ingest_seq']}",
        },
    )


@dg.asset_check(asset=training_dataset, blocking=True, partitions_def=configs,
                description="The newest dataset of the config has samples and every shard it lists exists.")
def training_dataset_check(context: dg.AssetCheckExecutionContext, lake: LakeResource):
    from ringrift_lake.export import verify_dataset

    problems = verify_dataset(lake.lake(), context.partition_key)
    return dg.AssetCheckResult(passed=not problems, metadata={"problems": dg.MetadataValue.json(problems)})
