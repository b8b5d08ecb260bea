"""One selfplay worker: play its share of games, commit them to raw_games in batches.

Runs in a ``spawn``-ed child process (delta-rs must not run in a forked
child) or in-process (``workers=0``). It talks to the parent only through
``emit(message)``; messages are plain tuples:

* ``("committed", worker, game_ids, moves, version)`` after each commit:
  these games are durable in raw_games from now on;
* ``("present", worker, game_ids)`` on start-up: games of this run that a
  previous attempt (or an earlier run with the same explicit seed) already
  committed; they are skipped, not replayed;
* ``("unfinished", worker, game_id)`` for a game the engine did not finish
  (not written);
* ``("done", worker)`` when its share is committed.

A worker whose parent dies (SIGKILL) commits the games it holds and exits
instead of playing on as an orphan.

Game ids and seeds are deterministic: ``<config>-<run seed hex>-w<worker>-<index>``
and a 63-bit game seed hashed from the same four values, so a restarted worker
replays exactly the games its predecessor had not committed.
"""
from __future__ import annotations

import hashlib
import os
import time
import uuid
from dataclasses import dataclass
from datetime import datetime, timezone

import pyarrow.compute as pc

from ringrift_lake import tables
from ringrift_lake.location import Lake
from ringrift_lake.selfplay.rows import TABLE, game_row, seat_rows, write_raw_games, writer_id

AGENT_NAMES = ("random", "heuristic")


@dataclass(frozen=True)
class WorkerTask:
    lake_root: str
    storage_options: tuple[tuple[str, str], ...]
    config: str
    agents: tuple[str, ...]          # agent name per seat
    run_seed: int
    worker: int
    count: int                       # games this worker plays (indexes 0..count-1)
    batch_size: int
    flush_seconds: float
    source: str
    present: frozenset[str] | None   # ids of this worker already committed; None: look them up first

    @property
    def lake(self) -> Lake:
        return Lake(self.lake_root, dict(self.storage_options))

    @property
    def id_prefix(self) -> str:
        return f"{run_prefix(self.config, self.run_seed)}{self.worker}-"


def selfplay_game_id(config: str, run_seed: int, worker: int, index: int) -> str:
    return f"{run_prefix(config, run_seed)}{worker}-{index}"


def game_seed(config: str, run_seed: int, worker: int, index: int) -> int:
    digest = hashlib.blake2b(f"{config}:{run_seed}:{worker}:{index}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big") >> 1


def make_agent(name: str, seed: int):
    from engine.agents import HeuristicAgent, RandomAgent

    agents = {"random": RandomAgent, "heuristic": HeuristicAgent}
    if name not in agents:
        raise ValueError(f"unknown agent {name!r}; agents: {', '.join(AGENT_NAMES)}")
    return agents[name](seed=seed)


def run_prefix(config: str, run_seed: int) -> str:
    return f"{config}-{run_seed:x}-w"


def present_game_ids(lake: Lake, config: str, prefix: str) -> set[str]:
    """Game ids starting with ``prefix`` already in raw_games (config partition only)."""
    expr = (pc.field("config") == config) & pc.starts_with(pc.field("game_id"), prefix)
    return set(tables.read(lake, TABLE, columns=["game_id"], filter=expr).column("game_id").to_pylist())


def run_worker(task: WorkerTask, emit) -> None:
    from engine import parse_config, play_game

    lake = task.lake
    parent = os.getppid()
    cfg = parse_config(task.config)
    board_type, num_players = cfg.board_type, cfg.num_players
    present = task.present if task.present is not None else present_game_ids(lake, task.config, task.id_prefix)
    if present:
        emit(("present", task.worker, sorted(present)))
    writer = writer_id(task.worker)
    table = tables.ensure_table(lake, TABLE)
    pending: list[dict] = []
    last_flush = time.monotonic()

    def flush():
        nonlocal pending, last_flush
        if pending:
            version = write_raw_games(lake, pending, writer=writer, batch_id=uuid.uuid4().hex, table=table)
            emit(("committed", task.worker, [r["game_id"] for r in pending],
                  sum(r["num_moves"] for r in pending), version))
        pending, last_flush = [], time.monotonic()

    seats = seat_rows(task.agents)
    for index in range(task.count):
        if os.getppid() != parent:
            break
        gid = selfplay_game_id(task.config, task.run_seed, task.worker, index)
        if gid in present:
            continue
        seed = game_seed(task.config, task.run_seed, task.worker, index)
        agents = [make_agent(name, seed + seat) for seat, name in enumerate(task.agents)]
        started = datetime.now(timezone.utc)
        played = play_game(board_type, num_players, agents, seed)
        if played.status != "completed":
            emit(("unfinished", task.worker, gid))
            continue
        pending.append(game_row(played, task.config, seats, task.source, seed, game_id=gid,
                                started_at=started, finished_at=datetime.now(timezone.utc)))
        if len(pending) >= task.batch_size or time.monotonic() - last_flush >= task.flush_seconds:
            flush()
    flush()
    emit(("done", task.worker))


def worker_main(task: WorkerTask, conn) -> None:
    """Entry point of a spawned worker process: messages go to the parent over this worker's own pipe.

    A pipe per worker (not one shared queue): a worker killed in the middle of
    a send can only damage its own pipe, never a lock the other workers need.
    """
    def emit(message: tuple) -> None:
        try:
            conn.send(message)
        except (BrokenPipeError, OSError):
            pass  # the parent is gone; the commits themselves are already durable

    run_worker(task, emit)
    conn.close()
