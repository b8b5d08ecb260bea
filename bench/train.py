"""Training throughput: model step samples/s beside the shard loader's own samples/s, in one run.

    .venv/bin/python bench/train.py                        # square8 2p, default 96x6 model, CPU
    .venv/bin/python bench/train.py --device cuda --batch-size 1024 --steps 200   # also GPU utilisation
    .venv/bin/python bench/train.py --shards a.npz b.npz   # real shards instead of synthetic ones

Synthetic shards as the exporter writes them (the real encoder's plane/global
shapes and action-space size, uint8 planes in eighths, one-hot targets, ~40 legal
moves per sample, so the policy loss is the legal-masked one) are written to a
temporary folder with np.savez unless --shards is given. Three figures:
  loader   batches gathered from the memory-mapped shards, no model (1 and N threads);
  model    forward + backward + AdamW on batches already in memory (the same
           loss code as training, autocast + channels_last on CUDA);
  together the model fed by the background prefetcher, as `fit` runs it.
The loader must be >= 5x the model rate; the last line says whether it is.
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import numpy as np
import torch

from training.loop import _amp_dtype, losses, pick_device, to_tensors
from training.model import architecture_for, build_model, parameter_count
from training.settings import DEFAULT_BLOCKS, DEFAULT_CHANNELS
from training.shards import Prefetcher, ShardSet


LEGAL_PER_SAMPLE = 40


def write_synthetic_shards(folder: str, planes_chw, global_size: int, policy_size: int, samples: int,
                           per_shard: int = 8192) -> list[str]:
    rng, paths = np.random.default_rng(0), []
    for start in range(0, samples, per_shard):
        n = min(per_shard, samples - start)
        path = os.path.join(folder, f"bench-{start // per_shard}.npz")
        legal_nl = np.sort(rng.choice(policy_size, size=(n, LEGAL_PER_SAMPLE)), axis=1)     # may repeat: fine here
        np.savez(path, planes_nchw=(rng.random((n, *planes_chw), dtype=np.float32) < 0.2).astype(np.uint8) * 8,
                 globals_nf=rng.random((n, global_size), dtype=np.float32),
                 policy_offsets=np.arange(n + 1, dtype=np.int64),
                 policy_indices=legal_nl[:, 0].astype(np.int32),
                 legal_offsets=np.arange(0, n * LEGAL_PER_SAMPLE + 1, LEGAL_PER_SAMPLE, dtype=np.int64),
                 legal_indices=legal_nl.reshape(-1).astype(np.int32),
                 policy_probs=np.ones(n, np.float32), values_nseat=np.zeros((n, 4), np.float32),
                 value_n=np.zeros(n, np.float32), player_to_move_n=np.ones(n, np.int8),
                 game_key_n=(start + np.arange(n, dtype=np.int64)) // 100, ply_n=np.zeros(n, np.int32))
        paths.append(path)
    return paths


class GpuUtilisation:
    """Samples GPU utilisation (torch.cuda.utilization, else nvidia-smi) on a thread."""

    def __init__(self, device: torch.device):
        self.samples: list[float] = []
        self._stop = threading.Event()
        self._index = device.index or 0
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _read(self) -> float | None:
        try:
            return float(torch.cuda.utilization(self._index))
        except Exception:
            try:
                out = subprocess.run(["nvidia-smi", "--query-gpu=utilization.gpu", "--format=csv,noheader,nounits",
                                      f"--id={self._index}"], capture_output=True, text=True, timeout=5)
                return float(out.stdout.strip().splitlines()[0])
            except Exception:
                return None

    def _run(self) -> None:
        while not self._stop.wait(0.2):
            value = self._read()
            if value is not None:
                self.samples.append(value)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()

    def summary(self) -> str:
        if not self.samples:
            return "GPU utilisation: unavailable (no torch.cuda.utilization / nvidia-smi)"
        return f"GPU utilisation: mean {np.mean(self.samples):.0f}%, max {max(self.samples):.0f}% ({len(self.samples)} samples)"


def loader_rate(shards: ShardSet, batch_size: int, batches: int, workers: int) -> float:
    """Samples/s of the loader alone: `workers` threads gathering batches (as `fit` runs them), no model."""
    rng = np.random.default_rng(1)
    chunks = []
    while len(chunks) < batches:
        chunks += shards.train_chunks(batch_size, rng)
    feed = Prefetcher(chunks[:batches], lambda refs: to_tensors(shards.gather(refs), False), depth=8, workers=workers)
    started = time.perf_counter()
    try:
        done = sum(t["planes"].shape[0] for t in feed)
    finally:
        feed.close()
    return done / (time.perf_counter() - started)


def model_rate(model, batches_in_memory: list, device, steps: int, warmup: int, tensors_from=None) -> float:
    amp_dtype, channels_last = _amp_dtype(device, "auto"), device.type == "cuda"
    optimizer = torch.optim.AdamW(model.parameters(), lr=1e-3)
    source = tensors_from if tensors_from is not None else (batches_in_memory[i % len(batches_in_memory)]
                                                            for i in range(warmup + steps))
    started, seen = None, 0
    for i, t in enumerate(source):
        if i == warmup:
            if device.type == "cuda":
                torch.cuda.synchronize()
            started = time.perf_counter()
        policy, value, _ = losses(model, t, device, amp_dtype, channels_last)
        optimizer.zero_grad(set_to_none=True)
        (policy + value).backward()
        optimizer.step()
        if i >= warmup:
            seen += t["planes"].shape[0]
        if i + 1 >= warmup + steps:
            break
    if device.type == "cuda":
        torch.cuda.synchronize()
    return seen / (time.perf_counter() - started)


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--board", default="square8")
    p.add_argument("--players", type=int, default=2)
    p.add_argument("--shards", nargs="+")
    p.add_argument("--samples", type=int, default=16384, help="synthetic samples to write")
    p.add_argument("--batch-size", type=int, default=256)
    p.add_argument("--steps", type=int, default=20, help="timed model steps")
    p.add_argument("--warmup", type=int, default=3)
    p.add_argument("--loader-batches", type=int, default=100)
    p.add_argument("--loader-workers", type=int, default=2, help="loader threads (as train --loader-workers)")
    p.add_argument("--channels", type=int, default=DEFAULT_CHANNELS)
    p.add_argument("--blocks", type=int, default=DEFAULT_BLOCKS)
    p.add_argument("--device", default="cpu")
    p.add_argument("--threads", type=int, help="torch CPU threads (default: torch's choice)")
    args = p.parse_args()
    if args.threads:
        torch.set_num_threads(args.threads)
    from ringrift_lake.encoding import encoder_for

    encoder = encoder_for(args.board)
    space = encoder.action_space
    with tempfile.TemporaryDirectory(prefix="bench-train-") as folder:
        paths = args.shards or write_synthetic_shards(folder, encoder.planes_chw, encoder.global_size, space.size,
                                                      args.samples)
        shards = ShardSet(paths, val_fraction=0.05)
        device = pick_device(args.device)
        model = build_model(architecture_for(args.board, args.players, shards.planes_chw, shards.global_size,
                                             space.size, space.n_planes, args.channels, args.blocks)).to(device)
        if device.type == "cuda":
            model.to(memory_format=torch.channels_last)
        print(f"{args.board} {args.players}p: planes {shards.planes_chw}, globals {shards.global_size}, "
              f"policy {space.size}; model {args.channels}x{args.blocks} {parameter_count(model):,} params; "
              f"device {device}, torch threads {torch.get_num_threads()}, batch {args.batch_size}")
        loader_1 = loader_rate(shards, args.batch_size, args.loader_batches, 1)
        loader_n = loader_rate(shards, args.batch_size, args.loader_batches, args.loader_workers)
        in_memory = [to_tensors(b, False) for _, b in zip(range(4), shards.train_batches(args.batch_size,
                                                                                        np.random.default_rng(2)))]
        util = GpuUtilisation(device) if device.type == "cuda" else None
        if util:
            util.__enter__()
        model_only = model_rate(model, in_memory, device, args.steps, args.warmup)
        pin, rng, chunks = device.type == "cuda", np.random.default_rng(3), []
        while len(chunks) < args.warmup + args.steps:
            chunks += shards.train_chunks(args.batch_size, rng)
        feed = Prefetcher(chunks, lambda refs: to_tensors(shards.gather(refs), pin), depth=8,
                          workers=args.loader_workers)
        try:
            together = model_rate(model, [], device, args.steps, args.warmup, tensors_from=iter(feed))
        finally:
            feed.close()
        if util:
            util.__exit__(None, None, None)
        print(f"{'loader, 1 thread (no model)':<34}{loader_1:>12,.0f} samples/s")
        print(f"{f'loader, {args.loader_workers} threads (no model)':<34}{loader_n:>12,.0f} samples/s")
        print(f"{'model step (data in memory)':<34}{model_only:>12,.0f} samples/s")
        print(f"{'model fed by the loader threads':<34}{together:>12,.0f} samples/s")
        if util:
            print(util.summary())
        ratio = max(loader_1, loader_n) / model_only
        verdict = "OK" if ratio >= 5 else "TOO SLOW"
        print(f"loader / model = {ratio:.1f}x (needs >= 5x): {verdict}")
        return 0 if ratio >= 5 else 1


if __name__ == "__main__":
    sys.exit(main())
