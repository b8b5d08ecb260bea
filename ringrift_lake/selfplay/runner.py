"""run_selfplay: K worker processes play games and append them to raw_games.

Each worker commits its own batches (many games per Delta commit; conflicts
are retried with jittered backoff by ``tables.append``), so the run scales to
many processes and hosts writing the same table. The parent only starts the
workers, restarts one that dies (it resumes after the games already
committed), shows progress on stderr and collects the report.
"""
from __future__ import annotations

import json
import multiprocessing as mp
from multiprocessing.connection import wait
import secrets
import sys
import time
from dataclasses import asdict, dataclass, field, replace

from ringrift_lake import tables
from ringrift_lake.location import Lake
from ringrift_lake.selfplay.progress import Progress
from ringrift_lake.selfplay.rows import TABLE
from ringrift_lake.selfplay.worker import (AGENT_NAMES, WorkerTask, present_game_ids, run_prefix, run_worker,
                                           worker_main)


class SelfplayError(RuntimeError):
    def __init__(self, message: str, report: "SelfplayReport"):
        super().__init__(message)
        self.report = report


@dataclass
class SelfplayReport:
    config: str
    run_seed: int
    games_requested: int
    game_ids: list[str] = field(default_factory=list)   # committed by this run or found committed
    games_written: int = 0                               # committed by this run
    games_present: int = 0                               # already in raw_games, skipped
    games_unfinished: int = 0                            # engine did not finish them: not written
    moves_written: int = 0
    commits: int = 0
    seconds: float = 0.0
    worker_restarts: int = 0
    failed_workers: list[int] = field(default_factory=list)
    table_version: int | None = None

    @property
    def games_per_s(self) -> float:
        return self.games_written / self.seconds if self.seconds else 0.0

    @property
    def moves_per_s(self) -> float:
        return self.moves_written / self.seconds if self.seconds else 0.0

    def to_dict(self, with_ids: bool = False) -> dict:
        data = asdict(self)
        if not with_ids:
            data.pop("game_ids")
        data.update(games_per_s=round(self.games_per_s, 2), moves_per_s=round(self.moves_per_s, 1))
        return data


