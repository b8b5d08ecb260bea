"""The heuristic agent's weights: what one unit of each evaluation term is worth, in one place."""
from __future__ import annotations

from dataclasses import dataclass, fields, replace


@dataclass(frozen=True)
class HeuristicWeights:
    # Material and the elimination race (eliminations credited to the mover count toward victory).
    eliminated: float = 112.0     # one ring credited to the mover (own or opponent's), 2 players, small board
    eliminated_large: float = 6.0  # the same on square19/hexagonal (2 players), where the long endgame
                                  # punishes racing our own rings off the board (none left to act with)
    eliminated_multi: float = 4.0  # 3-4 players: our own rings alone cannot reach the threshold R(n+1)/3
    ring: float = 2.0             # one ring of the mover's colour still in play (opponents' count negative)
    win: float = 10000.0          # the move reaches a victory threshold
    # Board presence.
    territory: float = 6.0        # one collapsed cell owned
    marker: float = 1.4           # one marker owned
    stack: float = 2.0            # controlling one stack
    stack_ring: float = -0.25     # each ring in a controlled stack (tall stacks must move far and get stuck)
    cap_ring: float = 0.7         # each ring in a controlled stack's cap (capture power, resilience)
    # Tactics.
    captured_ring: float = 12.0   # an opponent's top ring taken under one of our stacks
    exposure: float = 0.84        # fraction of a stack's loss charged when an opponent can capture it next
    follow_up: float = 0.45       # discount on the best move a placement (or a skip) makes possible
    stuck: float = 3.0            # a stack that lands where it has no plain move and nothing to capture
    pocket_ring: float = 64.0     # each of our rings left in a closed pocket only an opponent can process
    chain_threat: float = 1.05    # after a move, each opponent stack we could capture next
    last_stack: float = 10.5      # losing our last stack with no ring in hand (no real action left)
    stranded: float = 500.0       # the same while more credits are needed than recovery can bring in time
    recovery_reach: float = 3.0   # credits still needed that recovery moves can plausibly bring in time
    no_stack: float = 14.0        # losing control of our last stack with rings still in hand
    hand_ring: float = 1.5        # keeping a ring in hand (flexibility, last-player-standing insurance)
    swap: float = -1.0            # taking the pie-rule swap (left to the one-ply view: mildly avoided)

    def with_overrides(self, overrides: dict | None) -> "HeuristicWeights":
        if not overrides:
            return self
        known = {f.name for f in fields(self)}
        unknown = sorted(set(overrides) - known)
        if unknown:
            raise ValueError(f"unknown heuristic weights {unknown}; known: {sorted(known)}")
        return replace(self, **overrides)


DEFAULT_WEIGHTS = HeuristicWeights()
