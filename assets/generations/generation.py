"""`generation`: one generation of the loop that gets stronger, for one config (training.generations).

The same `run_generation` as `ringrift-lake loop`: the champion's search plays selfplay, the window
is exported, a candidate trains from the champion, plays the champion at the same budget and the
baselines, is promoted when significantly better, and is measured (held-out positions, Elo as search
and as raw policy). The materialization carries the generation's row, the whole generation table
and the Elo plot; the asset sits in the `gpu` pool (one training at a time).
"""
import base64
import json
import os
import tempfile

import dagster as dg

from assets.partitions import configs
from assets.resources import LakeResource, LoopResource

GPU_POOL = "gpu"


def _plot_markdown(rows: list, config: str) -> str:
    from training.generations.report import plot

    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "elo.png")
        plot(rows, path, f"{config}: Elo per generation")
        with open(path, "rb") as f:
            data = base64.b64encode(f.read()).decode()
    return f"![Elo per generation](data:image/png;base64,{data})"


@dg.asset(partitions_def=configs, group_name="generations", pool=GPU_POOL, kinds={"pytorch", "deltalake"},
          description=__doc__.split("\n\n")[0])
def generation(context: dg.AssetExecutionContext, lake: LakeResource, loop: LoopResource):
    from training.generations.heldout import ensure_heldout
    from training.generations.loop import previous_generations, run_generation
    from training.generations.report import generation_table, markdown

    settings = loop.settings(context.partition_key)
    the_lake = lake.lake()
    ensure_heldout(the_lake, settings.config, settings.heldout_player, settings.heldout_games,
                   workers=settings.workers, log=context.log.info)
    before = previous_generations(the_lake, settings.config)
    number = before[-1]["generation"] + 1 if before else 0
    threshold = before[-1]["resign_threshold"] if before else settings.resign_threshold
    row = run_generation(the_lake, settings, number, context.run.run_id, threshold, log=context.log.info)
    table = generation_table(the_lake, settings.config)
    return dg.MaterializeResult(
        data_version=dg.DataVersion(f"{settings.config}-gen{number}"),
        metadata={
            "generation": number, "model_id": row["model_id"], "parent_model_id": row["parent_model_id"] or "",
            "promoted": row["promoted"], "champion": row["champion"] or "",
            "selfplay_games": row["selfplay_games"], "selfplay_games_per_s": round(row["selfplay_games_per_s"], 3),
            "window_samples": row["window_samples"], "new_samples": row["new_samples"],
            "reuse_ratio": round(row["reuse_ratio"] or 0.0, 3), "resign_fp_rate": row["resign_fp_rate"],
            "heldout": dg.MetadataValue.json(json.loads(row["heldout"])),
            "elo": dg.MetadataValue.json(json.loads(row["elo"])),
            "stage_seconds": dg.MetadataValue.json(json.loads(row["stage_seconds"])),
            "generations": dg.MetadataValue.md(markdown(table)),
            "elo_plot": dg.MetadataValue.md(_plot_markdown(table, settings.config)),
        })


generation_job = dg.define_asset_job("generation_job", selection=[generation], partitions_def=configs,
                                     description="One generation of the loop for a config.")
