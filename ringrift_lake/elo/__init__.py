"""Elo ratings: a Bradley–Terry fit over the `matches` table, snapshots in `elo`, reports.

No torch, no dagster: numpy, pyarrow and matplotlib (Agg) only.
"""
from ringrift_lake.elo.bradley_terry import ANCHOR_PLAYER, ANCHOR_RATING, EloFit, fit_bradley_terry
from ringrift_lake.elo.pairs import PairwiseResults, game_pairs, pairwise_results

__all__ = ["ANCHOR_PLAYER", "ANCHOR_RATING", "EloFit", "fit_bradley_terry", "PairwiseResults", "game_pairs",
           "pairwise_results"]
