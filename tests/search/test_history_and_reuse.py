"""History frames along search paths, and the reuse of the chosen subtree across moves."""
from __future__ import annotations

import numpy as np

from engine import apply_move, legal_moves
from engine.legal import cached_legal
from search_helpers import RecordingEvaluator, full_search, random_position
from training.search import GumbelAgent, HeuristicEvaluator, run_decision
from training.search.tree import same_position


def _walk(node, state, pre_moves, out):
    """(node, expected history) for every expanded node, replaying the moves from the root."""
    out.append((node, pre_moves[-2:]))
    for i, child in enumerate(node.children):
        if child is None or not child.expanded:
            continue
        s = state.copy()
        seen = list(pre_moves) + [state]
        apply_move(s, node.legal[i], check=False)
        while s.status == "active" and len(cached_legal(s)) == 1:
            seen.append(s.copy())
            apply_move(s, cached_legal(s)[0], check=False)
        assert same_position(s, child.state)
        _walk(child, s, seen, out)


def test_history_frames_follow_the_search_path_and_the_real_game():
    checked = skipped = 0
    for seed, plies in ((1, 30), (2, 55), (3, 80)):
        state, history = random_position("square8", 2, seed, plies)
        evaluator = RecordingEvaluator(HeuristicEvaluator())
        root_history = tuple(history[-2:])
        root, _ = full_search(state, root_history, evaluator, 64, seed)
        by_state = {id(r.state): r for r in evaluator.requests}
        assert by_state[id(root.state)].history == root_history
        pairs = []
        _walk(root, state, list(history), pairs)
        assert len(pairs) == len(evaluator.requests)
        for node, expected in pairs:
            request = by_state[id(node.state)]
            assert len(request.history) == len(expected) == 2
            assert all(same_position(a, b) for a, b in zip(request.history, expected))
            checked += 1
            skipped += bool(node.skipped)
    assert checked > 50 and skipped > 0          # forced chains were crossed and their positions kept


def test_the_chosen_childs_statistics_are_kept_for_the_next_move():
    state, history = random_position("hex8", 2, 4, 40)
    evaluator = HeuristicEvaluator()
    agent = GumbelAgent(evaluator, 32, seed=1)
    legal = legal_moves(state)
    first = run_decision(agent, state, legal, history[-2:])
    kept = agent.root
    assert kept is not None and kept.expanded
    kept_visits = kept.visits_n.copy()
    # play the chosen move and the opponent's reply the agent's tree knows best
    after = state.copy()
    apply_move(after, first.move)
    while after.status == "active" and len(legal_moves(after)) == 1:
        apply_move(after, legal_moves(after)[0])
    assert same_position(after, kept.state)
    second = run_decision(agent, after, legal_moves(after), ())
    # the second search started from the kept node: its earlier visits are still counted
    assert second.search.visit_counts.sum() == kept_visits.sum() + 32
    assert np.all(second.search.visit_counts >= kept_visits)
    # a position the tree does not know starts fresh
    fresh_state, _ = random_position("hex8", 2, 9, 60)
    third = run_decision(agent, fresh_state, legal_moves(fresh_state), ())
    assert third.search.visit_counts.sum() == 32


def test_reuse_across_an_opponent_reply():
    state, history = random_position("square8", 2, 6, 30)
    evaluator = HeuristicEvaluator()
    agent = GumbelAgent(evaluator, 64, seed=2)
    first = run_decision(agent, state, legal_moves(state), history[-2:])
    kept = agent.root
    reply_index = int(np.argmax(kept.visits_n))
    grandchild = kept.children[reply_index]
    if grandchild is None or grandchild.terminal:
        return
    s = kept.state.copy()
    apply_move(s, kept.legal[reply_index])
    while s.status == "active" and len(legal_moves(s)) == 1:
        apply_move(s, legal_moves(s)[0])
    before = grandchild.visits_n.sum()
    second = run_decision(agent, s, legal_moves(s), ())
    assert second.search.visit_counts.sum() == before + 64
    assert first.search.full_search and second.search.full_search


def test_a_line_deeper_than_the_recursion_limit_is_counted_and_capped():
    # A tree reused over many moves can hold one long line (a selfplay worker died of RecursionError here).
    import sys

    from training.search.protocol import Evaluation
    from training.search.tree import Node

    state, _ = random_position("square8", 2, 4, 10)
    root = node = Node(state)
    depth = sys.getrecursionlimit() + 500
    for _ in range(depth):
        node.expand(Evaluation(np.zeros(len(node.legal), np.float32), np.zeros(2, np.float32)))
        child = Node(state, legal=node.legal)          # the same position again: only the shape matters here
        node.children[0] = child
        node = child
    assert root.count_nodes() == depth + 1
    assert root.count_nodes(stop_above=100) == 101
