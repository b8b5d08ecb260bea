"""Fleet-test helpers: real worker processes (`python -m cli worker`), a tiny network promoted to
champion through the real registry transaction, and the checks on what the workers left in the lake."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

import torch

from ringrift_lake import tables
from ringrift_lake.encoding import ENCODER_VERSION, encoder_for
from ringrift_lake.fleet.journal import committed_ids, entries
from ringrift_lake.promotion.decision import PromotionRules
from ringrift_lake.promotion.registry import promote
from training import checkpoint
from training.model import architecture_for, build_model
from training.train import register

REPO = Path(__file__).resolve().parents[2]
WORKER_FLAGS = ["--player", "gumbel4:champion", "--fallback", "heuristic", "--batch-games", "3", "--threads", "1",
                "--heartbeat-s", "0.5", "--refresh-s", "1"]
LENIENT = PromotionRules(min_games=2, min_rate_vs_random=0.5, min_rate_vs_heuristic=0.5, significance=0.3)


class Worker:
    """One worker slot: a journal kept across the processes started in it."""

    def __init__(self, folder: Path, slot: str, configs: list[str], env: dict):
        self.folder, self.slot, self.configs, self.env = folder, slot, configs, env
        self.journal = folder / f"{slot}.journal"
        self.process: subprocess.Popen | None = None
        self.pids: list[int] = []

    def start(self) -> None:
        log = open(self.folder / f"{self.slot}-{len(self.pids)}.log", "wb")
        argv = [sys.executable, "-m", "cli", "worker", "--configs", *self.configs, "--journal", str(self.journal),
                "--cache", str(self.folder / f"cache-{self.slot}"), *WORKER_FLAGS]
        self.process = subprocess.Popen(argv, cwd=REPO, env=self.env, stdout=log, stderr=subprocess.STDOUT)
        self.pids.append(self.process.pid)

    def batches(self) -> int:
        return sum(1 for e in entries(str(self.journal)) if e["state"] == "committed")

    def kill(self) -> None:
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=30)

    def terminate(self, timeout_s: float = 60) -> int:
        self.process.send_signal(signal.SIGTERM)
        return self.process.wait(timeout=timeout_s)

    def log_tail(self) -> str:
        return "".join((self.folder / f"{self.slot}-{k}.log").read_text(errors="replace")[-1500:]
                       for k in range(len(self.pids)))


def wait_until(what: str, probe, workers: list[Worker], timeout_s: float = 240, every_s: float = 0.5):
    end = time.monotonic() + timeout_s
    while time.monotonic() < end:
        value = probe()
        if value:
            return value
        for w in workers:
            if w.process and w.process.poll() is not None and w.process.returncode not in (0, -9):
                raise AssertionError(f"worker {w.slot} exited {w.process.returncode}:\n{w.log_tail()}")
        time.sleep(every_s)
    raise AssertionError(f"gave up waiting for {what}\n" + "\n".join(w.log_tail() for w in workers))


def promote_network(lake, config: str, seed: int) -> str:
    """A tiny network registered as a candidate, its gauntlet results recorded (it beat random and the
    heuristic, and the current champion if any), and promoted by the registry's real transaction."""
    board, players = config.rsplit("_", 1)
    num_players = int(players[0])
    torch.manual_seed(seed)
    enc = encoder_for(board)
    model = build_model(architecture_for(board, num_players, enc.planes_chw, enc.global_size, enc.action_space.size,
                                         enc.action_space.n_planes, channels=8, blocks=1))
    saved = checkpoint.save(lake, model, config=config, encoder_version=ENCODER_VERSION, dataset_id=None)
    register(lake, saved, config, None, None, {})
    candidate = f"model:{saved.model_id}"
    champion = [r["model_id"] for r in tables.read(lake, "models").to_pylist()
                if r["config"] == config and r["status"] == "champion"]
    opponents = ["random", "heuristic"] + [f"model:{m}" for m in champion]
    now = datetime.now(timezone.utc)
    tables.append(lake, "matches", [
        {"match_id": f"{saved.model_id}-{o}-{k}", "config": config, "game_id": f"{saved.model_id}-{o}-{k}",
         "players": [candidate] + [o] * (num_players - 1), "winner": 1, "winner_player": candidate,
         "ranks": [1] + [2] * (num_players - 1), "reason": "ring_elimination", "num_moves": 50,
         "gauntlet_id": f"fleet-test-{seed}", "created_at": now}
        for o in opponents for k in range(3)])
    result = promote(lake, config, saved.model_id, LENIENT)
    assert result.champion == saved.model_id, result.decision.reasons
    return saved.model_id


def journal_game_ids(workers: list[Worker]) -> list[str]:
    return [gid for w in workers for gid in committed_ids(str(w.journal))]


def champion_rows(lake, config: str, model_id: str) -> int:
    rows = tables.read(lake, "raw_games", columns=["config", "seats"]).to_pylist()
    return sum(1 for r in rows if r["config"] == config and r["seats"][0]["model_id"] == model_id)


def pending_left(workers: list[Worker]) -> dict:
    from ringrift_lake.fleet.journal import unresolved

    return {w.slot: list(unresolved(str(w.journal))) for w in workers if unresolved(str(w.journal))}


def worker_report(process_output: str) -> dict:
    return json.loads(process_output.strip().splitlines()[-1])


def lake_env_for(base: dict) -> dict:
    env = dict(base)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")]))
    return env
