"""`candidate_model`: train a network on the config's newest dataset and register it as a candidate.

Training runs through Dagster Pipes (`python -m training.pipes_train`), as a
subprocess or as a pod on a GPU node (`assets/launchers.py`, by
configuration), which streams its logs and reports the model id,
losses and checkpoint back. A 3/4-player config without a network champion
starts from its board's 2-player champion (`ringrift_lake.lineage`), which
the model records as its parent. The asset sits in the concurrency pool `gpu`
(one training at a time across all runs); the device is CUDA when present.
"""
import dagster as dg

from assets.launchers import TrainLauncher
from assets.partitions import configs
from assets.resources import LakeResource, TrainResource
from ringrift_lake.knobs import to_dict
from training.pipes_train import EXTRAS_KEY

GPU_POOL = "gpu"


@dg.asset(
    partitions_def=configs,
    group_name="train",
    deps=["training_dataset"],
    pool=GPU_POOL,
    kinds={"pytorch"},
    description=__doc__.split("\n\n")[0],
)
def candidate_model(context: dg.AssetExecutionContext, lake: LakeResource, train: TrainResource,
                    train_launcher: TrainLauncher):
    from ringrift_lake.lineage import transfer_source

    config = context.partition_key
    source = transfer_source(lake.lake(), config) if train.transfer else None
    more = {"init": source, "channels": None, "blocks": None} if source else {}
    if source:
        context.log.info(f"{config}: no network champion yet; starting from the 2-player champion {source}")
    extras = {EXTRAS_KEY: to_dict(train.settings(config, **more))}
    invocation = train_launcher.run(context, extras, lake.subprocess_env())
    result = invocation.get_materialize_result()
    return result._replace(metadata={**(result.metadata or {}), "transfer_from": source or "none"})


retrain_job = dg.define_asset_job(
    "retrain_job",
    selection=dg.AssetSelection.checks_for_assets("games", "moves")
    | dg.AssetSelection.assets("training_dataset", "candidate_model")
    | dg.AssetSelection.checks_for_assets("training_dataset"),
    tags={"ringrift/gpu": "train"},
    description="Quality checks (blocking) -> export a fresh dataset -> train a candidate.",
)
