"""Gumbel search speed: batched selfplay NN evaluations vs the raw forward, search overhead, games/s, memory.

    .venv/bin/python bench/search.py --quick          # < 5 minutes on the 2-core dev machine
    .venv/bin/python bench/search.py                  # complete games for every figure
    .venv/bin/python bench/search.py --device cuda --batch 256

For square8 2p and hex8 2p, side by side in one run, with freshly initialised networks (the default 96x6
and a small 32x2):
* selfplay evals/s: the batched driver (training.search.driver) with `--batch` games in flight, GumbelAgent
  at budget 16, every evaluation through NetworkEvaluator; against the raw forward of the same model at the
  driver's mean batch (padded as the evaluator pads it), timed just before and just after. On CPU the ratio
  is taken per process CPU-second (the machine is shared, wall time counts other people's work); on CUDA
  per wall second.
* search overhead per simulation (engine + tree + driver, no evaluator cost): ConstantEvaluator.
* selfplay games/s and recorded (searched) positions/s at budgets 16 and 64 (--quick: positions/s in a time
  window, games/s estimated from the searched positions per game of the same run's completed games at
  budget 16 with the small model; otherwise all games complete).
* memory per concurrent game (tracemalloc over the driver at budget 64), bytes per tree node, nodes per game.
Imports neither deltalake, duckdb nor dagster. --threads (default 1): on the shared 2-core machine two
torch threads were 3x slower than one when other work was running (see training/search/README.md).
"""
from __future__ import annotations

import argparse
import itertools
import os
import sys
import time
import tracemalloc

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import numpy as np
import torch

from engine import apply_move, legal_moves, new_game
from engine.agents import RandomAgent
from ringrift_lake.encoding import encoder_for
from training.model import architecture_for, build_model
from training.search import (ConstantEvaluator, DriverStats, GameSpec, GumbelAgent, NetworkEvaluator,
                             play_games)
from training.search.gumbel import SearchParams, run_search
from training.search.tree import Node

CONFIGS = ("square8", "hex8")
MODELS = ((96, 6), (32, 2))


def make_model(board_type: str, channels: int, blocks: int):
    torch.manual_seed(0)
    enc = encoder_for(board_type)
    arch = architecture_for(board_type, 2, enc.planes_chw, enc.global_size, enc.action_space.size,
                            enc.action_space.n_planes, channels=channels, blocks=blocks)
    return build_model(arch), enc


def clock(device) -> tuple[float, float]:
    if device.type == "cuda":
        torch.cuda.synchronize()
    return time.perf_counter(), time.process_time()


