"""`python -m training.pipes_train` run by Dagster's PipesSubprocessClient, as the candidate_model asset does."""
from __future__ import annotations

import sys

import dagster as dg

from ringrift_lake import tables
from shard_files import write_encoder_shaped_shard

TINY = {"epochs": 1, "channels": 8, "blocks": 1, "batch_size": 64, "warmup_steps": 2, "val_fraction": 0.2,
        "device": "cpu", "max_steps": None}


def train_extras(**settings) -> dict:
    return {"train_settings": {**TINY, **settings}}


def pipes_asset(extras: dict, env: dict):
    @dg.asset(name="trained_model")
    def trained_model(context, pipes: dg.PipesSubprocessClient):
        return pipes.run(command=[sys.executable, "-m", "training.pipes_train"], context=context,
                         extras=extras, env=env).get_materialize_result()

    return trained_model


def test_pipes_training_reports_the_model_and_registers_it(local_lake, lake_env, tmp_path):
    shards = [write_encoder_shaped_shard(tmp_path / f"s{i}.npz", "square8", 200, 1000 * i, i)["uri"] for i in range(2)]
    extras = train_extras(config="square8_2p", shards=shards)
    result = dg.materialize([pipes_asset(extras, lake_env)], resources={"pipes": dg.PipesSubprocessClient()})
    assert result.success
    [materialization] = result.asset_materializations_for_node("trained_model")
    metadata = {k: v.value for k, v in materialization.metadata.items()}
    [row] = tables.read(local_lake, "models").to_pylist()
    assert metadata["model_id"] == row["model_id"] and row["status"] == "candidate"
    assert metadata["device"] == "cpu" and metadata["samples_per_s"] > 0
    assert metadata["val_loss"] > 0 and "train_loss" in metadata


def test_a_failed_training_fails_the_asset(local_lake, lake_env):
    extras = train_extras(config="square8_2p")          # the lake has no dataset for it
    result = dg.materialize([pipes_asset(extras, lake_env)], resources={"pipes": dg.PipesSubprocessClient()},
                            raise_on_error=False)
    assert not result.success
    assert tables.read(local_lake, "models").num_rows == 0
