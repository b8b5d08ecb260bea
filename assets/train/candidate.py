"""`candidate_model`: train a network on the config's newest dataset and register it as a candidate.

Training runs as a subprocess through Dagster Pipes (`python -m
training.pipes_train`), which streams its logs and reports the model id,
losses and checkpoint back. The asset sits in the concurrency pool `gpu`
(one training at a time across all runs); the device is CUDA when present.
"""
import sys

import dagster as dg

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
                    pipes: dg.PipesSubprocessClient):
    extras = {EXTRAS_KEY: to_dict(train.settings(context.partition_key))}
    invocation = pipes.run(command=[sys.executable, "-m", "training.pipes_train"], context=context,
                           extras=extras, env=lake.subprocess_env())
    return invocation.get_materialize_result()


retrain_job = dg.define_asset_job(
    "retrain_job",
    selection=dg.AssetSelection.checks_for_assets("games", "moves")
    | dg.AssetSelection.assets("training_dataset", "candidate_model")
    | dg.AssetSelection.checks_for_assets("training_dataset"),
    tags={"ringrift/gpu": "train"},
    description="Quality checks (blocking) -> export a fresh dataset -> train a candidate.",
)