def forward_rate(evaluator: NetworkEvaluator, batch: int, seconds: float) -> tuple[float, float]:
    """(samples per wall-s, per CPU-s) of the bare forward at `batch` (padded like the evaluator)."""
    padded = -(-batch // evaluator.batch_multiple) * evaluator.batch_multiple
    c, h, w = evaluator.encoder.planes_chw
    x = torch.rand(padded, c, h, w).round()
    g = torch.rand(padded, evaluator.encoder.global_size)
    evaluator.forward(x, g)
    wall0, cpu0 = clock(evaluator.device)
    count = 0
    while time.perf_counter() - wall0 < seconds:
        evaluator.forward(x, g)
        count += batch
    wall1, cpu1 = clock(evaluator.device)
    return count / (wall1 - wall0), count / max(cpu1 - cpu0, 1e-9)


def specs(evaluator, budget: int, start: int = 0, count: int | None = None):
    seeds = itertools.count(start) if count is None else range(start, start + count)
    for seed in seeds:
        agent = GumbelAgent(evaluator, budget, seed=seed, gumbel_noise=True)
        yield GameSpec(seed=seed, agents=[agent, agent], max_moves=3000)


def selfplay(board_type: str, evaluator, budget: int, batch: int, games: int):
    """`games` complete games; (stats, wall s, finished games)."""
    stats = DriverStats()
    wall0 = time.perf_counter()
    finished = list(play_games(board_type, 2, specs(evaluator, budget, count=games), batch_games=batch, stats=stats))
    return stats, time.perf_counter() - wall0, finished


class Deadline:
    """An evaluator wrapper that stops a driver run after `seconds` by raising once the time is up (and at
    least `min_positions` positions were searched, so a slow configuration still yields a rate)."""

    class Stop(Exception):
        pass

    def __init__(self, inner, seconds: float, stats: DriverStats | None = None, min_positions: int = 0):
        self.inner, self.deadline = inner, time.perf_counter() + seconds
        self.stats, self.min_positions = stats, min_positions

    def evaluate(self, requests):
        enough = self.stats is None or self.stats.positions_searched >= self.min_positions
        if time.perf_counter() > self.deadline and enough:
            raise Deadline.Stop
        return self.inner.evaluate(requests)


def window(board_type, evaluator, budget, batch, seconds):
    """Selfplay for `seconds` (unfinished games are fine); (stats, wall s, cpu s, finished games)."""
    stats = DriverStats()
    timed = Deadline(evaluator, seconds, stats, min_positions=batch)
    finished = []
    wall0, cpu0 = time.perf_counter(), time.process_time()
    try:
        for game in play_games(board_type, 2, specs(timed, budget), batch_games=batch, stats=stats):
            finished.append(game)
    except Deadline.Stop:
        pass
    return stats, time.perf_counter() - wall0, time.process_time() - cpu0, finished


def measure_ratio(board_type, channels, blocks, device, batch, seconds):
    model, enc = make_model(board_type, channels, blocks)
    evaluator = NetworkEvaluator(model, enc, device, max_batch=batch)
    before = forward_rate(evaluator, batch, seconds / 4)
    stats, wall, cpu, _ = window(board_type, evaluator, 16, batch, seconds)
    mean_batch = max(1, round(stats.mean_batch))
    at_mean = forward_rate(evaluator, mean_batch, seconds / 4)
    play_wall, play_cpu = stats.evaluations / wall, stats.evaluations / max(cpu, 1e-9)
    use_cpu = evaluator.device.type == "cpu"
    ratio = (play_cpu / at_mean[1]) if use_cpu else (play_wall / at_mean[0])
    return {"model": f"{channels}x{blocks}", "evals_s": play_wall, "evals_cpu_s": play_cpu, "forward_s": at_mean[0],
            "forward_cpu_s": at_mean[1], "forward_full_s": before[0], "ratio": ratio, "mean_batch": stats.mean_batch,
            "eval_share": stats.eval_cpu_s / max(stats.eval_cpu_s + stats.tree_cpu_s, 1e-9)}


def overhead_per_simulation(board_type, batch, seconds) -> float:
    stats, _, cpu, _ = window(board_type, ConstantEvaluator(), 16, batch, seconds)
    return (stats.tree_cpu_s + stats.eval_cpu_s) / max(stats.simulations, 1) * 1e6


def games_per_s(board_type, evaluator, budget, batch, games, seconds, per_game_positions=None):
    """(games/s, searched positions/s, measured or estimated, positions per game)."""
    if games:
        stats, wall, finished = selfplay(board_type, evaluator, budget, batch, games)
        positions = stats.positions_searched
        return len(finished) / wall, positions / wall, "measured", positions / max(len(finished), 1)
    stats, wall, _, _ = window(board_type, evaluator, budget, batch, seconds)
    rate = stats.positions_searched / wall
    return rate / per_game_positions, rate, "est.", per_game_positions


def search_tree(state, budget: int, seed: int):
    """The whole tree of one budget-`budget` search of `state` with the ConstantEvaluator."""
    evaluator, root = ConstantEvaluator(), Node(state.copy())
    generator = run_search(root, (), SearchParams(budget, gumbel_noise=True), np.random.default_rng(seed))
    try:
        request = next(generator)
        while True:
            request = generator.send(evaluator.evaluate([request])[0])
    except StopIteration:
        return root


def memory(board_type, batch, seconds) -> dict:
    tracemalloc.start()
    window(board_type, ConstantEvaluator(), 64, batch, seconds)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    positions = []
    for seed in range(16):
        state, rnd = new_game(board_type, 2), RandomAgent(seed)
        while state.status == "active" and (state.move_count < 20 + 5 * seed or len(legal_moves(state)) < 2):
            apply_move(state, rnd.select_move(state, legal_moves(state)))
        positions.append(state)
    tracemalloc.start()
    trees = [search_tree(state, 64, seed) for seed, state in enumerate(positions) if state.status == "active"]
    tree_bytes, _ = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    nodes = sum(t.count_nodes() for t in trees)
    return {"per_game": peak / batch, "per_node": tree_bytes / nodes, "nodes_per_tree": nodes / len(trees)}


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--quick", action="store_true")
    p.add_argument("--device", default="cpu")
    p.add_argument("--batch", type=int, default=64, help="games in flight (the evaluation batch)")
    p.add_argument("--threads", type=int, default=1)
    args = p.parse_args()
    torch.set_num_threads(args.threads)
    device = torch.device(args.device)
    seconds = 12.0 if args.quick else 40.0
    games = None if args.quick else args.batch
    print(f"bench/search.py: device {device}, torch threads {args.threads}, batch {args.batch} games in flight, "
          f"{'quick' if args.quick else 'full'}", flush=True)
    results = {}
    for board_type in CONFIGS:
        config = f"{board_type}_2p"
        print(f"\n== {config}", flush=True)
        for channels, blocks in MODELS:
            r = measure_ratio(board_type, channels, blocks, device, args.batch, seconds)
            results[(config, r["model"])] = r
            print(f"  {r['model']:>5}: selfplay {r['evals_s']:7.0f} evals/s ({r['evals_cpu_s']:7.0f}/CPU-s), forward "
                  f"{r['forward_s']:7.0f}/s ({r['forward_cpu_s']:7.0f}/CPU-s) at batch {r['mean_batch']:.0f} "
                  f"(full batch {r['forward_full_s']:.0f}/s); ratio {r['ratio']:.2f}; evaluator share of CPU "
                  f"{r['eval_share']:.0%}", flush=True)
        us = overhead_per_simulation(board_type, args.batch, seconds / 2)
        print(f"  search overhead {us:.0f} us per simulation (engine + tree + driver, ConstantEvaluator)", flush=True)
        per_game = None
        for channels, blocks in reversed(MODELS):
            model, enc = make_model(board_type, channels, blocks)
            evaluator = NetworkEvaluator(model, enc, device, max_batch=args.batch)
            for budget in (16, 64):
                if args.quick and per_game is None:
                    _, _, _, per_game = games_per_s(board_type, evaluator, 16, 16, 16, None)
                gps, pps, how, per = games_per_s(board_type, evaluator, budget, args.batch, games, seconds / 2,
                                                 per_game)
                print(f"  {channels}x{blocks} budget {budget:2d}: {gps:6.2f} games/s ({how}), {pps:6.1f} searched "
                      f"positions/s, {per:.0f} searched positions per game", flush=True)
        mem = memory(board_type, args.batch, seconds / 3)
        print(f"  memory: {mem['per_game'] / 1e6:.2f} MB per concurrent game (tracemalloc peak / games, budget 64), "
              f"{mem['per_node']:.0f} B per node, {mem['nodes_per_tree']:.0f} nodes per budget-64 tree", flush=True)
    r = results[("square8_2p", "96x6")]
    print(f"\nselfplay/forward evals ratio {r['ratio']:.2f} (square8_2p, batch {args.batch})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
