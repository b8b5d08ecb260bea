"""Game-playing agents: `Agent(seed=...).select_move(state, legal) -> Move`, with a `name`."""
from .heuristic_agent import HeuristicAgent
from .heuristic_weights import DEFAULT_WEIGHTS, HeuristicWeights
from .lookahead_agent import LookaheadAgent
from .random_agent import RandomAgent

AGENTS_BY_NAME = {agent.name: agent for agent in (RandomAgent, HeuristicAgent, LookaheadAgent)}   # the built-in players

__all__ = ["RandomAgent", "HeuristicAgent", "LookaheadAgent", "AGENTS_BY_NAME", "HeuristicWeights", "DEFAULT_WEIGHTS"]
