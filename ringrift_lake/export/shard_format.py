"""The shard format, once: every array of a training shard, its dtype, rank and whether it is required.

The exporter (`encode_games`) writes exactly `SHARD_ARRAYS`; the loader (`training.shards.open_shard`)
checks a shard against `REQUIRED` and `LEGAL`. Planes are written as uint8 eighths (value * PLANE_UNITS,
exact: every plane value is a multiple of 1/8); float32 planes (older shards, tests) read too.
See docs/training-data.md for what each array holds.
"""
from __future__ import annotations

import numpy as np

PLANES_DTYPES = (np.uint8, np.float32)        # what the exporter writes first

REQUIRED = {
    "planes_nchw": (np.float32, 4), "globals_nf": (np.float32, 2), "policy_offsets": (np.int64, 1),
    "policy_indices": (np.int32, 1), "policy_probs": (np.float32, 1), "values_nseat": (np.float32, 2),
    "value_n": (np.float32, 1), "player_to_move_n": (np.int8, 1), "game_key_n": (np.int64, 1),
    "ply_n": (np.int32, 1),
}
# Optional in the loader (older shards): the policy indices of each sample's legal moves (CSR like the
# policy target). With them the policy loss is a softmax over the legal moves only.
LEGAL = {"legal_offsets": (np.int64, 1), "legal_indices": (np.int32, 1)}
SHARD_ARRAYS = tuple(REQUIRED) + tuple(LEGAL)
