"""The fleet worker: a long-running selfplay process for any machine that can reach the lake.

    FleetWorker(Lake.from_env(), WorkerSettings(configs=["square8_2p"])).run()    # ringrift-lake worker

Each batch: re-read the allocation when `refresh_s` has passed (`ringrift_lake.fleet`), draw a config
from its batch shares, read the config's champion (`champion` in the player template; `fallback`
while there is none), fetch its checkpoint into the local cache (verified sha256 + safetensors),
play `batch_games` games at once through the game harness (`training.play.games.play_jobs`: the
batched search driver), and append them to raw_games in one atomic commit, recorded in the commit
journal around the commit. A heartbeat row goes to `workers` at start, every `heartbeat_s` (from a
thread) and at the end. A new champion is picked up at the next batch: its network is loaded
once, the old one dropped; no restart.

SIGTERM/SIGINT: with `on_term=drop` (default) the games in hand are dropped at once (nothing of them
is committed) and the worker exits 0 after a last `stopped` heartbeat; a signal during the commit
lets the commit finish first. With `on_term=finish` the batch in hand is played and committed first.
"""
from __future__ import annotations

import os
import random
import secrets
import signal
import sys
import time
import uuid
from dataclasses import dataclass, replace

from ringrift_lake import tables
from ringrift_lake.fleet.allocation_table import latest_allocation
from ringrift_lake.fleet.choice import draw_config, selfplay_player
from ringrift_lake.fleet.heartbeat import Heartbeat, HeartbeatPump, default_worker_id
from ringrift_lake.fleet.journal import CommitJournal
from ringrift_lake.location import Lake
from ringrift_lake.records.rows import TABLE, write_raw_games
from training.fleet.checkpoint_cache import CheckpointCache
from training.fleet.settings import WorkerSettings
from training.play.agents import AgentFactory, Player, resolve_player
from training.play.games import play_jobs
from training.play.plan import selfplay_plan
from training.play.selfplay import SELFPLAY_OPTIONS
from training.search.stats import DriverStats


class StopRequested(Exception):
    """Raised by the signal handler to drop the games in hand."""


@dataclass
class WorkerReport:
    worker_id: str
    batches: int = 0
    games_committed: int = 0
    games_dropped: int = 0
    games_unfinished: int = 0
    champions_seen: int = 0
    stop_reason: str = "done"


