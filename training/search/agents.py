"""Agents behind the evaluator protocol, and engine agents seen through the same decide() protocol.

    agent = GumbelAgent(evaluator, budget=64, seed=7)            # search (no Gumbel noise: evaluation play)
    agent = GumbelAgent(evaluator, 64, gumbel_noise=True, full_search_prob=0.25, cheap_budget=16,
                        sample_plies=20, seed=7)                 # selfplay knobs
    agent = PolicyNetAgent(evaluator, seed=7)                    # argmax of the evaluator's logits

`decide(state, legal, history)` is a generator (see protocol.py); `SyncAgent(agent)` runs it with
batch size 1 behind the engine's old `select_move(state, legal)` / `observe(state)` protocol.
One agent object per game (it keeps the tree and its rng); one object may play several seats.
"""
from __future__ import annotations

import numpy as np

from training.search.gumbel import SearchParams, run_search
from training.search.protocol import Decision, EvalRequest, SearchRecord, softmax
from training.search.tree import Node, find_descendant


def _sample(rng: np.random.Generator, probs_n: np.ndarray, temperature: float) -> int:
    if temperature <= 0:
        return int(np.argmax(probs_n))
    logp = np.log(np.maximum(probs_n, 1e-30)) / temperature
    p = np.exp(logp - logp.max())
    return int(rng.choice(p.shape[0], p=p / p.sum()))


class GumbelAgent:
    """Gumbel AlphaZero search with tree reuse.

    Playout-cap randomisation: with `cheap_budget` set, a search is full (`budget`) with probability
    `full_search_prob`, else cheap (`cheap_budget`); only full searches are marked full_search.
    On plies with move_count < `sample_plies` the move is sampled from the improved policy at
    `temperature`; otherwise it is the sequential-halving winner. The tree of the chosen child is kept;
    at the next decision the agent re-roots on the node at the position actually reached (by any
    player's moves), or starts fresh. `max_tree_nodes` bounds what is kept across moves."""

    def __init__(self, evaluator, budget: int, *, seed: int = 0, gumbel_noise: bool = False,
                 num_considered: int = 16, c_visit: float = 50.0, c_scale: float = 0.1,
                 cheap_budget: int | None = None, full_search_prob: float = 1.0, sample_plies: int = 0,
                 temperature: float = 1.0, reuse_tree: bool = True, collapse_forced: bool = True,
                 max_tree_nodes: int = 4096, name: str | None = None):
        self.evaluator = evaluator
        self.params = SearchParams(budget, num_considered, c_visit, c_scale, gumbel_noise, collapse_forced)
        self.cheap_params = (SearchParams(cheap_budget, num_considered, c_visit, c_scale, gumbel_noise,
                                          collapse_forced) if cheap_budget else None)
        self.full_search_prob = full_search_prob
        self.sample_plies, self.temperature = sample_plies, temperature
        self.reuse_tree, self.max_tree_nodes = reuse_tree, max_tree_nodes
        self.seed = seed
        self.rng = np.random.default_rng(seed)
        self.name = name or f"gumbel{budget}"
        self.root: Node | None = None            # the kept subtree (the last chosen child)

    def _root_for(self, state, legal) -> Node:
        node = find_descendant(self.root, state) if self.reuse_tree else None
        if node is None or node.legal != legal:
            return Node(state.copy(), legal=list(legal))
        return node

    def decide(self, state, legal: list, history=()):
        if len(legal) == 1:
            return Decision(legal[0], None)
        root = self._root_for(state, legal)
        self.root = None
        full = self.cheap_params is None or self.rng.random() < self.full_search_prob
        params = self.params if full else self.cheap_params
        result = yield from run_search(root, tuple(history), params, self.rng)
        index = result.move_index
        if state.move_count < self.sample_plies:
            index = _sample(self.rng, result.improved_policy_n, self.temperature)
        child = root.children[index]
        if self.reuse_tree and child is not None and child.count_nodes(self.max_tree_nodes) <= self.max_tree_nodes:
            self.root = child
        record = SearchRecord(result.improved_policy_n.astype(np.float32), result.visits_n.astype(np.int32),
                              result.root_values.astype(np.float32), params.budget, full,
                              result.simulations, result.evaluations)
        return Decision(legal[index], record)


