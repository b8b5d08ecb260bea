"""One worker: play its share of a plan's games and commit them in batches.

Runs in a `spawn`-ed child process (delta-rs must not run in a forked child) or in-process
(`workers=0`). It talks to the parent only through `emit(message)`; messages are plain tuples:

* `("committed", worker, game_ids, moves, version, results, stats)` after each batch: these games are
  durable from now on (raw_games, then matches for a plan that records them); `results` = (group,
  players, ranks) per game for the parent's tallies; `stats` = this attempt's DriverStats so far;
* `("present", worker, game_ids)` on start-up: games of this run already committed (by an earlier
  attempt or an earlier run with the same seed); they are skipped, not replayed;
* `("unfinished", worker, game_id)` for a game stopped at the move cap that the plan does not write;
* `("done", worker, cpu_s, stats)` when its share is committed (`stats`: the driver's DriverStats of
  this attempt: evaluations, batches, searches, evaluator and tree seconds).

A batch is one raw_games commit (atomic: a game is there whole or not at all), followed for gauntlets
and matches by one matches commit. A plan that records matches counts a game as committed once its
match row is: a worker killed between the two commits replays those games on restart (their raw rows,
identical, are de-duplicated by consolidation). A worker whose parent dies commits what it holds and
exits instead of playing on as an orphan.
"""
from __future__ import annotations

import os
import time
import uuid
from dataclasses import dataclass, replace

from ringrift_lake import tables
from ringrift_lake.location import Lake
from ringrift_lake.records.ids import present_ids
from ringrift_lake.records.rows import TABLE, write_raw_games, writer_id
from training.play.agents import AgentFactory
from training.play.games import play_jobs
from training.play.plan import PlayPlan
from training.search.stats import DriverStats


@dataclass(frozen=True)
class WorkerTask:
    lake_root: str
    storage_options: tuple[tuple[str, str], ...]
    plan: PlayPlan                    # this worker's share
    worker: int
    batch_size: int
    flush_seconds: float
    present: frozenset[str] | None    # ids of this share already committed; None: look them up first

    @property
    def lake(self) -> Lake:
        return Lake(self.lake_root, dict(self.storage_options))


def committed_ids(lake: Lake, plan: PlayPlan) -> set[str]:
    """Ids of the plan's games already committed (in matches for a plan that records them)."""
    if plan.record_matches:
        return present_ids(lake, "matches", plan.config, plan.id_prefix, column="match_id")
    return present_ids(lake, TABLE, plan.config, plan.id_prefix)


def match_row(finished, plan: PlayPlan) -> dict:
    """The `matches` row of a finished (or move-capped) game: winner and ranks only when it finished."""
    row, players = finished.row, list(finished.job.players)
    winner = row["winner"] if finished.ranks is not None else None
    return {"match_id": row["game_id"], "config": row["config"], "game_id": row["game_id"], "players": players,
            "winner": winner, "winner_player": players[winner - 1] if winner else None, "ranks": finished.ranks,
            "reason": row["reason"], "num_moves": row["num_moves"], "gauntlet_id": plan.match_group,
            "created_at": row["finished_at"]}


def run_worker(task: WorkerTask, emit) -> None:
    lake, plan = task.lake, task.plan
    parent = os.getppid()
    cpu0 = time.process_time()
    present = task.present if task.present is not None else committed_ids(lake, plan) & {j.game_id for j in plan.jobs}
    if present:
        emit(("present", task.worker, sorted(present)))
    writer = writer_id(task.worker)
    table = tables.ensure_table(lake, TABLE)
    factory = AgentFactory(lake, plan.config, dict(plan.checkpoints), plan.options)
    pending: list = []
    stats = DriverStats()
    last_flush = time.monotonic()

    def flush():
        nonlocal pending, last_flush
        if pending:
            rows = [f.row for f in pending]
            version = write_raw_games(lake, rows, writer=writer, batch_id=uuid.uuid4().hex, table=table)
            if plan.record_matches:
                tables.append(lake, "matches", [match_row(f, plan) for f in pending])
            results = [(f.job.group, f.job.players, f.ranks) for f in pending]
            emit(("committed", task.worker, [r["game_id"] for r in rows], sum(r["num_moves"] for r in rows),
                  version, results, replace(stats)))
        pending, last_flush = [], time.monotonic()

    jobs = [job for job in plan.jobs if job.game_id not in present]
    for finished in play_jobs(plan, jobs, factory, stats):
        if finished.completed or plan.write_unfinished:
            pending.append(finished)
        else:
            emit(("unfinished", task.worker, finished.job.game_id))
        if len(pending) >= task.batch_size or (pending and time.monotonic() - last_flush >= task.flush_seconds):
            flush()
        if os.getppid() != parent:
            break
    flush()
    emit(("done", task.worker, time.process_time() - cpu0, stats))


def worker_main(task: WorkerTask, conn) -> None:
    """Entry point of a spawned worker process: messages go to the parent over this worker's own pipe.

    A pipe per worker (not one shared queue): a worker killed in the middle of a send can only damage
    its own pipe, never a lock the other workers need. Torch (when a network plays) gets one thread per
    worker: the workers themselves spread over the cores.
    """
    if task.plan.checkpoints:
        import torch

        torch.set_num_threads(1)

    def emit(message: tuple) -> None:
        try:
            conn.send(message)
        except (BrokenPipeError, OSError):
            pass  # the parent is gone; the commits themselves are already durable

    run_worker(task, emit)
    conn.close()
