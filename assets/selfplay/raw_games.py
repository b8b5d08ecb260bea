"""`raw_games`: the Delta table every game lands in first.

Materializing a partition plays one selfplay batch of that config and appends
it, with the configured player (`heuristic`, `champion`, `gumbel64:champion`...)
through the game runner `training.play`, networks on CUDA when the run's machine
has one. Selfplay workers outside Dagster (`ringrift-lake selfplay`) append too;
the ingest sensor reports those commits as observations of this asset, so its
data version is always the Delta version of the table when the config's games
last changed.
"""
import hashlib
from dataclasses import replace

import dagster as dg

from assets.lake_info import config_rows
from assets.partitions import configs
from assets.resources import LakeResource, SelfplayResource
from ringrift_lake import tables


def seed_for(run_id: str, config: str) -> int:
    """A stable 48-bit seed per (run, config): a retried run skips the games it already committed."""
    return int.from_bytes(hashlib.sha256(f"{run_id}/{config}".encode()).digest()[:6], "big")


def _play(the_lake, config: str, selfplay: SelfplayResource, seed: int) -> dict:
    """One selfplay batch with the configured player; the figures the materialization reports."""
    from ringrift_lake.fleet.choice import selfplay_player
    from training.play import SELFPLAY_OPTIONS, run_selfplay

    player = selfplay_player(the_lake, config, selfplay.player, selfplay.fallback)
    options = replace(SELFPLAY_OPTIONS, device="auto", batch_games=selfplay.batch_games)
    report = run_selfplay(the_lake, config, selfplay.games, player=player, workers=selfplay.workers,
                          seed=seed, options=options, progress=False)
    players = sorted(set(report.results[0][1])) if report.results else [player]
    return {"player": ", ".join(players), "games_written": report.games_written,
            "games_present": report.games_present, "games_unfinished": report.games_unfinished,
            "moves_written": report.moves_written, "commits": report.commits, "version": report.table_version,
            "seconds": report.seconds}


@dg.asset(
    partitions_def=configs,
    group_name="selfplay",
    kinds={"deltalake", "python"},
    description=__doc__.split("\n\n")[0] + " A materialization is one selfplay batch.",
)
def raw_games(context: dg.AssetExecutionContext, lake: LakeResource, selfplay: SelfplayResource):
    config = context.partition_key
    the_lake = lake.lake()
    seed = seed_for(context.run.run_id, config)
    result = _play(the_lake, config, selfplay, seed)
    version = result["version"] if result["version"] is not None else tables.version(the_lake, "raw_games")
    context.log.info(f"{config}: {result['games_written']} games by {result['player']} appended to raw_games "
                     f"(v{version}) in {result['seconds']:.1f}s")
    return dg.MaterializeResult(
        data_version=dg.DataVersion(str(version)),
        metadata={
            "games_written": result["games_written"],
            "games_already_present": result["games_present"],
            "games_unfinished": result["games_unfinished"],
            "moves_written": result["moves_written"],
            "commits": result["commits"],
            "player": result["player"],
            "seed": seed,
            "raw_games_version": version,
            "config_rows": config_rows(the_lake, "raw_games", config),
            "games_per_s": round(result["games_written"] / max(result["seconds"], 1e-9), 2),
            "lake": the_lake.describe(),
        },
    )


selfplay_job = dg.define_asset_job(
    "selfplay_job", selection=[raw_games],
    description="One selfplay batch of a config, appended to raw_games.")