class PolicyNetAgent:
    """The evaluator's raw policy: argmax of its logits over the legal moves; on plies with
    move_count < `sample_plies` a sample from softmax(logits / temperature). Records a SearchRecord
    with budget 0 and full_search False (the softmax of the logits, the evaluator's values)."""

    def __init__(self, evaluator, *, seed: int = 0, temperature: float = 1.0, sample_plies: int = 0,
                 name: str = "policy"):
        self.evaluator = evaluator
        self.temperature, self.sample_plies, self.name = temperature, sample_plies, name
        self.seed = seed
        self.rng = np.random.default_rng(seed)

    def decide(self, state, legal: list, history=()):
        if len(legal) == 1:
            return Decision(legal[0], None)
        evaluation = yield EvalRequest(state, tuple(history)[-2:], legal)
        probs_n = softmax(evaluation.logits_n)
        if state.move_count < self.sample_plies:
            index = _sample(self.rng, probs_n, self.temperature)
        else:
            index = int(np.argmax(evaluation.logits_n))
        record = SearchRecord(probs_n.astype(np.float32), np.zeros(len(legal), np.int32),
                              np.asarray(evaluation.values_nseat, np.float32)[:state.num_players], 0, False, 0, 1)
        return Decision(legal[index], record)


class EngineAgent:
    """An engine agent (`select_move(state, legal)`, e.g. RandomAgent, HeuristicAgent) as a decide()
    generator that never yields; `observe(state)` is passed on when the agent has one."""

    evaluator = None

    def __init__(self, agent):
        self.agent = agent
        self.name = getattr(agent, "name", type(agent).__name__)
        self.observe = getattr(agent, "observe", None)

    def decide(self, state, legal: list, history=()):
        return Decision(self.agent.select_move(state, legal), None)
        yield  # a generator that returns at once


def as_search_agent(agent):
    """`agent` itself if it has decide(), else an EngineAgent around it."""
    return agent if hasattr(agent, "decide") else EngineAgent(agent)


def run_decision(agent, state, legal: list, history=()) -> Decision:
    """Runs one decide() generator to the end with batch size 1 on the agent's own evaluator."""
    generator = agent.decide(state, legal, history)
    try:
        request = next(generator)
        while True:
            request = generator.send(agent.evaluator.evaluate([request])[0])
    except StopIteration as stop:
        return stop.value


class SyncAgent:
    """The engine's old agent protocol around a decide() agent, for `engine.play_game`:
    `observe(state)` (show it every pre-move position, any player's, for the history frames; a seat
    wrapper such as training.seats.Seat does that) and `select_move(state, legal) -> Move`.
    Positions it was never shown count as zero history frames. `last_decision` keeps the last Decision."""

    def __init__(self, agent, history_depth: int = 2):
        self.agent = agent
        self.name = agent.name
        self.history_depth = history_depth
        self._seen: dict[int, object] = {}       # move_count -> copy of that pre-move position
        self.last_decision: Decision | None = None

    def observe(self, state) -> None:
        if self._seen and state.move_count < max(self._seen):
            self._seen.clear()                   # a new game
        self._seen.setdefault(state.move_count, state.copy())
        for old in [k for k in self._seen if k < state.move_count - self.history_depth]:
            del self._seen[old]

    def history(self, move_count: int) -> tuple:
        out = []
        for k in range(move_count - 1, move_count - 1 - self.history_depth, -1):
            if k not in self._seen:
                break
            out.append(self._seen[k])
        return tuple(reversed(out))

    def select_move(self, state, legal: list):
        self.observe(state)
        self.last_decision = run_decision(self.agent, state, legal, self.history(state.move_count))
        return self.last_decision.move
