"""The fit loop on learnable synthetic shards: it learns, schedules the LR, and stops early.

The synthetic rule is not symmetric (seat 1 wins when the hot cell is in the top half), so the
learning checks train without symmetry augmentation (`augment="off"`); augmentation has its own tests."""
from __future__ import annotations

import math

import pytest

import numpy as np
import torch

from training.loop import FitSettings, fit, legal_logits, losses, lr_at, to_tensors
from training.model import architecture_for, build_model
from training.shards import ShardSet
from shard_files import GLOBAL_SIZE, PLANES_CHW, POLICY_SIZE, SPATIAL_PLANES, write_learnable_shard


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
    settings = FitSettings(epochs=8, batch_size=64, lr=3e-3, warmup_steps=10, augment="off")
    metrics = fit(model, shards, settings, log=logs.append)
    first = metrics["history"][0]
    assert metrics["val_policy_accuracy"] > 0.9                  # chance is 1/64 of the hot cells
    assert metrics["val_value_loss"] < 0.5                       # predicting 0 scores 1.0
    assert metrics["val_loss"] < first["val_loss"] / 3
    assert metrics["samples_per_s"] > 0 and metrics["device"] == "cpu"
    assert len(logs) == metrics["epochs_run"] == 8
    assert not model.training


def test_early_stopping_restores_the_best_epoch(learnable_shards):
    shards = ShardSet(learnable_shards, val_fraction=0.2)
    settings = FitSettings(epochs=20, batch_size=64, lr=0.0, warmup_steps=1, patience=2)
    metrics = fit(tiny_model(), shards, settings, log=lambda line: None)
    assert metrics["stopped_early"] and metrics["epochs_run"] == 3 and metrics["best_epoch"] == 1


def test_max_steps_caps_the_run(learnable_shards):
    shards = ShardSet(learnable_shards, val_fraction=0.2)
    metrics = fit(tiny_model(), shards, FitSettings(epochs=5, batch_size=64, max_steps=7), log=lambda line: None)
    assert metrics["steps"] == 7 and metrics["epochs_run"] == 1


def test_no_validation_games_is_an_error(tmp_path):
    from shard_files import write_learnable_shard
    shards = ShardSet([write_learnable_shard(tmp_path / "one.npz", 50, 0, 0, games_per_shard=1)], val_fraction=0.0)
    with pytest.raises(ValueError, match="no validation samples"):
        fit(tiny_model(), shards, FitSettings(epochs=1), log=lambda line: None)


def test_policy_loss_is_a_softmax_over_each_samples_legal_moves(tmp_path):
    paths = [write_learnable_shard(tmp_path / "plain.npz", 40, 0, 0, soft=True),
             write_learnable_shard(tmp_path / "legal.npz", 40, 50, 1, soft=True, legal=True)]
    batch = ShardSet(paths, val_fraction=0.2).gather(np.array([3, 5, (1 << 40) | 1, (1 << 40) | 6]))
    t = to_tensors(batch, pin=False)
    torch.manual_seed(0)
    logits_bp = torch.randn(batch.size, POLICY_SIZE, dtype=torch.float64)
    masked_bp = legal_logits(logits_bp, t)
    for row in range(batch.size):
        if batch.legal_known_b[row]:
            legal = batch.legal_index_l[batch.legal_row_l == row]
            assert torch.isinf(masked_bp[row]).sum() == POLICY_SIZE - len(legal)
            assert torch.equal(masked_bp[row, legal], logits_bp[row, legal])
        else:
            assert torch.equal(masked_bp[row], logits_bp[row])      # no legal list: the whole space
    model = tiny_model()
    model.eval()
    policy, _, _ = losses(model, t, torch.device("cpu"), None, False)
    with torch.no_grad():
        logits = model(torch.from_numpy(batch.planes_float32()), t["globals"])[0].double()
    expected = 0.0
    for row in range(batch.size):
        support = batch.legal_index_l[batch.legal_row_l == row] if batch.legal_known_b[row] else np.arange(POLICY_SIZE)
        logp = torch.log_softmax(logits[row, support], dim=0)
        for index, prob in zip(batch.target_index_k[batch.target_row_k == row], batch.target_prob_k[batch.target_row_k == row]):
            expected -= prob * logp[list(support).index(index)]
    assert policy.item() == pytest.approx(expected.item() / batch.size, rel=1e-5)


def test_fit_with_legal_moves_learns_and_a_forced_move_costs_nothing(tmp_path):
    paths = [write_learnable_shard(tmp_path / f"l{i}.npz", 600, 100 * i, i, games_per_shard=30, legal=True)
             for i in range(2)]
    shards = ShardSet(paths, val_fraction=0.2)
    settings = FitSettings(epochs=4, batch_size=64, lr=3e-3, warmup_steps=10, augment="off")
    metrics = fit(tiny_model(), shards, settings, log=lambda line: None)
    assert metrics["val_policy_accuracy"] > 0.9
    batch = shards.gather(shards.val_refs[:8])
    t = to_tensors(batch, pin=False)
    t["legal_row"], t["legal_index"] = torch.arange(8), t["index"].clone()          # one legal move: the target
    policy, _, hits = losses(tiny_model(), t, torch.device("cpu"), None, False)
    assert policy.item() == 0.0 and hits.item() == 8
