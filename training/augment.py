"""Symmetry augmentation: each training sample seen through a random symmetry of its board.

    augment = SymmetryAugment("square8")
    batch_t = augment(batch, np.random.default_rng(seed))     # a new Batch; `batch` is unchanged

The planes, the policy target's indices (and its argmax) and the legal-move indices of a sample move
together through one symmetry (ringrift_lake.encoding.symmetry), the values and globals stay: the
transformed sample is the same position on a rotated or mirrored board. A sample with any target or
legal index that the symmetry does not remap (a line or territory choice) keeps the identity, so the
legal mask of every sample stays exact. Square boards have 8 symmetries, hex8 4, hexagonal 12: with
`--augment symmetries` a network learns from up to that many views of each searched position.
"""
from __future__ import annotations

from dataclasses import replace

import numpy as np

from ringrift_lake.encoding.symmetry import board_symmetries
from training.shards import Batch


class SymmetryAugment:
    def __init__(self, board_type: str):
        self.symmetries = board_symmetries(board_type)
        self.index_maps_kp = self.symmetries.index_maps                 # [K, policy size]: index or -1

    @property
    def count(self) -> int:
        return self.symmetries.count

    def draw(self, batch: Batch, rng: np.random.Generator) -> np.ndarray:
        """int64 [B]: each sample's symmetry, 0 where a drawn one would leave an index unmapped."""
        k_b = rng.integers(0, self.count, size=batch.size)
        unmapped_b = np.zeros(batch.size, dtype=bool)
        for row, index in ((batch.target_row_k, batch.target_index_k), (batch.legal_row_l, batch.legal_index_l)):
            unmapped_b[row[self.index_maps_kp[k_b[row], index] < 0]] = True
        k_b[unmapped_b] = 0
        return k_b

    def apply(self, batch: Batch, k_b: np.ndarray) -> Batch:
        """`batch` with sample b seen through symmetry k_b[b]."""
        maps = self.index_maps_kp
        has_top = batch.target_top_b >= 0
        top_b = batch.target_top_b.copy()
        top_b[has_top] = maps[k_b[has_top], batch.target_top_b[has_top]]
        return replace(batch, planes_bchw=self.symmetries.transform_planes_batch(batch.planes_bchw, k_b),
                       target_index_k=maps[k_b[batch.target_row_k], batch.target_index_k],
                       legal_index_l=maps[k_b[batch.legal_row_l], batch.legal_index_l],
                       target_top_b=top_b)

    def __call__(self, batch: Batch, rng: np.random.Generator) -> Batch:
        return self.apply(batch, self.draw(batch, rng))
