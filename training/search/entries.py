"""A finished game's searched plies as `schemas.SEARCH` dicts: what `raw_games.search` stores and the
exporter turns into policy targets. Lake-free (engine, encoder and search only), so a GPU bench can build
training samples from the driver's games the same way selfplay does.
"""
from __future__ import annotations

import numpy as np

from engine import apply_move, legal_moves, new_game
from ringrift_lake.encoding import encoder_for
from training.search.move_index import MoveIndexer


def search_entries(board_type: str, num_players: int, moves: list, searches: list, rules_options=None) -> list | None:
    """`schemas.SEARCH` dicts per ply (None where no search ran) from the driver's per-ply records;
    the game is replayed to learn each searched ply's legal moves' policy indices."""
    if not any(s is not None and s.budget > 0 for s in searches):
        return None
    indexer = MoveIndexer(encoder_for(board_type).action_space)
    state = new_game(board_type, num_players, rules_options)
    entries = []
    for move, record in zip(moves, searches):
        entry = None
        if record is not None and record.budget > 0:
            indices_n = np.asarray(indexer.indices(state, legal_moves(state)), np.int32)
            # The engine may list one move twice (a territory region found by two detection passes): one
            # action, one policy index; its probability and visits are summed.
            index_k, slot_n = np.unique(indices_n, return_inverse=True)
            prob_k = np.bincount(slot_n, weights=record.improved_policy, minlength=len(index_k))
            visits_k = np.bincount(slot_n, weights=record.visit_counts, minlength=len(index_k))
            entry = {"policy_index": index_k.tolist(),
                     "policy_prob": prob_k.astype(np.float32).tolist(),
                     "visit_count": visits_k.astype(np.int32).tolist(),
                     "root_value": np.asarray(record.root_values, np.float32)[:num_players].tolist(),
                     "budget": int(record.budget), "full": bool(record.full_search)}
        entries.append(entry)
        apply_move(state, move, check=False)
    return entries
