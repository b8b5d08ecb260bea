"""A short generation loop on one device: search selfplay -> training samples -> training -> selfplay again.

    python3 bench/gpu_loop.py --device cuda --init models/square8_2p-champion.safetensors --out $OUT   # GPU check
    .venv/bin/python bench/gpu_loop.py --device cpu --games 8 --batch-games 8 --budget 8 --steps 20   # smoke

Each generation plays `--games` games (none started after `--selfplay-seconds`) of Gumbel search selfplay
(`--budget` simulations, every ply a full search, Gumbel noise at the root, the first `--sample-plies`
plies sampled from the improved policy), `--batch-games` in flight through one batched NetworkEvaluator
on the device (one process: the tree search is Python on one core); encodes them with the
exporter's own code (`ringrift_lake.export.encode_games.stream_shard`, the improved policies of the
searches as policy targets, as `raw_games.search` holds them) into one .npz shard in a temporary folder;
and trains the network on it with `training.loop.fit` for `--steps` steps. The next generation plays
with the trained network. Printed per generation, and written to `--out`/gpu_loop.json:
  selfplay  games/s, positions/s, network evaluations/s, mean evaluation batch, share of wall time in
            the evaluator (the rest is the Python search: engine, tree, driver)
  training  samples/s (forward + backward + AdamW, fed by the shard loader), the loss
Imports only engine/, the encoder and training/ (no deltalake, duckdb or dagster): it runs on the lent
GPU machine's bare python3. `--init` starts from a checkpoint (e.g. models/square8_2p-champion.safetensors).
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import torch

from engine import parse_config
from ringrift_lake.encoding import ENCODER_VERSION, encoder_for
from ringrift_lake.export.encode_games import GameToEncode, stream_shard
from training import checkpoint
from training.loop import fit, pick_device
from training.model import architecture_for, build_model, parameter_count
from training.search import DriverStats, GameSpec, GumbelAgent, NetworkEvaluator, play_games
from training.search.entries import search_entries
from training.settings import FitSettings
from training.shards import ShardSet


def make_model(args, board_type: str, num_players: int):
    if args.init:
        loaded = checkpoint.load(None, args.init, expect_board=board_type, expect_encoder_version=ENCODER_VERSION)
        return loaded.model
    torch.manual_seed(0)
    enc = encoder_for(board_type)
    arch = architecture_for(board_type, num_players, enc.planes_chw, enc.global_size, enc.action_space.size,
                            enc.action_space.n_planes, channels=args.channels, blocks=args.blocks)
    return build_model(arch)


def selfplay(model, args, board_type: str, num_players: int, generation: int, device) -> tuple[list, dict]:
    """Finished games of one generation and the selfplay figures."""
    model.to(device).eval()
    evaluator = NetworkEvaluator(model, encoder_for(board_type), device=device)
    stats = DriverStats()
    started = time.perf_counter()

    def specs():
        for g in range(args.games):
            if time.perf_counter() - started > args.selfplay_seconds:
                return                       # no new games; those in flight finish
            seed = generation * 1_000_003 + g
            agents = [GumbelAgent(evaluator, args.budget, seed=seed * 4 + k, gumbel_noise=True,
                                  sample_plies=args.sample_plies) for k in range(num_players)]
            yield GameSpec(seed, agents, max_moves=args.max_moves)

    games = list(play_games(board_type, num_players, specs(), batch_games=args.batch_games, stats=stats))
    wall = time.perf_counter() - started
    done = [g for g in games if g.status == "completed"]
    figures = {"games": len(done), "unfinished": len(games) - len(done), "wall_s": round(wall, 2),
               "games_per_s": len(done) / wall, "positions_per_s": stats.positions_searched / wall,
               "evals_per_s": stats.evaluations / wall, "mean_batch": stats.mean_batch,
               "evaluator_share": stats.eval_wall_s / wall, "simulations": stats.simulations,
               "plies": sum(g.num_moves for g in done)}
    return done, figures


def to_shard(games: list, board_type: str, num_players: int, folder: str, generation: int) -> str:
    """One .npz shard of the games, written by the exporter's code (policy targets: full searches)."""
    to_encode = []
    for i, game in enumerate(games):
        options = game.final_state.options
        search = search_entries(board_type, num_players, game.moves, game.searches, options)
        to_encode.append(GameToEncode(f"gen{generation}-game{i}", i + 1, game.winner, options,
                                      [json.dumps(m) for m in game.moves_json], [None] * game.num_moves,
                                      search=search, reason=game.reason))
    path = os.path.join(folder, f"gen{generation}.npz")
    with open(path, "wb") as stream:
        stream_shard(stream, board_type, num_players, to_encode)
    return path


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--config", default="square8_2p")
    ap.add_argument("--device", default="auto", help="auto | cpu | cuda[:k]")
    ap.add_argument("--generations", type=int, default=2)
    ap.add_argument("--games", type=int, default=64, help="selfplay games per generation")
    ap.add_argument("--selfplay-seconds", type=float, default=120.0,
                    help="start no new game after this long (those in flight finish)")
    ap.add_argument("--batch-games", type=int, default=64, help="games in flight (one evaluation batch)")
    ap.add_argument("--budget", type=int, default=64, help="search simulations per move")
    ap.add_argument("--sample-plies", type=int, default=8, help="plies sampled from the improved policy")
    ap.add_argument("--max-moves", type=int, default=600, help="a game longer than this is dropped")
    ap.add_argument("--steps", type=int, default=300, help="training steps per generation")
    ap.add_argument("--batch-size", type=int, default=1024)
    ap.add_argument("--lr", type=float, default=2e-3)
    ap.add_argument("--channels", type=int, default=96, help="fresh network width (without --init)")
    ap.add_argument("--blocks", type=int, default=6, help="fresh network depth (without --init)")
    ap.add_argument("--init", default=None, help="start from this checkpoint (.safetensors)")
    ap.add_argument("--out", default=None, help="folder for gpu_loop.json")
    args = ap.parse_args()

    cfg = parse_config(args.config)
    device = pick_device(args.device)
    model = make_model(args, cfg.board_type, cfg.num_players)
    report = {"config": args.config, "device": str(device), "parameters": parameter_count(model),
              "gpu": torch.cuda.get_device_name(device) if device.type == "cuda" else None,
              "args": vars(args), "generations": []}
    print(f"{args.config} on {device} ({report['gpu'] or 'no GPU'}), {report['parameters']:,} parameters", flush=True)
    with tempfile.TemporaryDirectory() as folder:
        for generation in range(args.generations):
            games, play = selfplay(model, args, cfg.board_type, cfg.num_players, generation, device)
            print(f"gen {generation} selfplay: {play['games']} games in {play['wall_s']:.1f} s, "
                  f"{play['games_per_s']:.2f} games/s, {play['positions_per_s']:.0f} positions/s, "
                  f"{play['evals_per_s']:,.0f} evals/s (batch {play['mean_batch']:.0f}, "
                  f"{play['evaluator_share']:.0%} of wall in the evaluator)", flush=True)
            shard = to_shard(games, cfg.board_type, cfg.num_players, folder, generation)
            settings = FitSettings(epochs=1_000, max_steps=args.steps, batch_size=args.batch_size, lr=args.lr,
                                   warmup_steps=min(20, args.steps // 5), patience=1_000, device=str(device))
            metrics = fit(model, ShardSet([shard], val_fraction=0.05), settings, log=lambda line: None)
            train = {k: metrics[k] for k in ("steps", "samples_per_s", "train_loss", "val_loss",
                                             "val_policy_accuracy", "train_positions", "amp")}
            print(f"gen {generation} train: {train['steps']} steps on {train['train_positions']:,} positions, "
                  f"{train['samples_per_s']:,.0f} samples/s, val loss {train['val_loss']:.3f} "
                  f"(top-1 {train['val_policy_accuracy']:.3f}), amp {train['amp']}", flush=True)
            report["generations"].append({"generation": generation, "selfplay": play, "train": train})
    if args.out:
        os.makedirs(args.out, exist_ok=True)
        with open(os.path.join(args.out, "gpu_loop.json"), "w") as f:
            json.dump(report, f, indent=1, default=str)


if __name__ == "__main__":
    main()
