"""Per board: memory and speed of the 2p -> 3p transfer, a training step and batched Gumbel search.

    python bench/boards.py                             # square8, hex8, square19, hexagonal; 32x4 model, CPU
    python bench/boards.py --channels 96 --blocks 6 --device cuda --batch-size 256

Each board runs in its own process (peak RSS is per board): a 2-player network of the given size is
built and transferred to 3 players (`training.transfer.resize_value_head`, the `--init` path);
the 3-player network then takes --steps training steps (forward + backward + AdamW, the training
loss, on synthetic shards with the board's real encoder shapes and action space) and plays
--games games at once with Gumbel search (--budget simulations per move, --plies plies each,
one batched network evaluation per step). Printed: parameters, transfer ms, ms per training step,
samples/s, search positions/s and evaluations/s, and peak RSS (CUDA: peak allocated) after each part.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BOARDS = ("square8", "hex8", "square19", "hexagonal")


def _peak_mb(device) -> float:
    import torch

    if device.type == "cuda":
        return torch.cuda.max_memory_allocated(device) / 2**20
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure(board: str, a) -> dict:
    import torch

    from bench.train import model_rate, write_synthetic_shards
    from engine import parse_config
    from ringrift_lake.encoding import encoder_for
    from training.loop import pick_device, to_tensors
    from training.model import architecture_for, build_model, parameter_count
    from training.search.agents import GumbelAgent
    from training.search.driver import GameSpec, play_games
    from training.search.network_eval import NetworkEvaluator
    from training.search.stats import DriverStats
    from training.shards import ShardSet
    from training.transfer import resize_value_head

    if a.threads:
        torch.set_num_threads(a.threads)
    device = pick_device(a.device)
    enc = encoder_for(board)
    space = enc.action_space
    out = {"board": board, "policy_size": space.size, "grid": list(enc.planes_chw), "device": str(device)}
    two = build_model(architecture_for(board, 2, enc.planes_chw, enc.global_size, space.size, space.n_planes,
                                       a.channels, a.blocks))
    started = time.perf_counter()
    model = resize_value_head(two, 3).to(device)
    out.update(params=parameter_count(model), transfer_ms=1000 * (time.perf_counter() - started),
               rss_model_mb=_peak_mb(device))
    with tempfile.TemporaryDirectory(prefix="bench-boards-") as folder:
        shards = ShardSet(write_synthetic_shards(folder, enc.planes_chw, enc.global_size, space.size,
                                                 a.batch_size * 4), val_fraction=0.0)
        batches = [to_tensors(shards.gather(shards.train_refs[k * a.batch_size:(k + 1) * a.batch_size]), False)
                   for k in range(4)]
        rate = model_rate(model.train(), batches, device, a.steps, 1)
    out.update(train_samples_per_s=rate, train_step_ms=1000 * a.batch_size / rate, rss_train_mb=_peak_mb(device))
    cfg = parse_config(f"{board}_3p")
    evaluator = NetworkEvaluator(model.eval(), enc, device=str(device))
    stats = DriverStats()
    specs = (GameSpec(seed=s, agents=[GumbelAgent(evaluator, a.budget, seed=s)] * 3, max_moves=a.plies)
             for s in range(a.games))
    started = time.perf_counter()
    with torch.inference_mode():
        games = list(play_games(cfg.board_type, 3, specs, batch_games=a.games, stats=stats))
    wall = time.perf_counter() - started
    out.update(search_positions_per_s=stats.positions_searched / wall, search_evals_per_s=stats.evaluations / wall,
               search_mean_batch=stats.mean_batch, search_ms_per_move=1000 * wall * a.games / max(
                   sum(g.num_moves for g in games), 1), rss_search_mb=_peak_mb(device))
    return out


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--boards", nargs="+", default=list(BOARDS))
    p.add_argument("--channels", type=int, default=32)
    p.add_argument("--blocks", type=int, default=4)
    p.add_argument("--batch-size", type=int, default=64)
    p.add_argument("--steps", type=int, default=5)
    p.add_argument("--budget", type=int, default=16)
    p.add_argument("--games", type=int, default=8)
    p.add_argument("--plies", type=int, default=12)
    p.add_argument("--device", default="cpu")
    p.add_argument("--threads", type=int, default=0)
    p.add_argument("--one", help=argparse.SUPPRESS)
    a = p.parse_args(argv)
    if a.one:
        print(json.dumps(measure(a.one, a)))
        return 0
    passthrough = list(argv if argv is not None else sys.argv[1:])
    print(f"model {a.channels}x{a.blocks}, batch {a.batch_size}, search budget {a.budget} x {a.games} games, "
          f"device {a.device}")
    print(f"{'board':10} {'policy':>7} {'params':>10} {'transfer':>9} {'step ms':>8} {'samples/s':>9} "
          f"{'pos/s':>7} {'evals/s':>8} {'ms/move':>8} {'RSS train':>10} {'RSS search':>10}")
    for board in a.boards:
        done = subprocess.run([sys.executable, __file__, *passthrough, "--one", board], capture_output=True, text=True)
        if done.returncode != 0:
            print(f"{board:10} failed: {done.stderr.strip().splitlines()[-1] if done.stderr else done.returncode}")
            continue
        r = json.loads(done.stdout.strip().splitlines()[-1])
        print(f"{board:10} {r['policy_size']:>7} {r['params']:>10,} {r['transfer_ms']:>7.1f}ms {r['train_step_ms']:>8.0f} "
              f"{r['train_samples_per_s']:>9.0f} {r['search_positions_per_s']:>7.1f} {r['search_evals_per_s']:>8.0f} "
              f"{r['search_ms_per_move']:>8.1f} {r['rss_train_mb']:>8.0f}MB {r['rss_search_mb']:>8.0f}MB", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