def _split(games: int, workers: int) -> list[int]:
    return [games // workers + (1 if w < games % workers else 0) for w in range(workers)]


class _Collector:
    """Applies worker messages to the report and the optional journal file."""

    def __init__(self, report: SelfplayReport, journal: str | None):
        self.report = report
        self.ids: set[str] = set()
        self.done: set[int] = set()
        self.journal = open(journal, "a", encoding="utf-8") if journal else None

    def __call__(self, message: tuple) -> None:
        kind, worker = message[0], message[1]
        report = self.report
        if kind == "committed":
            _, _, ids, moves, version = message
            self.ids.update(ids)
            report.games_written += len(ids)
            report.moves_written += moves
            report.commits += 1
            report.table_version = max(version or 0, report.table_version or 0)
            if self.journal:
                self.journal.write(json.dumps({"worker": worker, "version": version, "game_ids": ids}) + "\n")
                self.journal.flush()
        elif kind == "present":
            new = set(message[2]) - self.ids
            self.ids.update(new)
            report.games_present += len(new)
        elif kind == "unfinished":
            report.games_unfinished += 1
        elif kind == "done":
            self.done.add(worker)

    def close(self) -> None:
        self.report.game_ids = sorted(self.ids)
        if self.journal:
            self.journal.close()


def run_selfplay(lake: Lake, config: str, games: int, agent: str = "random", workers: int = 1,
                 seed: int | None = None, batch_size: int = 50, source: str = "selfplay",
                 agents_per_seat: list[str] | None = None, progress: bool = True, flush_seconds: float = 5.0,
                 max_restarts: int = 3, journal: str | None = None, raise_on_failure: bool = True) -> SelfplayReport:
    """Play ``games`` games of ``config`` and append them to raw_games; see the module docstring.

    ``workers=0`` plays in this process. ``seed`` fixes every game id and game
    seed (a rerun with the same seed and worker count adds nothing new: the
    workers skip games already committed); without it a random 48-bit run seed
    is drawn. ``journal`` appends one JSON line per commit (worker, version,
    game ids). A worker that dies is restarted up to ``max_restarts`` times.
    """
    from engine import parse_config

    num_players = parse_config(config).num_players
    seat_agents = tuple(agents_per_seat or [agent] * num_players)
    if len(seat_agents) != num_players or any(a not in AGENT_NAMES for a in seat_agents):
        raise ValueError(f"agents per seat {list(seat_agents)}: need {num_players} of {', '.join(AGENT_NAMES)}")
    if games < 0 or workers < 0 or batch_size < 1:
        raise ValueError("games and workers must be >= 0 and batch_size >= 1")
    run_seed = seed if seed is not None else secrets.randbits(48)
    report = SelfplayReport(config=config, run_seed=run_seed, games_requested=games)
    tables.ensure_table(lake, TABLE)
    counts = _split(games, max(workers, 1))
    # With an explicit seed the ids may exist already (a rerun): look them up once, here, for every worker.
    prefix = run_prefix(config, run_seed)
    present = present_game_ids(lake, config, prefix) if seed is not None else set()
    tasks = [WorkerTask(lake.root, tuple(sorted(lake.storage_options.items())), config, seat_agents, run_seed, w,
                        count, batch_size, flush_seconds, source,
                        present=frozenset(gid for gid in present if gid.startswith(f"{prefix}{w}-")))
             for w, count in enumerate(counts) if count > 0]
    collector = _Collector(report, journal)
    bar = Progress(config, games, enabled=progress)
    start = time.monotonic()
    try:
        if workers == 0:
            for task in tasks:
                run_worker(task, lambda m: (collector(m), bar.update(report, time.monotonic() - start)))
        else:
            _run_processes(tasks, collector, bar, start, max_restarts)
    finally:
        report.seconds = time.monotonic() - start
        collector.close()
        report.table_version = tables.version(lake, TABLE)
        bar.finish(report)
    if report.failed_workers and raise_on_failure:
        raise SelfplayError(f"selfplay workers {report.failed_workers} failed after {max_restarts} restarts; "
                            f"{report.games_written} games were committed", report)
    return report


def _run_processes(tasks: list[WorkerTask], collector: _Collector, bar: Progress, start: float,
                   max_restarts: int) -> None:
    ctx = mp.get_context("spawn")
    restarts = {task.worker: 0 for task in tasks}
    running: dict[int, tuple[WorkerTask, mp.Process, object]] = {}

    def launch(task: WorkerTask) -> None:
        receiver, sender = ctx.Pipe(duplex=False)
        process = ctx.Process(target=worker_main, args=(task, sender), name=f"selfplay-w{task.worker}",
                              daemon=True)
        process.start()
        sender.close()  # the worker holds the only write end: EOF here means it has exited
        running[task.worker] = (task, process, receiver)

    for task in tasks:
        launch(task)
    try:
        while running:
            for receiver in wait([r for _, _, r in running.values()], timeout=0.5):
                _read(receiver, collector)
            bar.update(collector.report, time.monotonic() - start)
            for worker, (task, process, receiver) in list(running.items()):
                if process.is_alive():
                    continue
                process.join()
                _read(receiver, collector)
                receiver.close()
                del running[worker]
                if worker in collector.done or process.exitcode == 0:
                    continue
                if restarts[worker] >= max_restarts:
                    collector.report.failed_workers.append(worker)
                    continue
                restarts[worker] += 1
                collector.report.worker_restarts += 1
                print(f"selfplay: worker {worker} died (exit {process.exitcode}); restarting it "
                      f"({restarts[worker]}/{max_restarts}), it resumes after its committed games",
                      file=sys.stderr)
                launch(replace(task, present=None))
    finally:
        for _, process, receiver in running.values():
            process.kill()
            process.join()
            receiver.close()


def _read(receiver, collector: _Collector) -> None:
    """Every whole message waiting on a worker's pipe; a message cut short by a kill is dropped."""
    try:
        while receiver.poll():
            collector(receiver.recv())
    except (EOFError, OSError):
        pass
