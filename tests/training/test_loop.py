"""The fit loop on learnable synthetic shards: it learns, schedules the LR, and stops early."""
from __future__ import annotations

import math

import pytest

from training.loop import FitSettings, fit, lr_at
from training.model import architecture_for, build_model
from training.shards import ShardSet
from conftest import GLOBAL_SIZE, PLANES_CHW, POLICY_SIZE, SPATIAL_PLANES


def tiny_model(num_players=2):
    return build_model(architecture_for("square8", num_players, PLANES_CHW, GLOBAL_SIZE, POLICY_SIZE,
                                        SPATIAL_PLANES, channels=16, blocks=2))


def test_lr_warms_up_linearly_then_decays_by_cosine_to_the_floor():
    s = FitSettings(lr=1e-3, warmup_steps=10, lr_min_ratio=0.1)
    assert lr_at(0, 110, s) == pytest.approx(1e-4)
    assert lr_at(9, 110, s) == pytest.approx(1e-3)
    assert lr_at(60, 110, s) == pytest.approx(1e-4 + 0.5 * 9e-4 * (1 + math.cos(math.pi * 0.5)))
    assert lr_at(110, 110, s) == pytest.approx(1e-4)


def test_fit_learns_policy_and_value_on_held_out_games(learnable_shards):
    shards = ShardSet(learnable_shards, val_fraction=0.2)
    model = tiny_model()
    logs = []
    metrics = fit(model, shards, FitSettings(epochs=8, batch_size=64, lr=3e-3, warmup_steps=10, log=logs.append))
    first = metrics["history"][0]
    assert metrics["val_policy_accuracy"] > 0.9                  # chance is 1/64 of the hot cells
    assert metrics["val_value_loss"] < 0.5                       # predicting 0 scores 1.0
    assert metrics["val_loss"] < first["val_loss"] / 3
    assert metrics["samples_per_s"] > 0 and metrics["device"] == "cpu"
    assert len(logs) == metrics["epochs_run"] == 8
    assert not model.training


def test_early_stopping_restores_the_best_epoch(learnable_shards):
    shards = ShardSet(learnable_shards, val_fraction=0.2)
    metrics = fit(tiny_model(), shards, FitSettings(epochs=20, batch_size=64, lr=0.0, warmup_steps=1, patience=2,
                                                    log=lambda line: None))
    assert metrics["stopped_early"] and metrics["epochs_run"] == 3 and metrics["best_epoch"] == 1


def test_max_steps_caps_the_run(learnable_shards):
    shards = ShardSet(learnable_shards, val_fraction=0.2)
    metrics = fit(tiny_model(), shards, FitSettings(epochs=5, batch_size=64, max_steps=7, log=lambda line: None))
    assert metrics["steps"] == 7 and metrics["epochs_run"] == 1


def test_no_validation_games_is_an_error(tmp_path):
    from conftest import write_learnable_shard
    shards = ShardSet([write_learnable_shard(tmp_path / "one.npz", 50, 0, 0, games_per_shard=1)], val_fraction=0.0)
    with pytest.raises(ValueError, match="no validation samples"):
        fit(tiny_model(), shards, FitSettings(epochs=1, log=lambda line: None))
