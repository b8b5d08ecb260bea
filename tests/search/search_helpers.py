"""Test evaluators and positions for the search tests."""
from __future__ import annotations

import numpy as np

from engine import apply_move, legal_moves, new_game, state_hash
from engine.agents import RandomAgent
from training.search.protocol import ConstantEvaluator, Evaluation
from training.search.tree import make_child

CONFIGS = [("square8", 2), ("square8", 3), ("square8", 4), ("hex8", 2), ("hex8", 3)]


class UniformEvaluator(ConstantEvaluator):
    """ConstantEvaluator that counts its calls."""

    def __init__(self, values=None):
        super().__init__(values)
        self.calls = 0

    def evaluate(self, requests):
        self.calls += 1
        return super().evaluate(requests)


class HashEvaluator:
    """Pseudo-random but deterministic logits and per-seat values from the position's hash."""

    def __init__(self, logit_scale: float = 1.0):
        self.logit_scale = logit_scale

    def values_of(self, state) -> np.ndarray:
        rng = np.random.default_rng(int(state_hash(state), 16))
        return rng.uniform(-1, 1, size=state.num_players).astype(np.float32)

    def evaluate(self, requests):
        out = []
        for r in requests:
            rng = np.random.default_rng(int(state_hash(r.state), 16) ^ 0x5EED)
            logits = rng.normal(size=len(r.legal)) * self.logit_scale
            out.append(Evaluation(logits.astype(np.float32), self.values_of(r.state)))
        return out


class RecordingEvaluator:
    """Passes requests to `inner` and keeps them."""

    def __init__(self, inner):
        self.inner = inner
        self.requests = []
        self.batch_sizes = []

    def evaluate(self, requests):
        self.requests.extend(requests)
        self.batch_sizes.append(len(requests))
        return self.inner.evaluate(requests)


def random_position(board_type: str, num_players: int, seed: int, plies: int, choice: bool = True):
    """The position after up to `plies` random moves (and, with `choice`, on to the next position with
    more than one legal move), plus the pre-move positions before it (all of them, oldest first)."""
    state = new_game(board_type, num_players)
    agent = RandomAgent(seed)
    history = []
    while state.status == "active" and (state.move_count < plies or (choice and len(legal_moves(state)) < 2)):
        history.append(state.copy())
        apply_move(state, agent.select_move(state, legal_moves(state)))
    return state, history


def winning_moves(state) -> list[int]:
    """Indices of the legal moves after which (and the forced chain after them) the mover has won."""
    mover = state.current_player
    out = []
    for i, move in enumerate(legal_moves(state)):
        child = make_child(state, move)
        if child.terminal and child.state.winner == mover:
            out.append(i)
    return out


def full_search(state, history, evaluator, budget: int, seed: int = 0, noise: bool = True):
    """Search `state` from a fresh root with batch size 1; (root node with the whole tree, SearchResult)."""
    from training.search.gumbel import SearchParams, run_search
    from training.search.tree import Node

    root = Node(state.copy())
    generator = run_search(root, tuple(history), SearchParams(budget, gumbel_noise=noise),
                           np.random.default_rng(seed))
    try:
        request = next(generator)
        while True:
            request = generator.send(evaluator.evaluate([request])[0])
    except StopIteration as stop:
        return root, stop.value
