"""run_plan: K worker processes play a plan's games and commit them to the lake in batches.

    report = run_plan(lake, plan, workers=2)      # PlayReport: ids, games, moves, commits, results

Each worker commits its own batches (many games per Delta commit; conflicts are retried with jittered
backoff by `tables.append`), so a run scales to many processes and hosts writing the same tables. The
parent only starts the workers, restarts one that dies (it resumes after the games already committed),
shows progress on stderr and collects the report. `workers=0` plays in this process.
"""
from __future__ import annotations

import json
import multiprocessing as mp
import sys
import time
from dataclasses import asdict, dataclass, field, fields, replace
from multiprocessing.connection import wait

from ringrift_lake import tables
from ringrift_lake.location import Lake
from ringrift_lake.records.rows import TABLE
from training.play.plan import PlayPlan
from training.play.progress import Progress
from training.search.stats import DriverStats
from training.play.worker import WorkerTask, committed_ids, run_worker, worker_main


class PlayError(RuntimeError):
    def __init__(self, message: str, report: "PlayReport"):
        super().__init__(message)
        self.report = report


@dataclass
class PlayReport:
    config: str
    source: str
    run_seed: int
    games_requested: int
    game_ids: list[str] = field(default_factory=list)   # committed by this run or found committed
    games_written: int = 0                               # committed by this run
    games_present: int = 0                               # already committed, skipped
    games_unfinished: int = 0                            # stopped at the move cap and not written
    moves_written: int = 0
    commits: int = 0
    seconds: float = 0.0
    workers_cpu_s: float = 0.0
    worker_restarts: int = 0
    failed_workers: list[int] = field(default_factory=list)
    table_version: int | None = None
    results: list[tuple] = field(default_factory=list)  # (group, players, ranks) per game written
    search: DriverStats = field(default_factory=DriverStats)   # evaluations, batches, searches, seconds

    @property
    def games_per_s(self) -> float:
        return self.games_written / self.seconds if self.seconds else 0.0

    @property
    def moves_per_s(self) -> float:
        return self.moves_written / self.seconds if self.seconds else 0.0

    def to_dict(self, with_ids: bool = False) -> dict:
        data = asdict(self)
        data.pop("results")
        data["search"] = self.search.as_dict()
        if not with_ids:
            data.pop("game_ids")
        data.update(games_per_s=round(self.games_per_s, 2), moves_per_s=round(self.moves_per_s, 1))
        return data


class _Collector:
    """Applies worker messages to the report and the optional journal file."""

    def __init__(self, report: PlayReport, journal: str | None):
        self.report = report
        self.ids: set[str] = set()
        self.done: set[int] = set()
        self.latest: dict[int, DriverStats] = {}    # the running attempt of each worker
        self.ended = DriverStats()                  # attempts that ended (done or died)
        self.journal = open(journal, "a", encoding="utf-8") if journal else None

    def __call__(self, message: tuple) -> None:
        kind, worker = message[0], message[1]
        report = self.report
        if kind == "committed":
            _, _, ids, moves, version, results, stats = message
            self.latest[worker] = stats
            self.ids.update(ids)
            report.games_written += len(ids)
            report.moves_written += moves
            report.commits += 1
            report.results.extend(results)
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
            report.workers_cpu_s += message[2]
            self.latest[worker] = message[3]
            self.attempt_ended(worker)
        self.report.search = self.search_so_far()

    def attempt_ended(self, worker: int) -> None:
        """A worker's attempt is over (done, or died: its last committed stats are what it did)."""
        stats = self.latest.pop(worker, None)
        if stats is not None:
            _add_stats(self.ended, stats)

    def search_so_far(self) -> DriverStats:
        total = replace(self.ended)
        for stats in self.latest.values():
            _add_stats(total, stats)
        return total

    def close(self) -> None:
        self.report.game_ids = sorted(self.ids)
        if self.journal:
            self.journal.close()


def _add_stats(total: DriverStats, more: DriverStats) -> None:
    for f in fields(DriverStats):
        setattr(total, f.name, getattr(total, f.name) + getattr(more, f.name))


def run_plan(lake: Lake, plan: PlayPlan, workers: int = 1, batch_size: int = 50, flush_seconds: float = 5.0,
             progress: bool = True, max_restarts: int = 3, journal: str | None = None,
             raise_on_failure: bool = True) -> PlayReport:
    """Play every job of `plan` (those not committed yet) and commit them; see the module docstring.

    `journal` appends one JSON line per commit (worker, version, game ids). A worker that dies is
    restarted up to `max_restarts` times.
    """
    if workers < 0 or batch_size < 1:
        raise ValueError("workers must be >= 0 and batch_size >= 1")
    report = PlayReport(plan.config, plan.source, plan.run_seed, len(plan.jobs))
    tables.ensure_table(lake, TABLE)
    present = committed_ids(lake, plan)      # looked up once, here, for every worker
    count = max(min(workers, len(plan.jobs)), 1)
    tasks = []
    for w in range(count):
        share = plan.share(w, count)
        if share.jobs:
            mine = frozenset(j.game_id for j in share.jobs) & present
            tasks.append(WorkerTask(lake.root, tuple(sorted(lake.storage_options.items())), share, w, batch_size,
                                    flush_seconds, mine))
    collector = _Collector(report, journal)
    bar = Progress(f"{plan.source} {plan.config}", len(plan.jobs), enabled=progress)
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
        raise PlayError(f"{plan.source} workers {report.failed_workers} failed after {max_restarts} restarts; "
                        f"{report.games_written} games were committed", report)
    return report


def _run_processes(tasks: list[WorkerTask], collector: _Collector, bar: Progress, start: float,
                   max_restarts: int) -> None:
    ctx = mp.get_context("spawn")
    restarts = {task.worker: 0 for task in tasks}
    running: dict[int, tuple[WorkerTask, mp.Process, object]] = {}

    def launch(task: WorkerTask) -> None:
        receiver, sender = ctx.Pipe(duplex=False)
        process = ctx.Process(target=worker_main, args=(task, sender), name=f"play-w{task.worker}", daemon=True)
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
                collector.attempt_ended(worker)
                del running[worker]
                if worker in collector.done or process.exitcode == 0:
                    continue
                if restarts[worker] >= max_restarts:
                    collector.report.failed_workers.append(worker)
                    continue
                restarts[worker] += 1
                collector.report.worker_restarts += 1
                print(f"play: worker {worker} died (exit {process.exitcode}); restarting it "
                      f"({restarts[worker]}/{max_restarts}), it resumes after its committed games", file=sys.stderr)
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
