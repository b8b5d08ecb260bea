"""Consolidation runs in separate (spawned) processes, started together: no Dagster, nothing shared."""
from __future__ import annotations

import multiprocessing
import queue
import time


def _run(barrier, results) -> None:
    from ringrift_lake.consolidate import consolidate
    from ringrift_lake.location import Lake

    lake = Lake.from_env()                  # the test's lake settings, inherited through the environment
    barrier.wait(timeout=120)
    report = consolidate(lake, workers=1)
    results.put(report.as_dict())


def run_together(n: int, timeout_s: float = 240) -> list[dict]:
    """Start ``n`` consolidation processes that begin at the same moment; their reports."""
    ctx = multiprocessing.get_context("spawn")     # delta-rs must not run in a forked child
    barrier, results = ctx.Barrier(n), ctx.Queue()
    processes = [ctx.Process(target=_run, args=(barrier, results)) for _ in range(n)]
    for process in processes:
        process.start()
    reports, deadline = [], time.monotonic() + timeout_s
    while len(reports) < n:
        try:
            reports.append(results.get(timeout=1))
        except queue.Empty:
            failed = [p.exitcode for p in processes if p.exitcode not in (None, 0)]
            assert not failed and time.monotonic() < deadline, f"consolidation processes failed: {failed}"
    for process in processes:
        process.join(timeout=30)
    assert [p.exitcode for p in processes] == [0] * n, [p.exitcode for p in processes]
    return reports
