"""`games`, `moves`, `quarantine`: one consolidation of a config's new raw games.

Deduplicates by game_id, replays every game in the engine (strict for our
own games, legacy for imports), writes valid games and their moves, and
quarantines the rest with a reason code. Idempotent: running it again with
nothing new changes nothing. Safe under any concurrency by the table protocol
itself (every commit lands on the version its rows were checked against, see
`ringrift_lake.consolidate.run`), so CLI runs, other machines and other Dagster
instances may consolidate at the same time; the op's pool `consolidate`
(`dagster_home/dagster.yaml`) only limits the load on one instance.
"""
import dagster as dg

from assets.lake_info import config_rows, versions
from assets.partitions import configs
from assets.resources import LakeResource


class ConsolidateConfig(dg.Config):
    workers: int = 0        # replay processes (0 = one per CPU core)


GAMES = dg.AssetKey("games")
MOVES = dg.AssetKey("moves")
QUARANTINE = dg.AssetKey("quarantine")


@dg.multi_asset(
    name="consolidate",
    partitions_def=configs,
    group_name="ingest",
    specs=[
        dg.AssetSpec(GAMES, deps=["raw_games"], kinds={"deltalake"},
                     description="Consolidated, replay-validated games (unique game_id)."),
        dg.AssetSpec(MOVES, deps=["raw_games"], kinds={"deltalake"},
                     description="One row per move of a consolidated game."),
        dg.AssetSpec(QUARANTINE, deps=["raw_games"], kinds={"deltalake"},
                     description="Rejected raw games with a reason code and the raw payload."),
    ],
    description=__doc__.split("\n\n")[0],
    pool="consolidate",
)
def consolidate(context: dg.AssetExecutionContext, config: ConsolidateConfig, lake: LakeResource):
    from ringrift_lake.consolidate import consolidate as consolidate_configs

    cfg = context.partition_key
    the_lake = lake.lake()
    report = consolidate_configs(the_lake, configs=[cfg], workers=config.workers or None)
    context.log.info(f"{cfg}:\n{report.render()}")
    v = report.versions or versions(the_lake, "games", "moves", "quarantine")
    common = {"raw_games_version": report.raw_version, "raw_files_read": report.files_read,
              "raw_games_read": report.games_read, "consolidation_id": report.run_id,
              "seconds": round(report.seconds, 2)}
    yield dg.MaterializeResult(asset_key=GAMES, data_version=dg.DataVersion(str(v["games"])), metadata={
        **common, "games_added": report.games_added, "duplicates_skipped": report.duplicates_skipped,
        "replayed": report.replayed, "games_version": v["games"],
        "config_games": config_rows(the_lake, "games", cfg)})
    yield dg.MaterializeResult(asset_key=MOVES, data_version=dg.DataVersion(str(v["moves"])), metadata={
        **common, "moves_added": report.moves_added, "moves_version": v["moves"],
        "config_moves": config_rows(the_lake, "moves", cfg)})
    yield dg.MaterializeResult(asset_key=QUARANTINE, data_version=dg.DataVersion(str(v["quarantine"])), metadata={
        **common, "quarantined": report.quarantined_total, "quarantine_version": v["quarantine"],
        "reasons": dg.MetadataValue.json(report.quarantined),
        "config_quarantined": config_rows(the_lake, "quarantine", cfg)})


consolidate_job = dg.define_asset_job(
    "consolidate_job",
    selection=dg.AssetSelection.assets(GAMES, MOVES, QUARANTINE)
    | dg.AssetSelection.checks_for_assets(GAMES, MOVES, QUARANTINE),
    description="Consolidate a config's new raw games, then run the quality checks.",
)
