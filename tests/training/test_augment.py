"""Symmetry augmentation of training batches: every sample moves through one symmetry with its target and
legal moves, samples whose indices do not remap stay as they are, all symmetries get drawn, and a fit
with augmentation is reproducible whatever the number of loader threads."""
from __future__ import annotations

import numpy as np
import pytest
import torch

from ringrift_lake.encoding import encoder_for
from ringrift_lake.encoding.symmetry import board_symmetries
from training.augment import SymmetryAugment
from training.loop import FitSettings, fit
from training.model import architecture_for, build_model
from training.shards import ShardSet
from selfplay_data import selfplay_samples, write_shard


@pytest.fixture(scope="module", params=["square8", "hex8"])
def board_batch(request, tmp_path_factory):
    board = request.param
    samples = selfplay_samples(board, 2, 400, seed=5)
    n = len(samples["index"])
    path = write_shard(tmp_path_factory.mktemp(board) / "s.npz", samples, np.arange(n))
    shards = ShardSet([path], val_fraction=0.2)
    return board, shards, shards.gather(np.sort(shards.train_refs)[:256])


def rows_of(row, index, b):
    return sorted(index[row == b].tolist())


def test_each_sample_moves_with_its_target_and_legal_moves(board_batch):
    board, _, batch = board_batch
    augment, sym = SymmetryAugment(board), board_symmetries(board)
    k_b = augment.draw(batch, np.random.default_rng(1))
    out = augment.apply(batch, k_b)
    assert 0 < (k_b > 0).sum() < batch.size or sym.count == 1
    for b in range(batch.size):
        k = int(k_b[b])
        np.testing.assert_array_equal(out.planes_bchw[b], sym.transform_planes(batch.planes_bchw[b], k))
        targets = rows_of(out.target_row_k, out.target_index_k, b)
        assert targets == sorted(sym.index_maps[k][rows_of(batch.target_row_k, batch.target_index_k, b)].tolist())
        legal = set(rows_of(out.legal_row_l, out.legal_index_l, b))
        assert len(legal) == len(rows_of(batch.legal_row_l, batch.legal_index_l, b))   # no legal move lost
        assert set(targets) <= legal and min(legal) >= 0
        assert out.target_top_b[b] == sym.index_maps[k][batch.target_top_b[b]]
    np.testing.assert_array_equal(out.values_b4, batch.values_b4)
    np.testing.assert_array_equal(out.globals_bg, batch.globals_bg)
    assert not np.array_equal(out.planes_bchw, batch.planes_bchw)


def test_a_sample_with_an_unremapped_index_keeps_the_identity(board_batch):
    board, _, batch = board_batch
    augment = SymmetryAugment(board)
    maps = augment.index_maps_kp
    fixed = [b for b in range(batch.size)
             if (maps[1:, rows_of(batch.legal_row_l, batch.legal_index_l, b)] < 0).any()]
    free = [b for b in range(batch.size) if b not in fixed]
    seen = np.zeros((batch.size, augment.count), dtype=bool)
    for seed in range(60):
        k_b = augment.draw(batch, np.random.default_rng(seed))
        seen[np.arange(batch.size), k_b] = True
    assert not seen[fixed, 1:].any()
    assert seen[free].all()                 # every remappable sample is drawn in every symmetry
    assert len(free) > 0.8 * batch.size


def fitted(shards, board, loader_workers: int):
    space = encoder_for(board).action_space
    torch.manual_seed(0)
    model = build_model(architecture_for(board, 2, shards.planes_chw, shards.global_size, space.size,
                                         space.n_planes, channels=8, blocks=1))
    metrics = fit(model, shards, FitSettings(epochs=2, batch_size=64, lr=3e-3, warmup_steps=2, seed=3,
                                             augment="symmetries", loader_workers=loader_workers,
                                             device="cpu"), log=lambda line: None)
    return model, metrics


def test_an_augmented_fit_is_the_same_on_one_or_two_loader_threads(board_batch):
    board, shards, _ = board_batch
    one, metrics = fitted(shards, board, 1)
    two, _ = fitted(shards, board, 2)
    for (name, a), b in zip(one.state_dict().items(), two.state_dict().values()):
        torch.testing.assert_close(a, b, rtol=0, atol=0, msg=name)
    assert np.isfinite(metrics["val_loss"])
