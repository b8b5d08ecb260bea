"""Positions with a win in one move, made by lowering a state's victory threshold until a capture or
elimination (or a territory-collapsing move) reaches it: the search plays a winning move."""
from __future__ import annotations

import numpy as np
import pytest

from engine import legal_moves
from search_helpers import UniformEvaluator, random_position, winning_moves
from training.search import GumbelAgent, HeuristicEvaluator, run_decision
from training.search.tree import make_child

ELIMINATING = {"move_stack", "overtaking_capture", "continue_capture_segment", "eliminate_rings_from_stack"}


def _win_in_one(board_type: str, kind: str):
    """A position (copy, threshold lowered) where a few moves, but not all, win at once by `kind`."""
    for seed in range(200):
        for plies in range(10, 200, 9):
            state, history = random_position(board_type, 2, seed, plies)
            if state.status != "active":
                break
            p = state.current_player
            legal = legal_moves(state)
            children = [make_child(state, m).state for m in legal]
            if kind == "ring_elimination":
                gain = [c.eliminated[p - 1] for c in children]
                eligible = [i for i, m in enumerate(legal) if m.type in ELIMINATING]
            else:
                gain = [c.collapsed_count[p] for c in children]
                eligible = list(range(len(legal)))
            if not eligible:
                continue
            best = max(gain[i] for i in eligible)
            base = state.eliminated[p - 1] if kind == "ring_elimination" else state.collapsed_count[p]
            if best <= base or max(gain) > best:
                continue
            edited = state.copy()
            if kind == "ring_elimination":
                if max(state.eliminated) >= best:
                    continue
                edited.victory_threshold = best
            else:
                edited.territory_threshold = best
            wins = winning_moves(edited)
            if wins and len(wins) <= len(legal) // 2 and all(
                    make_child(edited, legal[i]).state.reason == kind for i in wins):
                return edited, history, wins
    raise AssertionError(f"no {kind} win-in-one position found on {board_type}")


@pytest.mark.parametrize("board_type", ["square8", "hex8"])
@pytest.mark.parametrize("kind", ["ring_elimination", "territory_control"])
def test_search_plays_the_win_in_one(board_type, kind):
    state, history, wins = _win_in_one(board_type, kind)
    legal = legal_moves(state)
    # with the heuristic's prior a tiny budget is enough
    decision = run_decision(GumbelAgent(HeuristicEvaluator(), 2), state, legal, history[-2:])
    assert legal.index(decision.move) in wins
    # with no prior knowledge at all, trying every move once finds it (the exact +1 of the terminal child)
    n = len(legal)
    agent = GumbelAgent(UniformEvaluator(), n, num_considered=n)
    decision = run_decision(agent, state, legal, history[-2:])
    assert legal.index(decision.move) in wins
    pi = decision.search.improved_policy
    assert pi[wins].sum() > pi.max() * 0.99 and np.argmax(pi) in wins
