"""Helpers for the engine property tests: random playouts, the S-invariant, agent matches."""
from __future__ import annotations

from hypothesis import strategies as st

from engine import CONFIGS, apply_move, legal_moves, new_game, parse_config
from engine.agents import HeuristicAgent, RandomAgent

ALL_CONFIGS = sorted(CONFIGS)
MAX_MOVES = 5000
# Typical random-game lengths (reference games), so prefixes land anywhere from opening to endgame.
TYPICAL_LENGTH = {"square8": 130, "hex8": 170, "square19": 650, "hexagonal": 1050}


def prefix_strategy(config: str):
    """Hypothesis strategy for how many random plies to play before checking."""
    return st.integers(0, TYPICAL_LENGTH[parse_config(config).board_type])


def s_invariant(state) -> int:
    """RULES.md 1.15: markers + collapsed cells + eliminated rings (credited, summed over seats)."""
    markers = sum(1 for m in state.marker_owner if m)
    collapsed = sum(1 for c in state.collapsed_owner if c)
    return markers + collapsed + sum(state.eliminated)


def random_prefix(config: str, seed: int, plies: int):
    """The state after up to `plies` random moves (fewer if the game ends first) and its RandomAgent."""
    cfg = parse_config(config)
    board, players = cfg.board_type, cfg.num_players
    state = new_game(board, players)
    agent = RandomAgent(seed)
    for _ in range(plies):
        if state.status != "active":
            break
        apply_move(state, agent.select_move(state, legal_moves(state)))
    return state, agent


def play_match(config: str, agents: list, max_moves: int = MAX_MOVES):
    """Play one game with agents[seat-1] choosing for each seat; (final state, identity keys of the moves)."""
    cfg = parse_config(config)
    board, players = cfg.board_type, cfg.num_players
    state = new_game(board, players)
    keys = []
    while state.status == "active" and state.move_count < max_moves:
        legal = legal_moves(state)
        move = agents[state.current_player - 1].select_move(state, legal)
        keys.append(move.key())
        apply_move(state, move)
    return state, keys


def heuristic_wins(config: str, games: int, first_seed: int) -> int:
    """Games the heuristic agent wins against random agents in the other seats, its seat rotating."""
    players = parse_config(config).num_players
    wins = 0
    for g in range(games):
        seed = first_seed + g
        seat = 1 + g % players
        agents = [RandomAgent(seed * players + i) for i in range(players)]
        agents[seat - 1] = HeuristicAgent(seed)
        wins += play_match(config, agents)[0].winner == seat
    return wins