class FleetWorker:
    def __init__(self, lake: Lake, settings: WorkerSettings, log=None):
        self.lake, self.s = lake, settings
        self.worker_id = default_worker_id(settings.name or os.environ.get("RINGRIFT_WORKER_NAME"))
        self.log = log or (lambda line: print(f"worker {self.worker_id}: {line}", file=sys.stderr, flush=True))
        self.heartbeat = Heartbeat(self.worker_id, list(settings.configs or []))
        self.report = WorkerReport(self.worker_id)
        self.journal = CommitJournal(settings.journal)
        self.cache = CheckpointCache(settings.cache)
        self.rng = random.Random(settings.seed)
        self.options = replace(SELFPLAY_OPTIONS, device=settings.device, batch_games=settings.batch_games)
        self._factories: dict[str, tuple[str, AgentFactory]] = {}   # config -> (player id, factory)
        self._allocation: dict = {}
        self._allocation_read = float("-inf")
        self._stop: str | None = None
        self._in_hand = self._committing = False

    # --- signals ---------------------------------------------------------------------------------
    def _on_signal(self, signum, frame) -> None:
        self._stop = signal.Signals(signum).name
        if self.s.on_term == "drop" and self._in_hand and not self._committing:
            raise StopRequested(self._stop)

    # --- one batch -------------------------------------------------------------------------------
    def _player(self, config: str) -> Player:
        """The batch's player, its network (if any) in the local cache."""
        player = resolve_player(self.lake, config, selfplay_player(self.lake, config, self.s.player, self.s.fallback))
        if player.spec.model_id:
            player = Player(player.player_id, self.cache.fetch(self.lake, player.spec.model_id))
        return player

    def _factory(self, config: str, player: Player) -> AgentFactory:
        current = self._factories.get(config)
        if current is None or current[0] != player.player_id:
            if current is not None:
                self.log(f"{config}: new champion player {player.player_id} (was {current[0]})")
            self.report.champions_seen += 1
            checkpoints = {player.player_id: player.checkpoint} if player.checkpoint else {}
            self._factories[config] = (player.player_id, AgentFactory(self.lake, config, checkpoints, self.options))
        return self._factories[config][1]

    def _run_seed(self) -> int:
        if self.s.seed is None:
            return secrets.randbits(48)
        return random.Random(f"{self.s.seed}/{self.worker_id}/{self.report.batches}").getrandbits(48)

    def _play(self, config: str, player: Player) -> list[dict]:
        from engine import parse_config

        seats = [player] * parse_config(config).num_players
        plan = selfplay_plan(config, seats, self.s.batch_games, self._run_seed(), "selfplay", self.options,
                             self.s.max_moves)
        factory = self._factory(config, player)
        rows, unfinished = [], 0
        self._in_hand = True
        try:
            for finished in play_jobs(plan, plan.jobs, factory, DriverStats()):
                if finished.completed:
                    rows.append(finished.row)
                else:
                    unfinished += 1
                if self._stop and self.s.on_term == "drop":
                    raise StopRequested(self._stop)
        except StopRequested:
            self.report.games_dropped += len(plan.jobs) - unfinished
            raise
        finally:
            self._in_hand = False
        self.report.games_unfinished += unfinished
        return rows

    def _commit(self, config: str, rows: list[dict], table) -> None:
        batch_id = uuid.uuid4().hex
        self._committing = True
        try:
            self.journal.pending(batch_id, config, [r["game_id"] for r in rows])
            version = write_raw_games(self.lake, rows, writer=self.worker_id, batch_id=batch_id, table=table)
            self.journal.committed(batch_id, version)
        finally:
            self._committing = False
        self.report.games_committed += len(rows)
        self.heartbeat.games_committed += len(rows)
        self.heartbeat.batches_committed += 1

    # --- the loop --------------------------------------------------------------------------------
    def _refresh_allocation(self) -> None:
        if time.monotonic() - self._allocation_read >= self.s.refresh_s:
            self._allocation = latest_allocation(self.lake)
            self._allocation_read = time.monotonic()

    def _done(self, started: float) -> bool:
        s = self.s
        return bool(self._stop or (s.max_batches and self.report.batches >= s.max_batches)
                    or (s.max_seconds and time.monotonic() - started >= s.max_seconds))

    def _loop(self, table) -> None:
        started = time.monotonic()
        while not self._done(started):
            self._refresh_allocation()
            config = draw_config(self._allocation, self.s.configs, self.rng)
            player = self._player(config)
            self.heartbeat.config, self.heartbeat.player = config, player.player_id
            self.heartbeat.model_id = player.spec.model_id
            rows = self._play(config, player)
            if rows:
                self._commit(config, rows, table)
            self.report.batches += 1
            self.heartbeat.commit_retries = tables.retry_count()
        self.report.stop_reason = self._stop or "done"

    def run(self) -> WorkerReport:
        """Batches until stopped (module docstring); the report of what it committed."""
        previous = {sig: signal.signal(sig, self._on_signal) for sig in (signal.SIGTERM, signal.SIGINT)}
        pump = HeartbeatPump(self.lake, self.heartbeat, self.s.heartbeat_s, self.log)
        if self.s.threads:
            import torch

            torch.set_num_threads(self.s.threads)
        try:
            settled = self.journal.resolve_pending(self.lake)
            if settled:
                self.log(f"settled batches left pending by the last run: {settled}")
            table = tables.ensure_table(self.lake, TABLE)
            pump.start()
            self._loop(table)
        except StopRequested as stop:
            self.report.stop_reason = f"{stop}: dropped the games in hand"
        except BaseException as exc:
            self.report.stop_reason = f"failed: {type(exc).__name__}: {exc}"
            raise
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)
            self.heartbeat.commit_retries = tables.retry_count()
            pump.stop("stopped", self.report.stop_reason)
            self.log(f"stopped ({self.report.stop_reason}): {self.report.games_committed} games in "
                     f"{self.report.batches} batches")
        return self.report
