"""Search-tree nodes: one position each, its children's statistics in flat numpy arrays.

A node holds the position reached (a private `GameState` copy), its legal moves, the evaluator's prior
logits and per-seat value, and per child a visit count and a per-seat value sum (absolute seats, so
3-4 player games back up one vector and every node reads the component of its own player to move).
A node's own visit count is 1 (its evaluation) + the sum of its children's visits, and its parent's
arrays hold exactly that count and its value sum (no statistic is stored twice).

Forced chains: after a move, positions with a single legal move (RingRift's bookkeeping steps:
no_line_action, no_territory_action, ...) are played through at once (`collapse_forced`), so a child
is the next real decision or a terminal position and no evaluation is spent on a forced step. The last
`HISTORY_KEEP` skipped pre-move positions stay on the child (`skipped`), because the network's history
frames are the game's previous pre-move positions, forced ones included.
No parent pointers: a simulation keeps its path, and dropping a node frees its whole subtree.
"""
from __future__ import annotations

from operator import attrgetter

import numpy as np

from engine import apply_move
from engine.legal import cached_legal
from ringrift_lake.encoding.targets import final_seat_values

from training.search.protocol import Evaluation, softmax

HISTORY_KEEP = 2               # the encoder's history depth (encoder.history)
MAX_FORCED_CHAIN = 10_000      # safety stop for a chain of single legal moves

# Everything that makes two positions the same game situation (caches, geometry and options left out).
_POSITION = attrgetter(
    "move_count", "current_player", "phase", "status", "stack_owner", "stack_height", "cap_height",
    "marker_owner", "collapsed_owner", "rings", "rings_in_hand", "eliminated", "territory", "board_eliminated",
    "must_move", "chain_pos", "pending_line", "pending_territory", "turn_acted", "turn_recovery", "last_mover",
    "p1_moved", "p2_moved", "swapped", "lps_round_index", "lps_actor_mask", "lps_first_player",
    "lps_exclusive_rounds", "lps_exclusive_player")


def same_position(a, b) -> bool:
    return a.move_count == b.move_count and _POSITION(a) == _POSITION(b)


def terminal_values(state) -> np.ndarray:
    """float64 [num_players]: the exact result (2p winner +1 / other -1; 3-4p rank based; no winner 0)."""
    n = state.num_players
    return final_seat_values(n, state.winner, state.eliminated, state.territory)[:n].astype(np.float64)


class Node:
    __slots__ = ("state", "skipped", "player", "legal", "terminal_value", "logits_n", "prior_n", "raw_value",
                 "children", "visits_n", "value_sum_ns")

    def __init__(self, state, skipped: tuple = (), legal: list | None = None):
        self.state = state
        self.skipped = skipped
        self.player = state.current_player
        self.logits_n = None            # set by expand(): the node is evaluated
        if state.status != "active":
            self.legal = []
            self.terminal_value = terminal_values(state)
        else:
            self.legal = cached_legal(state) if legal is None else legal
            self.terminal_value = None

    @property
    def terminal(self) -> bool:
        return self.terminal_value is not None

    @property
    def expanded(self) -> bool:
        return self.logits_n is not None

    def expand(self, evaluation: Evaluation) -> None:
        n = len(self.legal)
        logits = np.asarray(evaluation.logits_n, dtype=np.float64)
        if logits.shape != (n,):
            raise ValueError(f"evaluator gave {logits.shape} logits for {n} legal moves")
        self.logits_n = logits
        self.prior_n = softmax(logits)
        self.raw_value = np.asarray(evaluation.values_nseat, dtype=np.float64)[:self.state.num_players]
        self.children: list[Node | None] = [None] * n
        self.visits_n = np.zeros(n, dtype=np.float64)
        self.value_sum_ns = np.zeros((n, self.state.num_players), dtype=np.float64)

    # ---- statistics, seen by this node's player to move -------------------------------------------
    def q_n(self) -> np.ndarray:
        """float64 [n]: mean value of each child for this node's player (0 where unvisited)."""
        return self.value_sum_ns[:, self.player - 1] / np.maximum(self.visits_n, 1.0)

    def mean_values(self) -> np.ndarray:
        """float64 [num_players]: (raw value + children's value sums) / (1 + children's visits)."""
        return (self.raw_value + self.value_sum_ns.sum(axis=0)) / (1.0 + self.visits_n.sum())

    def count_nodes(self, stop_above: int | None = None) -> int:
        """Nodes in this subtree (this one included); counting stops once past `stop_above`. Iterative: a
        tree reused over many moves can hold a line deeper than Python's recursion limit."""
        count, stack = 0, [self]
        while stack:
            node = stack.pop()
            count += 1
            if stop_above is not None and count > stop_above:
                return count
            if node.expanded:
                stack.extend(c for c in node.children if c is not None)
        return count

    # ---- growing the tree -------------------------------------------------------------------------
    def child(self, index: int, collapse_forced: bool = True) -> "Node":
        """The child after legal[index] (and the forced chain after it), created on first use."""
        node = self.children[index]
        if node is None:
            node = self.children[index] = make_child(self.state, self.legal[index], collapse_forced)
        return node

    def record_visit(self, index: int, values_nseat: np.ndarray) -> None:
        self.visits_n[index] += 1.0
        self.value_sum_ns[index] += values_nseat


def make_child(parent_state, move, collapse_forced: bool = True) -> Node:
    state = parent_state.copy()
    apply_move(state, move, check=False)
    skipped: list = []
    if collapse_forced:
        for _ in range(MAX_FORCED_CHAIN):
            if state.status != "active":
                break
            legal = cached_legal(state)
            if len(legal) != 1:
                break
            skipped.append(state.copy())
            if len(skipped) > HISTORY_KEEP:
                del skipped[0]
            apply_move(state, legal[0], check=False)
    return Node(state, tuple(skipped))


def path_history(path: list[Node], root_history: tuple, depth: int = HISTORY_KEEP) -> tuple:
    """The `depth` pre-move positions before the last node of `path` (root first), oldest first: its own
    skipped positions, its parent's position and the parent's skipped ones, ... then the real game's
    positions before the root."""
    newest_first: list = []
    for i in range(len(path) - 1, 0, -1):
        newest_first.extend(reversed(path[i].skipped))
        newest_first.append(path[i - 1].state)
        if len(newest_first) >= depth:
            return tuple(reversed(newest_first[:depth]))
    newest_first.extend(reversed(root_history[-depth:]))
    return tuple(reversed(newest_first[:depth]))


def find_descendant(root: Node | None, state, max_nodes: int = 4096) -> Node | None:
    """The node of `root`'s subtree (root included) at the same position as `state`, or None.
    Only nodes whose move count is below the target's are searched through."""
    if root is None:
        return None
    target = state.move_count
    frontier = [root]
    seen = 0
    while frontier and seen < max_nodes:
        node = frontier.pop()
        seen += 1
        if node.terminal:
            continue
        count = node.state.move_count
        if count == target and same_position(node.state, state):
            return node
        if count < target and node.expanded:
            frontier.extend(c for c in node.children if c is not None)
    return None
