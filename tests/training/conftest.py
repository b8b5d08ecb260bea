"""Fixtures for the training tests: real shard files in the contract's format, written to tmp_path."""
from __future__ import annotations

import pytest
import torch

from shard_files import write_learnable_shard

torch.set_num_threads(1)


@pytest.fixture
def learnable_shards(tmp_path):
    return [write_learnable_shard(tmp_path / f"shard-{i}.npz", 600, first_game=100 * i, seed=i,
                                  games_per_shard=30) for i in range(3)]
