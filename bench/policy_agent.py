"""PolicyAgent single-position inference speed on CPU: ms per select_move, and a game's worth.

    .venv/bin/python bench/policy_agent.py                          # square8, default 96x6 model, 1 thread
    .venv/bin/python bench/policy_agent.py --model MODEL_ID --lake ./lake
    .venv/bin/python bench/policy_agent.py --board hex8 --threads 2

Plays the policy agent against the random agent (seats alternating) and times
only the policy agent's select_move calls (encoding + forward + legal masking).
An untrained model (the default) may never finish a game, hence --max-moves.
"""
from __future__ import annotations

import argparse
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import numpy as np
import torch

from engine import play_game
from engine.agents import RandomAgent
from training.model import architecture_for, build_model, parameter_count
from training.policy_agent import PolicyAgent


class TimedAgent:
    def __init__(self, agent):
        self.agent, self.name, self.seconds = agent, agent.name, []

    def select_move(self, state, legal):
        started = time.perf_counter()
        move = self.agent.select_move(state, legal)
        self.seconds.append(time.perf_counter() - started)
        return move


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--board", default="square8")
    p.add_argument("--model", help="model id or checkpoint path (default: an untrained default-size model)")
    p.add_argument("--lake")
    p.add_argument("--games", type=int, default=4)
    p.add_argument("--max-moves", type=int, default=300)
    p.add_argument("--threads", type=int, default=1)
    args = p.parse_args()
    torch.set_num_threads(args.threads)
    if args.model:
        from ringrift_lake.location import Lake

        lake = Lake.at(args.lake) if args.lake else Lake.from_env()
        make = lambda seed: PolicyAgent.from_checkpoint(lake, args.model, seed=seed)
        board = make(0).encoder.board_type
    else:
        from ringrift_lake.encoding import encoder_for

        board, encoder = args.board, encoder_for(args.board)
        space = encoder.action_space
        torch.manual_seed(0)
        model = build_model(architecture_for(board, 2, encoder.planes_chw, encoder.global_size, space.size,
                                             space.n_planes))
        print(f"untrained {model.arch['channels']}x{model.arch['blocks']} model, {parameter_count(model):,} params")
        make = lambda seed: PolicyAgent(model, encoder, seed=seed)
    timings, moves = [], 0
    for g in range(args.games):
        timed = TimedAgent(make(g))
        agents = [timed, RandomAgent(seed=100 + g)] if g % 2 == 0 else [RandomAgent(seed=100 + g), timed]
        played = play_game(board, 2, agents, seed=g, max_moves=args.max_moves)
        timings += timed.seconds
        moves += played.num_moves
    ms = np.array(timings) * 1000
    print(f"{board}, torch threads {torch.get_num_threads()}: {len(ms)} policy moves in {args.games} games "
          f"({moves} moves in all)")
    print(f"select_move: mean {ms.mean():.2f} ms, median {np.median(ms):.2f} ms, p95 {np.percentile(ms, 95):.2f} ms"
          f" -> a 150-move game's policy half takes {ms.mean() * 75 / 1000:.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
