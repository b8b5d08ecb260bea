"""Engine speed: random playouts per configuration, moves per CPU-second, beside the reference engine.

Every counted move is one legal-move generation plus one apply (the random choice is negligible); time is
`time.process_time()`, so other processes on the machine do not count against the engine.

Usage (one flag per knob):
    .venv/bin/python bench/engine_speed.py                       # square8/hex8/square19/hexagonal, 2 players
    .venv/bin/python bench/engine_speed.py --all                 # all 12 configurations
    .venv/bin/python bench/engine_speed.py --configs hex8_3p,square8_4p
    .venv/bin/python bench/engine_speed.py --seconds 3           # CPU-seconds of playouts per configuration
    .venv/bin/python bench/engine_speed.py --heuristic-games 5   # heuristic self-play games timed (0 skips)
    .venv/bin/python bench/engine_speed.py --winrate 100         # heuristic vs random, N games per config
    .venv/bin/python bench/engine_speed.py --winrate 30 --winrate-configs hex8_3p,square19_2p
    .venv/bin/python bench/engine_speed.py --profile square8_2p  # cProfile playouts of one config, hot spots
    .venv/bin/python bench/engine_speed.py --seed 7              # first game seed (then seed+1, ...)
"""
from __future__ import annotations

import argparse
import cProfile
import pstats
import sys
import time

from engine import CONFIGS, apply_move, legal_moves, new_game, parse_config
from engine.agents import HeuristicAgent, RandomAgent

DEFAULT_CONFIGS = ("square8_2p", "hex8_2p", "square19_2p", "hexagonal_2p")
# Moves per second of the reference (TypeScript) engine on random playouts; 2-player figures only.
REFERENCE = {"square8_2p": 1770, "hex8_2p": 1220, "square19_2p": 490, "hexagonal_2p": 220}
EARLIER_PYTHON_PORT = {"square8_2p": 280}
TARGET_RATIO = 5.0
WINRATE_CONFIGS = ("square8_2p", "hex8_2p")
MAX_MOVES = 5000


def random_playouts(config: str, seconds: float, seed: int) -> tuple[int, int, float]:
    """Play random games until `seconds` of CPU are used; (moves, games, cpu seconds)."""
    cfg = parse_config(config)
    board, players = cfg.board_type, cfg.num_players
    moves = games = 0
    start = time.process_time()
    while time.process_time() - start < seconds:
        state = new_game(board, players)
        agent = RandomAgent(seed + games)
        while state.status == "active" and state.move_count < MAX_MOVES:
            apply_move(state, agent.select_move(state, legal_moves(state)))
            moves += 1
        games += 1
    return moves, games, time.process_time() - start


def play(config: str, agents: list) -> tuple[object, float]:
    """One game with agents[seat-1] choosing for each seat; (final state, CPU seconds inside agents)."""
    cfg = parse_config(config)
    board, players = cfg.board_type, cfg.num_players
    state = new_game(board, players)
    in_agents = 0.0
    while state.status == "active" and state.move_count < MAX_MOVES:
        legal = legal_moves(state)
        t0 = time.process_time()
        move = agents[state.current_player - 1].select_move(state, legal)
        in_agents += time.process_time() - t0
        apply_move(state, move)
    return state, in_agents


def speed_table(configs, seconds: float, seed: int) -> None:
    print(f"{'config':<14}{'moves':>8}{'games':>7}{'cpu s':>7}{'moves/cpu-s':>13}"
          f"{'reference':>11}{'ratio':>8}{'target':>8}")
    for config in configs:
        moves, games, cpu = random_playouts(config, seconds, seed)
        rate = moves / cpu if cpu else 0.0
        ref = REFERENCE.get(config)
        ratio = f"{rate / ref:.2f}x" if ref else "n/a"
        target = ("ok" if rate >= TARGET_RATIO * ref else "below") if ref else ""
        print(f"{config:<14}{moves:>8}{games:>7}{cpu:>7.2f}{rate:>13.0f}"
              f"{ref or '-':>11}{ratio:>8}{target:>8}")
        port = EARLIER_PYTHON_PORT.get(config)
        if port:
            print(f"{'':<14}(earlier Python port: {port} moves/s, ratio to it {rate / port:.1f}x)")
    print(f"target: >= {TARGET_RATIO:.0f}x reference on every board")


def heuristic_timing(games: int, seed: int) -> None:
    total = agents_only = 0.0
    moves = 0
    for g in range(games):
        t0 = time.process_time()
        agents = [HeuristicAgent(seed + 2 * g), HeuristicAgent(seed + 2 * g + 1)]
        state, in_agents = play("square8_2p", agents)
        total += time.process_time() - t0
        agents_only += in_agents
        moves += state.move_count
    print(f"heuristic self-play square8_2p: {games} games, {moves / games:.0f} moves/game, "
          f"{total / games:.3f} CPU-s/game in all ({agents_only / games:.3f} in the agents); target < 0.5")


def winrates(configs, games: int, seed: int) -> None:
    for config in configs:
        players = parse_config(config).num_players
        wins = unfinished = 0
        for g in range(games):
            heuristic_seat = 1 + g % players
            agents = [RandomAgent(seed + players * g + i) for i in range(players)]
            agents[heuristic_seat - 1] = HeuristicAgent(seed + g)
            state, _ = play(config, agents)
            wins += state.winner == heuristic_seat
            unfinished += state.status != "completed"
        print(f"heuristic vs random {config}: {wins}/{games} won ({100.0 * wins / games:.1f}%; "
              f"random alone: {100.0 / players:.0f}%), seats rotated, {unfinished} unfinished")


def profile(config: str, seconds: float, seed: int) -> None:
    profiler = cProfile.Profile(time.process_time)
    profiler.runcall(random_playouts, config, seconds, seed)
    pstats.Stats(profiler).sort_stats("tottime").print_stats(25)


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--all", action="store_true", help="all 12 configurations")
    p.add_argument("--configs", default=None, help="comma-separated configurations, e.g. hex8_3p,square8_2p")
    p.add_argument("--seconds", type=float, default=2.0, help="CPU-seconds of random playouts per config")
    p.add_argument("--heuristic-games", type=int, default=3, help="heuristic self-play games to time")
    p.add_argument("--winrate", type=int, default=0, help="heuristic vs random games per config (0: skip)")
    p.add_argument("--winrate-configs", default=",".join(WINRATE_CONFIGS), help="configs for --winrate")
    p.add_argument("--profile", default=None, metavar="CONFIG", help="cProfile random playouts of CONFIG")
    p.add_argument("--seed", type=int, default=1, help="first game seed")
    args = p.parse_args(argv)
    if args.profile:
        profile(args.profile, args.seconds, args.seed)
        return 0
    configs = list(CONFIGS) if args.all else (args.configs.split(",") if args.configs else DEFAULT_CONFIGS)
    speed_table(configs, args.seconds, args.seed)
    if args.heuristic_games:
        heuristic_timing(args.heuristic_games, args.seed)
    if args.winrate:
        winrates(args.winrate_configs.split(","), args.winrate, args.seed)
    return 0


if __name__ == "__main__":
    sys.exit(main())
