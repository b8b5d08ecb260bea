"""A static evaluation of a whole position, per seat: the heuristic agent's terms summed over the board.

`seat_scores(state, weights)` gives each seat's material and presence in the units of `HeuristicWeights`
(the same weights the one-ply move scores use, so a move's score is roughly the change it makes here):
credited eliminations (the race to `victory_threshold`, weighted as `MoveScorer` weights them for this
board and player count), a bonus growing with the share of the threshold already reached, territory
(collapsed cells owned) toward `territory_threshold`, rings of the seat's colour in play, rings in hand,
controlled stacks with their heights and caps, and markers. A seat with no ring anywhere has lost.

`seat_values(state, weights, scale)` turns them into values in [-1, 1]: each seat's score minus the mean
of the other seats' scores, squashed by tanh(x / scale). Finished games get the exact result (winner +1,
others -1).
"""
from __future__ import annotations

import math

from .board_tables import victory_threshold
from .heuristic_weights import DEFAULT_WEIGHTS, HeuristicWeights
from .move_scorer import LARGE_BOARD_CELLS

DEFAULT_VALUE_SCALE = 400.0     # score difference that maps to tanh(1) = 0.76 (about 3.5 credited rings)
RACE_BONUS = 1.0                # extra weight per credited ring, times the share of the threshold reached
NO_MATERIAL = -1e6


def elimination_weight(state, weights: HeuristicWeights) -> float:
    if state.num_players > 2:
        return weights.eliminated_multi
    if state.geometry.n_cells > LARGE_BOARD_CELLS:
        return weights.eliminated_large
    return weights.eliminated


def seat_scores(state, weights: HeuristicWeights = DEFAULT_WEIGHTS) -> list[float]:
    """Score per seat (index seat - 1), in the heuristic's units."""
    n = state.num_players
    w = weights
    elim_w = elimination_weight(state, w)
    threshold = max(1, victory_threshold(state))
    territory_min = max(1, state.territory_threshold)
    heights = [0] * (n + 1)
    caps = [0] * (n + 1)
    for owner, h, cap in zip(state.stack_owner, state.stack_height, state.cap_height):
        if owner:
            heights[owner] += h
            caps[owner] += cap
    scores = []
    for p in range(1, n + 1):
        hand = state.rings_in_hand[p - 1]
        in_play = state.ring_count[p]
        if hand + in_play == 0:
            scores.append(NO_MATERIAL)
            continue
        credited = state.eliminated[p - 1]
        share = min(1.0, credited / threshold)
        owned = state.collapsed_count[p]
        stacks = state.stack_bb[p].bit_count()
        score = (elim_w * credited * (1.0 + RACE_BONUS * share)
                 + w.territory * owned * (1.0 + min(1.0, owned / territory_min))
                 + w.ring * in_play + w.hand_ring * hand
                 + w.stack * stacks + w.stack_ring * heights[p] + w.cap_ring * caps[p]
                 + w.marker * state.marker_bb[p].bit_count())
        scores.append(score)
    return scores


def seat_values(state, weights: HeuristicWeights = DEFAULT_WEIGHTS, scale: float = DEFAULT_VALUE_SCALE,
                scores: list[float] | None = None) -> list[float]:
    """Value per seat in [-1, 1] (index seat - 1); `scores` may be given (e.g. adjusted by a caller)."""
    n = state.num_players
    if state.status != "active":
        if state.winner is None:
            return [0.0] * n
        return [1.0 if p == state.winner else -1.0 for p in range(1, n + 1)]
    scores = seat_scores(state, weights) if scores is None else scores
    total = sum(scores)
    return [math.tanh((s - (total - s) / (n - 1)) / scale) if n > 1 else 0.0 for s in scores]
